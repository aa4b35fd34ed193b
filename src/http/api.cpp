#include "http/api.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "service/errors.h"
#include "service/json_input.h"
#include "service/presets.h"

namespace steward::http {

using nlohmann::json;
using service::ErrorKind;
using service::ServiceError;

namespace {

// The public routes, all of them: every other route needs a signed-in session, and a CSRF token unless it is a
// GET. The web UI's static files (every path outside /api/) are public too; they never reach the router.
const std::vector<std::pair<std::string, std::string>> kPublicRoutes = {
    {"GET", "/api/v1/health"},
    {"POST", "/api/v1/auth/login"},
    // First-run setup: the status and the region picker are public reference data; the setup itself needs the
    // one-time code `steward serve` prints, and answers 409 once any region holds a user.
    {"GET", "/api/v1/setup"},
    {"POST", "/api/v1/setup"},
    {"GET", "/api/v1/divisions"},
};

const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

Response jsonResponse(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response noContent() {
  Response r;
  r.status = 204;
  r.content_type = "text/plain";
  return r;
}

// The one place where an expected failure becomes an HTTP status.
int statusOf(ErrorKind k) {
  switch (k) {
    case ErrorKind::BadRequest: return 400;
    case ErrorKind::Unauthenticated: return 401;
    case ErrorKind::Forbidden: return 403;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::TooLarge: return 413;
    case ErrorKind::Validation: return 422;
    case ErrorKind::Locked: return 423;
    case ErrorKind::TooManyRequests: return 429;
  }
  return 500;
}

Response errorResponse(const ServiceError& e) {
  json err = {{"code", e.code}, {"message", e.what()}};
  if (!e.fields.empty()) {
    json f = json::array();
    for (const auto& fe : e.fields) f.push_back({{"field", fe.field}, {"reason", fe.reason}});
    err["fields"] = f;
  }
  for (auto it = e.extra.begin(); it != e.extra.end(); ++it) err[it.key()] = it.value();
  auto res = jsonResponse(statusOf(e.kind), {{"error", err}});
  if (e.extra.contains("retry_after") && e.extra["retry_after"].is_number_integer())
    res.headers.emplace_back("Retry-After", std::to_string(e.extra["retry_after"].get<std::int64_t>()));
  return res;
}

Response simpleError(int status, const char* code, const char* message) {
  return jsonResponse(status, {{"error", {{"code", code}, {"message", message}}}});
}

json body(const Request& req) {
  if (req.body.empty()) return json::object();
  auto j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) throw service::badRequest("请求体不是合法的 JSON");
  if (!j.is_object()) throw service::badRequest("请求体必须是 JSON 对象");
  return j;
}

std::int64_t idParam(const Request& req, const char* name = "id") {
  const auto& s = req.params.at(name);
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) throw service::notFound();
  for (char ch : s) {
    if (ch < '0' || ch > '9') throw service::notFound();
    v = v * 10 + (ch - '0');
  }
  return v;
}

int intQuery(const Request& req, const char* k, int def, int lo, int hi) {
  auto s = req.q(k);
  if (s.empty()) return def;
  try {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used != s.size() || v < lo || v > hi) throw std::invalid_argument(k);
    return v;
  } catch (const std::exception&) {
    service::Validator v;
    v.add(k, "invalid");
    v.throwIfAny("查询参数不正确");
  }
  return def;
}

std::optional<std::int64_t> idQuery(const Request& req, const char* k) {
  auto s = req.q(k);
  if (s.empty()) return std::nullopt;
  return intQuery(req, k, 0, 0, 2000000000);
}

std::string cookieHeader(const std::string& token, bool secure, int maxAge) {
  std::string c = "steward_session=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  if (maxAge >= 0) c += "; Max-Age=" + std::to_string(maxAge);
  return c;
}

service::ProjectFilter projectFilter(const Request& req) {
  service::ProjectFilter f;
  f.q = req.q("q");
  f.stage = req.q("stage");
  f.level = req.q("level");
  f.category = req.q("category");
  f.chain = req.q("chain");
  f.status = req.q("status");
  f.missing = req.q("missing");
  f.light = req.q("light");
  if (!req.q("sort").empty()) f.sort = req.q("sort");
  if (!req.q("order").empty()) f.order = req.q("order");
  f.township_id = idQuery(req, "township_id");
  f.unit_id = idQuery(req, "unit_id");
  f.leader_id = idQuery(req, "leader_id");
  f.mine = req.q("mine") == "1" || req.q("mine") == "true";
  f.page = intQuery(req, "page", 1, 1, 1000000);
  f.page_size = intQuery(req, "page_size", 20, 1, 200);
  return f;
}

}  // namespace

Api::Api(service::Services& s, AppOptions opt) : s_(s), opt_(std::move(opt)) { routes(); }

const std::vector<std::pair<std::string, std::string>>& Api::publicRoutes() { return kPublicRoutes; }

void Api::route(std::string method, std::string pattern, Authed h) {
  router_.add(std::move(method), std::move(pattern), [h = std::move(h)](Request& req) { return h(req, *req.session); });
}

void Api::publicRoute(std::string method, std::string pattern, Handler h) {
  if (std::find(kPublicRoutes.begin(), kPublicRoutes.end(), std::pair{method, pattern}) == kPublicRoutes.end())
    throw std::logic_error("public route not in kPublicRoutes: " + method + " " + pattern);
  router_.add(std::move(method), std::move(pattern), std::move(h), Access::Public);
}

void Api::routes() {
  auto& sv = s_;
  auto& o = opt_;
  const std::string v1 = "/api/v1";

  // --- health and meta
  publicRoute("GET", v1 + "/health", [&sv](Request&) {
    auto h = sv.health.check();
    return jsonResponse(200, {{"status", "ok"},
                              {"version", STEWARD_VERSION_STRING},
                              {"db", h.db},
                              {"schema_version", h.schema_version}});
  });
  route("GET", v1 + "/meta", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.meta(s.actor));
        });

  // --- sign-in
  publicRoute("POST", v1 + "/auth/login", [&sv, &o](Request& req) {
    auto in = body(req);
    service::Validator v;
    service::JsonInput i(in, v);
    auto user = i.str("username", true);
    auto pass = i.str("password", true);
    v.throwIfAny("请输入用户名和密码");
    auto out = sv.auth.login(*user, *pass, req.remote, req.header("user-agent"));
    auto res = jsonResponse(200, {{"user", out.user}, {"csrf_token", out.csrf_token}});
    res.headers.emplace_back("Set-Cookie", cookieHeader(out.session_token, o.secure_cookie || req.secure, -1));
    res.headers.emplace_back("Cache-Control", "no-store");
    res.user = *user;
    return res;
  });
  route("POST", v1 + "/auth/logout", [&sv, &o](Request& req, const service::SessionInfo& s) {
          sv.auth.logout(s);
          auto res = noContent();
          res.headers.emplace_back("Set-Cookie", cookieHeader("", o.secure_cookie || req.secure, 0));
          return res;
        });
  route("GET", v1 + "/auth/me", [&sv](Request&, const service::SessionInfo& s) {
          auto res = jsonResponse(200, sv.auth.me(s));
          res.headers.emplace_back("Cache-Control", "no-store");
          return res;
        });
  route("POST", v1 + "/auth/password", [&sv](Request& req, const service::SessionInfo& s) {
          auto in = body(req);
          service::Validator v;
          service::JsonInput i(in, v);
          auto oldPw = i.str("old_password", true);
          auto newPw = i.str("new_password", true);
          v.throwIfAny();
          sv.auth.changePassword(s, *oldPw, *newPw);
          return noContent();
        });

  // --- setting up a county
  publicRoute("GET", v1 + "/setup", [&sv](Request&) { return jsonResponse(200, sv.setup.status()); });
  publicRoute("POST", v1 + "/setup", [&sv](Request& req) { return jsonResponse(201, sv.setup.firstRun(body(req))); });
  publicRoute("GET", v1 + "/divisions", [&sv](Request& req) { return jsonResponse(200, sv.setup.divisions(req.q("parent"))); });
  route("POST", v1 + "/counties", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.setup.addCounty(s.actor, body(req)));
        });

  // --- home
  route("GET", v1 + "/dashboard", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.dashboard.summary(s.actor, req.q("region")));
        });
  route("GET", v1 + "/board/gantt", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.dashboard.gantt(s.actor, projectFilter(req)));
        });

  // --- warning lights
  route("GET", v1 + "/lights", [&sv](Request& req, const service::SessionInfo& s) {
          service::LightBoardFilter f;
          f.township_id = idQuery(req, "township_id");
          f.unit_id = idQuery(req, "unit_id");
          f.leader_id = idQuery(req, "leader_id");
          f.chain = req.q("chain");
          f.light = req.q("light");
          f.dimension = req.q("dimension");
          f.page = intQuery(req, "page", 1, 1, 1000000);
          f.page_size = intQuery(req, "page_size", 20, 1, service::kLightsPageMax);
          return jsonResponse(200, sv.lights.board(s.actor, f));
        });
  route("GET", v1 + "/lights/replay", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.lights.replay(s.actor, req.q("as_of"), idQuery(req, "project_id"),
                                                    intQuery(req, "page", 1, 1, 1000000),
                                                    intQuery(req, "page_size", 20, 1, service::kLightsPageMax)));
        });
  route("POST", v1 + "/lights/evaluate", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.lights.evaluateNow(s.actor));
        });

  // --- organisation
  route("GET", v1 + "/regions", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.regions(s.actor));
        });
  route("GET", v1 + "/org-units", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.orgUnits(s.actor, req.q("kind")));
        });
  route("POST", v1 + "/org-units", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.org.createOrgUnit(s.actor, body(req)));
        });
  route("PATCH", v1 + "/org-units/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.updateOrgUnit(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/users", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.users(s.actor, req.q("q"), req.q("role"), idQuery(req, "org_unit_id"),
                                                intQuery(req, "page", 1, 1, 1000000),
                                                intQuery(req, "page_size", 20, 1, 200)));
        });
  route("POST", v1 + "/users", [&sv](Request& req, const service::SessionInfo& s) {
          auto in = body(req);
          service::Validator v;
          service::JsonInput i(in, v);
          service::NewUser u;
          u.username = i.str("username", true).value_or("");
          u.display_name = i.str("display_name", true).value_or("");
          u.password = i.str("password", true).value_or("");
          u.phone = i.str("phone", false).value_or("");
          u.rank = i.str("rank", false).value_or("staff");
          u.roles = i.strList("roles", true).value_or(std::vector<std::string>{});
          u.org_unit_id = i.i64("org_unit_id", false);
          u.region_code = i.str("region_code", false).value_or("");
          v.throwIfAny();
          return jsonResponse(201, sv.org.createUser(&s.actor, u));
        });
  route("PATCH", v1 + "/users/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.updateUser(&s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/people", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.org.people(s.actor, req.q("rank"), req.q("role")));
        });

  // --- audit
  route("GET", v1 + "/audit", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.audit.list(s.actor, req.q("entity"), req.q("entity_id"),
                                                 idQuery(req, "actor_id"), intQuery(req, "page", 1, 1, 1000000),
                                                 intQuery(req, "page_size", 20, 1, 200)));
        });
  route("GET", v1 + "/audit/verify", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.audit.verifyJson(s.actor));
        });
  route("GET", v1 + "/activity", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.audit.activity(s.actor, idQuery(req, "before"),
                                                     intQuery(req, "limit", 20, 1, 100)));
        });

  // --- project library (literal paths before {id})
  route("GET", v1 + "/projects", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.list(s.actor, projectFilter(req)));
        });
  route("POST", v1 + "/projects", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.projects.create(s.actor, body(req)));
        });
  route("GET", v1 + "/projects/export.xlsx", [&sv](Request& req, const service::SessionInfo& s) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.projects.exportXlsx(s.actor, projectFilter(req));
          res.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"projects.xlsx\"; filename*=UTF-8''%E9%87%8D%E7%82%B9%E9"
                                   "%A1%B9%E7%9B%AE%E5%BA%93.xlsx");
          return res;
        });
  route("GET", v1 + "/projects/template.xlsx", [&sv](Request&, const service::SessionInfo&) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.projects.templateXlsx();
          res.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"template.xlsx\"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5"
                                   "%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx");
          return res;
        });
  route("POST", v1 + "/projects/import", [&sv](Request& req, const service::SessionInfo& s) {
          bool dry = req.q("dry_run") == "1" || req.q("dry_run") == "true";
          // create_missing=1 creates the units and people the sheet names but the county lacks; decisions (JSON)
          // is the dry run's list as the user edited it: {"units": {name: kind | "skip"}, "people": {...}}.
          service::ImportDecisions decisions;
          if (!req.q("decisions").empty()) {
            auto d = nlohmann::json::parse(req.q("decisions"), nullptr, false);
            if (d.is_discarded())
              throw service::ServiceError(service::ErrorKind::Validation, "validation_failed", "导入的新建清单格式不正确",
                                          {{"decisions", "invalid_json"}});
            decisions = service::ProjectService::importDecisions(d);
          }
          decisions.create_missing = req.q("create_missing") == "1" || req.q("create_missing") == "true";
          auto out = sv.projects.importXlsx(s.actor, req.body, dry, decisions);
          nlohmann::json res = {{"rows", out.rows}, {"created", out.created}, {"updated", out.updated}, {"dry_run", out.dry_run}};
          if (!out.missing.is_null()) res["missing"] = out.missing;
          if (!out.onboarded.is_null()) res["onboarded"] = out.onboarded;
          return jsonResponse(200, res);
        });
  route("GET", v1 + "/projects/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.get(s.actor, idParam(req)));
        });
  route("PATCH", v1 + "/projects/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.update(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/projects/{id}/stage", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.changeStage(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/projects/{id}/status", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.changeStatus(s.actor, idParam(req), body(req)));
        });
  route("PUT", v1 + "/projects/{id}/team", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.setTeam(s.actor, idParam(req), body(req)));
        });
  route("PUT", v1 + "/projects/{id}/nodes", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.setNodes(s.actor, idParam(req), body(req)));
        });
  route("PUT", v1 + "/projects/{id}/plan", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.setPlan(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/projects/{id}/lights", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.lights.projectLights(s.actor, idParam(req),
                                                           intQuery(req, "days", 90, 1, service::kLightHistoryDaysMax)));
        });
  route("GET", v1 + "/projects/{id}/history", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.projects.history(s.actor, idParam(req), idQuery(req, "before"),
                                                       intQuery(req, "limit", 20, 1, 100)));
        });

  // --- the national working-day calendar (holidays and 调休), read by everyone, written by a system administrator
  route("GET", v1 + "/calendar", [&sv](Request& req, const service::SessionInfo&) {
          auto y = req.q("year");
          return jsonResponse(200, sv.calendar.show(service::calendarYearParam(
                                       y.empty() ? core::localDay(sv.env.now()).substr(0, 4) : y)));
        });
  route("PUT", v1 + "/calendar/{year}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.calendar.put(&s.actor, service::calendarYearParam(req.params.at("year")),
                                                   body(req)));
        });

  // --- county rules (versioned rule sets of each kind)
  route("GET", v1 + "/rules/{kind}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.rules.inForce(s.actor, req.params.at("kind"), req.q("region"), req.q("as_of")));
        });
  route("GET", v1 + "/rules/{kind}/versions", [&sv](Request& req, const service::SessionInfo& s) {
          auto before = idQuery(req, "before");
          return jsonResponse(200, sv.rules.versions(s.actor, req.params.at("kind"), req.q("region"),
                                                     intQuery(req, "limit", 20, 1, service::kRuleVersionsMax),
                                                     before ? std::optional<int>(static_cast<int>(*before))
                                                            : std::nullopt));
        });

  // --- progress reporting: reports, periods, the missing list, statistics registration, reminders
  route("GET", v1 + "/projects/{id}/reports", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.projectReports(s.actor, idParam(req), idQuery(req, "before"),
                                                             intQuery(req, "limit", 20, 1, service::kReportListMax)));
        });
  route("POST", v1 + "/projects/{id}/reports", [&sv](Request& req, const service::SessionInfo& s) {
          auto out = sv.reports.submit(s.actor, idParam(req), body(req));
          return jsonResponse(out.value("created", false) ? 201 : 200, out);
        });
  route("PUT", v1 + "/projects/{id}/reports/{period}", [&sv](Request& req, const service::SessionInfo& s) {
          auto in = body(req);
          in["period"] = req.params.at("period");
          auto out = sv.reports.submit(s.actor, idParam(req), in);
          return jsonResponse(out.value("created", false) ? 201 : 200, out);
        });
  route("POST", v1 + "/reports/{id}/return", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.returnReport(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/reports/missing", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.missing(s.actor, req.q("cadence")));
        });
  route("GET", v1 + "/periods", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.periods(s.actor, req.q("cadence"),
                                                      intQuery(req, "limit", 20, 1, service::kPeriodListMax)));
        });
  route("GET", v1 + "/periods/{cadence}/{key}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.period(s.actor, req.params.at("cadence"), req.params.at("key")));
        });
  route("GET", v1 + "/periods/{cadence}/{key}/summary", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.dashboard.periodSummary(s.actor, req.params.at("cadence"), req.params.at("key"),
                                                              req.q("region")));
        });
  route("GET", v1 + "/statistics/gaps", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.dashboard.statisticsGaps(s.actor, req.q("region"), intQuery(req, "page", 1, 1, 1000000),
                                                               intQuery(req, "page_size", 20, 1, 200)));
        });
  route("GET", v1 + "/periods/{cadence}/{key}/summary.xlsx", [&sv](Request& req, const service::SessionInfo& s) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.dashboard.periodSummaryXlsx(s.actor, req.params.at("cadence"), req.params.at("key"),
                                                    req.q("region"));
          res.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"summary.xlsx\"; filename*=UTF-8''%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx");
          return res;
        });
  route("POST", v1 + "/periods/{cadence}/{key}/close", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.closePeriod(s.actor, req.params.at("cadence"), req.params.at("key")));
        });
  route("POST", v1 + "/periods/{cadence}/{key}/reopen", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.reopenPeriod(s.actor, req.params.at("cadence"), req.params.at("key"),
                                                           body(req)));
        });
  route("GET", v1 + "/projects/{id}/statistics", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.statistics(s.actor, idParam(req)));
        });
  route("PUT", v1 + "/projects/{id}/statistics", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.reports.setStatistics(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/projects/{id}/remind", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.reports.remind(s.actor, idParam(req)));
        });

  // --- photos as evidence: the body is the image itself (its type is read from its bytes, never from a header)
  route("POST", v1 + "/projects/{id}/photos", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.photos.upload(s.actor, idParam(req), req.body));
        });
  route("GET", v1 + "/photos/{hash}/{variant}", [&sv](Request& req, const service::SessionInfo& s) {
          auto photo = sv.photos.get(s.actor, req.params.at("hash"), req.params.at("variant"));
          Response res;
          res.content_type = photo.content_type;
          res.body = std::move(photo.body);
          // Content-addressed: the bytes behind a URL never change; private, for they need a session.
          res.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
          res.headers.emplace_back("Content-Disposition", "inline");
          return res;
        });

  // --- the inbox
  route("GET", v1 + "/inbox", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inbox.list(s.actor, idQuery(req, "before"),
                                                 intQuery(req, "limit", 20, 1, service::kInboxPageMax)));
        });
  route("GET", v1 + "/inbox/unread", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inbox.unread(s.actor));
        });
  route("POST", v1 + "/inbox/read-all", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inbox.markAllRead(s.actor));
        });
  route("POST", v1 + "/inbox/{id}/read", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inbox.markRead(s.actor, idParam(req)));
        });
  // --- the leaders' weekly visits (每周必访)
  route("GET", v1 + "/projects/{id}/visits", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.visits.projectVisits(s.actor, idParam(req), idQuery(req, "before"),
                                                           intQuery(req, "limit", 20, 1, service::kVisitListMax)));
        });
  route("POST", v1 + "/projects/{id}/visits", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.visits.record(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/visits/missing", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.visits.missing(s.actor, req.q("week")));
        });
  route("GET", v1 + "/visits/rates", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.visits.rates(s.actor, req.q("week")));
        });
  // --- the problem list (问题清单): raise, list, one problem with its timeline, and each step of the loop
  route("GET", v1 + "/problems", [&sv](Request& req, const service::SessionInfo& s) {
          service::ProblemQuery q;
          auto flag = [&](const char* k) { return req.q(k) == "1" || req.q(k) == "true"; };
          q.mine = flag("mine");
          q.my_unit = flag("my_unit");
          q.overdue = flag("overdue");
          q.status = req.q("status");
          q.text = req.q("q");
          q.kind = req.q("kind");
          q.category = req.q("category");
          q.project_id = idQuery(req, "project_id");
          q.unit_id = idQuery(req, "unit_id");
          q.page = intQuery(req, "page", 1, 1, 1000000);
          q.page_size = intQuery(req, "page_size", 20, 1, service::kProblemPageMax);
          return jsonResponse(200, sv.problems.list(s.actor, q));
        });
  route("POST", v1 + "/problems", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.problems.raise(s.actor, body(req)));
        });
  route("GET", v1 + "/problems/figures", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.problems.figures(s.actor, req.q("kind")));
        });
  route("GET", v1 + "/problems/figures.xlsx", [&sv](Request& req, const service::SessionInfo& s) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.problems.figuresXlsx(s.actor, req.q("kind"));
          res.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"problem-figures.xlsx\"; filename*=UTF-8''%E9%97%AE%E9%A2%98"
                                   "%E7%BB%9F%E8%AE%A1.xlsx");
          return res;
        });
  // --- the monthly factor consultation (每月必商) and the four lists of 清单化管理
  route("GET", v1 + "/consultations", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.consultations.list(s.actor, req.q("month"), intQuery(req, "page", 1, 1, 1000000),
                                                         intQuery(req, "page_size", 20, 1, service::kConsultationPageMax)));
        });
  route("POST", v1 + "/consultations", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.consultations.create(s.actor, body(req)));
        });
  route("GET", v1 + "/consultations/{month}/agenda", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.consultations.agenda(s.actor, req.params.at("month")));
        });
  route("GET", v1 + "/consultations/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.consultations.get(s.actor, idParam(req)));
        });
  route("PUT", v1 + "/consultations/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.consultations.update(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/consultations/{id}/decisions", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.consultations.decide(s.actor, idParam(req), body(req)));
        });
  for (std::string kind : {"problems", "tasks", "responsibilities", "deadlines"}) {
    route("GET", v1 + "/lists/" + kind, [&sv, kind](Request& req, const service::SessionInfo& s) {
            service::ListQuery q;
            q.unit_id = idQuery(req, "unit_id");
            q.page = intQuery(req, "page", 1, 1, 1000000);
            q.page_size = intQuery(req, "page_size", 50, 1, service::kListPageMax);
            return jsonResponse(200, sv.consultations.lists(s.actor, kind, q));
          });
    route("GET", v1 + "/lists/" + kind + ".xlsx", [&sv, kind](Request& req, const service::SessionInfo& s) {
            service::ListQuery q;
            q.unit_id = idQuery(req, "unit_id");
            Response res;
            res.content_type = kXlsxType;
            res.body = sv.consultations.listsXlsx(s.actor, kind, q);
            res.headers.emplace_back("Content-Disposition", "attachment; filename=\"list-" + kind + ".xlsx\"");
            return res;
          });
  }
  // --- commitments and quarterly lists: commitment letters (承诺书), attack lists (攻坚清单), the dispatch-and-review
  // meeting (调度讲评会) and the quarterly assessment workbook (每季必考)
  route("GET", v1 + "/commitments", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.list(s.actor, req.q("year")));
        });
  route("POST", v1 + "/commitments", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.commitments.create(s.actor, body(req)));
        });
  route("PUT", v1 + "/commitments/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.update(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/commitments.xlsx", [&sv](Request& req, const service::SessionInfo& s) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.commitments.xlsx(s.actor, req.q("year"));
          res.headers.emplace_back("Content-Disposition", "attachment; filename=\"commitments.xlsx\"");
          return res;
        });
  route("GET", v1 + "/attack-lists", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.attackList(s.actor, req.q("quarter")));
        });
  route("POST", v1 + "/attack-lists", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.commitments.addAttackItem(s.actor, body(req)));
        });
  route("POST", v1 + "/attack-lists/items/{id}/done", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.markAttackDone(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/review-meetings", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.review(s.actor, req.q("quarter")));
        });
  route("POST", v1 + "/review-meetings", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.commitments.createReview(s.actor, body(req)));
        });
  route("PUT", v1 + "/review-meetings/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.commitments.updateReview(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/review-meetings/{id}/decisions", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.commitments.decideReview(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/assessment.xlsx", [&sv](Request& req, const service::SessionInfo& s) {
          Response res;
          res.content_type = kXlsxType;
          res.body = sv.commitments.assessmentXlsx(s.actor, req.q("quarter"));
          res.headers.emplace_back("Content-Disposition", "attachment; filename=\"assessment.xlsx\"");
          return res;
        });
  route("GET", v1 + "/problems/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.problems.get(s.actor, idParam(req)));
        });
  for (const bool pdf : {true, false}) {
    route("GET", v1 + "/problems/{id}/reply." + (pdf ? "pdf" : "docx"), [&sv, pdf](Request& req, const service::SessionInfo& s) {
            auto f = sv.problems.reply(s.actor, idParam(req), pdf);
            Response res;
            res.content_type = f.content_type;
            res.body = std::move(f.body);
            res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.filename + "\"");
            return res;
          });
  }
  for (const char* action : {"accept", "assign", "start", "feedback", "plan", "solve", "close", "reject", "merge",
                             "escalate"}) {
    route("POST", v1 + "/problems/{id}/" + action, [&sv, action](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.problems.act(s.actor, idParam(req), action, body(req)));
          });
  }
  // --- the three letters (三函), work reminders and summons (约谈); literal paths before {id}
  route("GET", v1 + "/letters", [&sv](Request& req, const service::SessionInfo& s) {
          service::LetterQuery q;
          q.status = req.q("status");
          q.kind = req.q("kind");
          q.unit_id = idQuery(req, "unit_id");
          q.project_id = idQuery(req, "project_id");
          q.overdue = req.q("overdue") == "1" || req.q("overdue") == "true";
          q.page = intQuery(req, "page", 1, 1, 1000000);
          q.page_size = intQuery(req, "page_size", 20, 1, service::kLetterPageMax);
          return jsonResponse(200, sv.letters.list(s.actor, q));
        });
  route("GET", v1 + "/letters/inbox", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.inbox(s.actor));
        });
  route("POST", v1 + "/letters", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.letters.create(s.actor, body(req)));
        });
  route("GET", v1 + "/letters/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.get(s.actor, idParam(req)));
        });
  route("PUT", v1 + "/letters/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.update(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/letters/{id}/issue", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.issue(s.actor, idParam(req)));
        });
  route("POST", v1 + "/letters/{id}/discard", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.discard(s.actor, idParam(req)));
        });
  route("POST", v1 + "/letters/{id}/sign", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.sign(s.actor, idParam(req)));
        });
  route("POST", v1 + "/letters/{id}/answer", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.answer(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/letters/{id}/close", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.close(s.actor, idParam(req), body(req)));
        });
  for (const char* ext : {"pdf", "docx"}) {
    const bool pdf = std::string(ext) == "pdf";
    route("GET", v1 + "/letters/{id}/document." + ext, [&sv, pdf](Request& req, const service::SessionInfo& s) {
            auto f = sv.letters.document(s.actor, idParam(req), pdf);
            Response res;
            res.content_type = f.content_type;
            res.body = std::move(f.body);
            res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.ascii_filename +
                                                                "\"; filename*=UTF-8''" + f.filename);
            res.headers.emplace_back("Cache-Control", "no-store");
            return res;
          });
  }
  route("GET", v1 + "/summons", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.summons(s.actor, idQuery(req, "project_id"), idQuery(req, "unit_id"),
                                                      intQuery(req, "page", 1, 1, 1000000),
                                                      intQuery(req, "page_size", 20, 1, service::kLetterPageMax)));
        });
  route("POST", v1 + "/summons", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.letters.createSummons(s.actor, body(req)));
        });
  route("POST", v1 + "/summons/{id}/follow-up", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.letters.followUpSummons(s.actor, idParam(req), body(req)));
        });
  // The five seed counties as presets: names, county, seed and what each kind of rules they set.
  route("GET", v1 + "/presets", [](Request&, const service::SessionInfo&) {
          return jsonResponse(200, {{"items", service::presetsJson()}});
        });
  // --- outgoing webhooks (DingTalk / WeCom group robots), county administrators only
  route("GET", v1 + "/webhooks", [&sv](Request&, const service::SessionInfo& s) {
          return jsonResponse(200, sv.webhooks.list(s.actor));
        });
  route("POST", v1 + "/webhooks", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.webhooks.create(s.actor, body(req)));
        });
  route("PUT", v1 + "/webhooks/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.webhooks.update(s.actor, idParam(req), body(req)));
        });
  route("DELETE", v1 + "/webhooks/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.webhooks.remove(s.actor, idParam(req)));
        });
  route("POST", v1 + "/webhooks/{id}/test", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(202, sv.webhooks.sendTest(s.actor, idParam(req)));
        });
  route("GET", v1 + "/webhooks/{id}/deliveries", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.webhooks.deliveries(s.actor, idParam(req), intQuery(req, "page", 1, 1, 100000)));
        });
  // --- five accounts (五账法), show-results meetings (晒实绩), drill marks (拉练) and quarterly awards
  route("GET", v1 + "/ledgers", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.ledgers.month(s.actor, req.q("month")));
        });
  route("GET", v1 + "/ledgers/{month}/{unit_id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.ledgers.get(s.actor, req.params.at("month"), idParam(req, "unit_id")));
        });
  route("POST", v1 + "/ledgers/{month}/{unit_id}/{step}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.ledgers.step(s.actor, req.params.at("month"), idParam(req, "unit_id"),
                                                   req.params.at("step"), body(req)));
        });
  route("GET", v1 + "/show-results", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.list(s.actor, req.q("year")));
        });
  route("POST", v1 + "/show-results", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.showResults.create(s.actor, body(req)));
        });
  route("GET", v1 + "/show-results/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.get(s.actor, idParam(req)));
        });
  route("POST", v1 + "/show-results/{id}/ratings", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.rate(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/show-results/{id}/close", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.close(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/drill/{month}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.drill(s.actor, req.params.at("month")));
        });
  route("POST", v1 + "/drill/{month}/marks", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.showResults.drillMarks(s.actor, req.params.at("month"), body(req)));
        });
  route("GET", v1 + "/awards", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.awards.quarter(s.actor, req.q("quarter")));
        });
  route("GET", v1 + "/awards/register", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.awards.registerOf(s.actor, req.q("year")));
        });
  route("POST", v1 + "/awards/{quarter}/confirm", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.awards.confirm(s.actor, req.params.at("quarter"), body(req)));
        });
  // --- the monthly ranking (挂榜排名): board, close, revisions, verification, trend, drill-down, yellow cards
  {
    auto revisionNo = [](const Request& req) {
      const auto n = idParam(req, "n");
      if (n < 1 || n > 1000000) throw service::notFound("没有这一版排名");
      return static_cast<int>(n);
    };
    route("GET", v1 + "/rankings", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.rankings.board(s.actor, req.q("month"), req.q("region")));
          });
    route("GET", v1 + "/rankings/trend", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.rankings.trend(s.actor, req.q("year"), req.q("region")));
          });
    route("POST", v1 + "/rankings/{month}/close", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(201, sv.rankings.close(s.actor, req.params.at("month"), body(req)));
          });
    route("POST", v1 + "/rankings/{month}/revisions", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(201, sv.rankings.revise(s.actor, req.params.at("month"), body(req)));
          });
    route("GET", v1 + "/rankings/{month}/revisions/{n}", [&sv, revisionNo](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.rankings.revision(s.actor, req.params.at("month"), revisionNo(req), req.q("region")));
          });
    for (const char* m : {"GET", "POST"})
      route(m, v1 + "/rankings/{month}/revisions/{n}/verify",
            [&sv, revisionNo](Request& req, const service::SessionInfo& s) {
              return jsonResponse(200, sv.rankings.verify(s.actor, req.params.at("month"), revisionNo(req), req.q("region")));
            });
    route("GET", v1 + "/rankings/{month}/units/{id}", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.rankings.unit(s.actor, req.params.at("month"), idParam(req), req.q("region")));
          });
    route("GET", v1 + "/yellow-cards", [&sv](Request& req, const service::SessionInfo& s) {
            return jsonResponse(200, sv.rankings.yellowCards(s.actor, req.q("year"), req.q("region")));
          });
  }
  // --- inspection bulletins (督查通报): generated by headquarters, edited while a draft, issued numbered and frozen
  route("GET", v1 + "/bulletins", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.bulletins.list(s.actor, req.q("status"), intQuery(req, "page", 1, 1, 1000000),
                                                     intQuery(req, "page_size", 20, 1, service::kBulletinPageMax)));
        });
  route("POST", v1 + "/bulletins", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.bulletins.generate(s.actor, body(req)));
        });
  route("GET", v1 + "/bulletins/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.bulletins.get(s.actor, idParam(req)));
        });
  route("PUT", v1 + "/bulletins/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.bulletins.update(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/bulletins/{id}/issue", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.bulletins.issue(s.actor, idParam(req)));
        });
  for (const char* ext : {"pdf", "docx"}) {
    const bool pdf = std::string(ext) == "pdf";
    route("GET", v1 + "/bulletins/{id}/document." + ext, [&sv, pdf](Request& req, const service::SessionInfo& s) {
            auto f = sv.bulletins.document(s.actor, idParam(req), pdf);
            Response res;
            res.content_type = f.content_type;
            res.body = std::move(f.body);
            res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.ascii_filename +
                                                                "\"; filename*=UTF-8''" + f.filename);
            res.headers.emplace_back("Cache-Control", "no-store");
            return res;
          });
  }
  // --- ten-day inspection (每旬必督): plans per 旬, visits with findings, a finding → a problem or a letter draft
  route("GET", v1 + "/inspections", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inspections.list(s.actor, req.q("period")));
        });
  route("POST", v1 + "/inspections", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.inspections.create(s.actor, body(req)));
        });
  route("POST", v1 + "/inspections/findings/{id}/problem", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.inspections.toProblem(s.actor, idParam(req), body(req)));
        });
  route("POST", v1 + "/inspections/findings/{id}/letter", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.inspections.toLetter(s.actor, idParam(req), body(req)));
        });
  route("GET", v1 + "/inspections/{id}", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(200, sv.inspections.get(s.actor, idParam(req)));
        });
  route("POST", v1 + "/inspections/{id}/visits", [&sv](Request& req, const service::SessionInfo& s) {
          return jsonResponse(201, sv.inspections.addVisit(s.actor, idParam(req), body(req)));
        });
}

int Api::laneOf(const Request& req) {
  // The path as the router sees it: repeated and trailing slashes do not matter there, so they must not here.
  std::string p;
  for (char ch : req.path)
    if (ch != '/' || p.empty() || p.back() != '/') p += ch;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/api/v1/auth/login" || p == "/api/v1/auth/password") return kLaneAuth;
  // Creating a user, or editing one with a new password, hashes it (argon2id, 64 MiB): the hashing lane too.
  // Setting up a county creates its administrator, whose password is hashed the same way.
  if (req.method == "POST" && (p == "/api/v1/setup" || p == "/api/v1/counties")) return kLaneAuth;
  if ((req.method == "POST" && p == "/api/v1/users") || (req.method == "PATCH" && p.starts_with("/api/v1/users/")))
    return kLaneAuth;
  // A photo upload is decoded and shrunk twice by libvips: slow work, on the bulk lane.
  if (req.method == "POST" && p.starts_with("/api/v1/projects/") && p.ends_with("/photos")) return kLaneBulk;
  if (p == "/api/v1/projects/import" || p == "/api/v1/projects/export.xlsx" || p == "/api/v1/projects/template.xlsx")
    return kLaneBulk;
  // Saving a webhook resolves its host name (the address check): not on the ordinary lane.
  if ((req.method == "POST" && p == "/api/v1/webhooks") || (req.method == "PUT" && p.starts_with("/api/v1/webhooks/")))
    return kLaneBulk;
  // The period summary table (汇总表) reads every project of a county; its xlsx is built there too.
  if (p.starts_with("/api/v1/periods/") && (p.ends_with("/summary") || p.ends_with("/summary.xlsx"))) return kLaneBulk;
  // A demand's reply letter is rendered like the three letters: bulk lane.
  if (p.starts_with("/api/v1/problems/") && (p.ends_with("/reply.pdf") || p.ends_with("/reply.docx"))) return kLaneBulk;
  // The problem figures read every problem of the scope; the xlsx is built there too.
  if (p == "/api/v1/problems/figures" || p == "/api/v1/problems/figures.xlsx") return kLaneBulk;
  // The lists' workbooks read up to kListXlsxMax rows.
  if (p.starts_with("/api/v1/lists/") && p.ends_with(".xlsx")) return kLaneBulk;
  // A letter's printable document is laid out and rendered (PDF with embedded fonts): bulk lane.
  if (p.starts_with("/api/v1/letters/") && (p.ends_with("/document.pdf") || p.ends_with("/document.docx")))
    return kLaneBulk;
  // The monthly ranking gathers every unit's figures from the county's projects, reports, visits, problems and
  // letters (a live preview, a close, a revision, a drill-down); the awards' candidates read a quarter the same way.
  if (p == "/api/v1/rankings" || p.starts_with("/api/v1/rankings/") || p == "/api/v1/awards") return kLaneBulk;
  // Generating a bulletin reads the county's figures over its span (projects, reports, lights, letters, problems).
  if (req.method == "POST" && p == "/api/v1/bulletins") return kLaneBulk;
  // A bulletin's printable document, like a letter's: bulk lane.
  if (p.starts_with("/api/v1/bulletins/") && (p.ends_with("/document.pdf") || p.ends_with("/document.docx")))
    return kLaneBulk;
  // Commitments and quarterly lists: the commitments' and the quarterly assessment's workbooks.
  if (p == "/api/v1/commitments.xlsx" || p == "/api/v1/assessment.xlsx") return kLaneBulk;
  return kLaneDefault;
}

Response Api::handle(Request& req) {
  if (req.path.rfind("/api/", 0) != 0) return serveStatic(req);
  bool wrongMethod = false;
  auto route = router_.match(req, wrongMethod);
  if (!route.handler) {
    if (wrongMethod) return simpleError(405, "method_not_allowed", "不支持的请求方法");
    return simpleError(404, "not_found", "接口不存在");
  }
  try {
    if (route.access == Access::Public) return (*route.handler)(req);
    // Every other route: a signed-in session, and the session's CSRF token on anything but a read.
    auto session = s_.auth.authenticate(req.cookie("steward_session"));
    if (!session) return simpleError(401, "unauthenticated", "请先登录");
    if (req.method != "GET" && req.method != "HEAD") {
      auto token = req.header("x-csrf-token");
      if (token.empty() || token != session->csrf_token)
        return simpleError(403, "csrf_failed", "缺少或错误的 CSRF 令牌，请刷新页面后重试");
    }
    req.session = &*session;
    auto res = (*route.handler)(req);
    req.session = nullptr;
    res.user = session->actor.username;
    return res;
  } catch (const ServiceError& e) {
    req.session = nullptr;
    return errorResponse(e);
  } catch (const std::exception& e) {
    // Database and other unexpected failures: logged here, never shown to the client.
    req.session = nullptr;
    std::fprintf(stderr, "error: %s (%s %s)\n", e.what(), req.method.c_str(), req.path.c_str());
    return simpleError(500, "internal", "服务器内部错误");
  }
}

Response Api::serveStatic(const Request& req) {
  if (!opt_.web) return simpleError(404, "not_found", "未配置网页目录");
  return opt_.web->serve(req);
}

}  // namespace steward::http
