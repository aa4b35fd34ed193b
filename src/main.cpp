// The steward command line: serve, migrate, demo, user, audit, import/export, routes, version.
#include <fcntl.h>
#include <termios.h>
#include <sodium.h>
#include <unistd.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/validate.h"
#include "http/api.h"
#include "http/server.h"
#include "http/webhook_client.h"
#include "jobs/scheduler.h"
#include "service/demo.h"
#include "service/errors.h"
#include "service/presets.h"
#include "service/services.h"
#include "store/backup.h"
#include "store/migrations.h"

namespace {

using namespace steward;

const char* kUsage = R"(steward — 重点项目建设调度平台 (key-project dispatch)

usage: steward <command> [options]

commands:
  serve                 run the HTTP server (API under /api/v1 and the web UI)
  migrate               apply pending schema migrations
  demo                  load a demo county (--if-empty: only when the database has no users;
                        --preset NAME: under that county preset, demo stages mapped;
                        --no-reports: without the year of reports, visits and inbox messages)
  init                  set up a real county from the national region list: --region CODE --admin USERNAME
                        [--name 显示名] [--password P, else a prompt or one line on stdin] [--preset NAME]
                        [--add: the database already holds another county]
  user add|passwd|disable
                        manage users: --username U [--password P] [--display-name N] [--role R[,R]]
                        [--rank K] [--region CODE] [--org-unit ID]
  audit verify          check every region's audit chain; exit 1 naming the region and entry of a break
                        (--anchor FILE: also prove nothing up to that anchor was rewritten or cut off)
  audit anchor          print the head of every region's chain to keep outside the database (--out FILE)
  audit keygen FILE     write a new random audit key (0600) for [audit] key_file
  backup FILE           copy the database to FILE while it serves (SQLite online backup; pg_dump -Fc)
  restore FILE          restore a backup into an empty database (--force: replace what is there);
                        SQLite: stop the server first
  import projects FILE  import a project list from xlsx (--region CODE, --as USERNAME, --dry-run)
                        --create-missing creates the units and people it names but the county lacks
                        (--decisions FILE.json: {"units": {name: kind|"skip"}, "people": {name: "skip"}})
  export projects FILE  export the project list to xlsx (--region CODE)
  rules KIND            store a new version of a county's rule set of KIND (lifecycle): --region CODE
                        (--preset NAME | --file RULES.json) [--effective YYYY-MM-DD, default today];
                        presets of every kind: zhuxi, xianfeng, jingle, lianshui, hengdong
  evaluate              print every project's warning light with its reasons: [--as-of YYYY-MM-DD] (a past day
                        replays the data as it stood then) [--json] (one object a line) [--region CODE]
  rules list            print each kind's versions and effective dates: --region CODE
  remind                remind the liaisons of overdue progress reports, once per project and period
                        ([--region CODE] [--as-of YYYY-MM-DDTHH:MM:SSZ], default now; the scheduler's job)
  rules apply-preset NAME  store every kind of county preset NAME for --region CODE in one go
                        [--stage-map FILE (old stage key -> new, JSON object or TSV)] [--effective YYYY-MM-DD]
  calendar import FILE  store a year of national holidays and 调休 workdays (JSON: {"year", "holidays":
                        [{"day", "name"}], "workdays": [...]}; replaces that year of the embedded calendar)
  calendar show YEAR    print a year's holidays and workdays, and where they come from
  routes                print the API route table
  version               print the version

options (a flag beats the environment, which beats the config file):
  --config FILE         TOML file (env STEWARD_CONFIG; default ./steward.toml when present)
  --db URL              sqlite:PATH or postgresql://... (env STEWARD_DB; default sqlite:data/steward.db)
  --listen HOST:PORT    (env STEWARD_LISTEN; default 127.0.0.1:8080; port 0 picks a free port)
  --web DIR             built web UI to serve (env STEWARD_WEB; default web/dist when present)
  --threads N           request worker threads (env STEWARD_THREADS; default 8)
  --io-threads N        network threads (default 2)
  --queue N             ordinary requests waiting or running before new ones get 503 (default 1024)
  --auth-queue N        the same for sign-ins and password changes (default 64)
  --max-connections N   open connections in total (env STEWARD_MAX_CONNECTIONS; default 10000)
  --max-connections-per-client N
                        open connections per client address (env STEWARD_MAX_CONNECTIONS_PER_CLIENT; default 256)
  --trusted-proxies A,B reverse proxies whose X-Forwarded-For/-Proto are believed (env STEWARD_TRUSTED_PROXIES)
  --no-access-log       do not log each request
  --photo-storage KIND  where photos live: directory (default) or database (env STEWARD_PHOTO_STORAGE)
  --remind-interval S   seconds between the scheduler's runs of the overdue-report reminders (env
                        STEWARD_REMIND_INTERVAL; [jobs] remind_interval_seconds; default 300; 0: off)
  --deliver-interval S  seconds between runs of the webhook delivery job (env STEWARD_DELIVER_INTERVAL;
                        [jobs] deliver_interval_seconds; default 30; 0: off). [webhooks] allow_http_hosts: hosts
                        that may be reached over http and at private addresses (test receivers, intranets)
  --photo-dir DIR       the photo directory (env STEWARD_PHOTO_DIR; default photos/ beside the SQLite database,
                        else data/photos)
  --clock-file FILE --allow-test-clock
                        tests only: take the current time from FILE (YYYY-MM-DDTHH:MM:SSZ) while it exists
  --login-rate-client N sign-in attempts a minute per client address (default 120; 0: no limit)
  --login-rate-user N   sign-in attempts a minute per username (default 10; 0: no limit)
  --audit-key-file FILE the audit chain's HMAC key, kept outside the database (env STEWARD_AUDIT_KEY_FILE;
                        [audit] key_file); without one the chain is unkeyed SHA-256
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool has(const std::string& k) const { return flags.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = flags.find(k);
    return it == flags.end() ? def : it->second;
  }
};

Args parseArgs(int argc, char** argv) {
  static const std::set<std::string> booleans = {"if-empty", "no-reports", "dry-run", "no-access-log", "help", "force",
                                                  "allow-test-clock", "add"};
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      auto eq = s.find('=');
      if (eq != std::string::npos) {
        a.flags[s.substr(2, eq - 2)] = s.substr(eq + 1);
      } else {
        auto k = s.substr(2);
        if (booleans.count(k) || i + 1 >= argc)
          a.flags[k] = "1";
        else
          a.flags[k] = argv[++i];
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

struct Config {
  std::string db = "sqlite:data/steward.db";
  std::string listen = "127.0.0.1:8080";
  std::string web;
  int threads = 8;
  int io_threads = 2;
  int auth_threads = 1;  // password hashing: argon2id costs 64 MiB and a core for ~0.2 s each
  int bulk_threads = 2;  // xlsx imports and exports
  int queue = 1024;      // ordinary requests waiting or running before 503
  int auth_queue = 64;   // sign-ins and password changes waiting or running before 503
  std::int64_t max_connections = 10000;
  std::int64_t max_connections_per_client = 256;
  std::vector<std::string> trusted_proxies;
  bool access_log = true;
  bool secure_cookie = false;
  service::AuthPolicy auth;
  std::string audit_key_file;
  std::string photo_storage = "directory";  // or "database" (several servers share the photos)
  std::string photo_dir;   // default: "photos" beside the SQLite database, else data/photos
  std::string clock_file;  // tests only: the current time, read from this file when it exists
  int remind_interval = 300;  // seconds between runs of the overdue-report reminder job; 0: off
  int deliver_interval = 30;  // seconds between runs of the webhook delivery job; 0: off
  service::WebhookPolicy webhooks;  // [webhooks] allow_http_hosts
  int webhook_timeout_ms = 10000;   // [webhooks] timeout_ms: one post, connect to last byte
};

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) {
    auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

// File, then environment, then flags.
Config loadConfig(const Args& a) {
  Config c;
  std::string file = a.get("config", std::getenv("STEWARD_CONFIG") ? std::getenv("STEWARD_CONFIG") : "");
  if (file.empty() && std::filesystem::exists("steward.toml")) file = "steward.toml";
  if (!file.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error("config " + file + ": " + std::string(e.description()));
    }
    c.db = t["database"]["url"].value_or(c.db);
    c.listen = t["server"]["listen"].value_or(c.listen);
    c.web = t["server"]["web"].value_or(c.web);
    c.threads = t["server"]["threads"].value_or(c.threads);
    c.io_threads = t["server"]["io_threads"].value_or(c.io_threads);
    c.auth_threads = t["server"]["auth_threads"].value_or(c.auth_threads);
    c.bulk_threads = t["server"]["bulk_threads"].value_or(c.bulk_threads);
    c.queue = t["server"]["queue"].value_or(c.queue);
    c.auth_queue = t["server"]["auth_queue"].value_or(c.auth_queue);
    c.max_connections = t["server"]["max_connections"].value_or(c.max_connections);
    c.max_connections_per_client = t["server"]["max_connections_per_client"].value_or(c.max_connections_per_client);
    if (auto* arr = t["server"]["trusted_proxies"].as_array())
      for (const auto& el : *arr)
        if (auto v = el.value<std::string>()) c.trusted_proxies.push_back(*v);
    c.access_log = t["server"]["access_log"].value_or(c.access_log);
    c.secure_cookie = t["server"]["secure_cookie"].value_or(c.secure_cookie);
    c.auth.login_per_client_per_minute =
        t["auth"]["login_per_client_per_minute"].value_or(c.auth.login_per_client_per_minute);
    c.auth.login_per_user_per_minute = t["auth"]["login_per_user_per_minute"].value_or(c.auth.login_per_user_per_minute);
    c.audit_key_file = t["audit"]["key_file"].value_or(c.audit_key_file);
    c.photo_storage = t["photos"]["storage"].value_or(c.photo_storage);
    c.photo_dir = t["photos"]["dir"].value_or(c.photo_dir);
    c.remind_interval = t["jobs"]["remind_interval_seconds"].value_or(c.remind_interval);
    c.deliver_interval = t["jobs"]["deliver_interval_seconds"].value_or(c.deliver_interval);
    if (auto* arr = t["webhooks"]["allow_http_hosts"].as_array())
      for (const auto& el : *arr)
        if (auto v = el.value<std::string>()) c.webhooks.allow_http_hosts.push_back(*v);
    c.webhook_timeout_ms = t["webhooks"]["timeout_ms"].value_or(c.webhook_timeout_ms);
    if (c.webhook_timeout_ms < 100 || c.webhook_timeout_ms > 60000)
      throw std::runtime_error("[webhooks] timeout_ms: between 100 and 60000");
  }
  auto env = [](const char* k) -> std::string { return std::getenv(k) ? std::getenv(k) : ""; };
  if (!env("STEWARD_DB").empty()) c.db = env("STEWARD_DB");
  if (!env("STEWARD_LISTEN").empty()) c.listen = env("STEWARD_LISTEN");
  if (!env("STEWARD_WEB").empty()) c.web = env("STEWARD_WEB");
  if (!env("STEWARD_THREADS").empty()) c.threads = std::atoi(env("STEWARD_THREADS").c_str());
  if (!env("STEWARD_MAX_CONNECTIONS").empty()) c.max_connections = std::atoll(env("STEWARD_MAX_CONNECTIONS").c_str());
  if (!env("STEWARD_MAX_CONNECTIONS_PER_CLIENT").empty())
    c.max_connections_per_client = std::atoll(env("STEWARD_MAX_CONNECTIONS_PER_CLIENT").c_str());
  if (!env("STEWARD_TRUSTED_PROXIES").empty()) c.trusted_proxies = splitList(env("STEWARD_TRUSTED_PROXIES"));
  if (!env("STEWARD_AUDIT_KEY_FILE").empty()) c.audit_key_file = env("STEWARD_AUDIT_KEY_FILE");
  if (!env("STEWARD_PHOTO_STORAGE").empty()) c.photo_storage = env("STEWARD_PHOTO_STORAGE");
  if (!env("STEWARD_PHOTO_DIR").empty()) c.photo_dir = env("STEWARD_PHOTO_DIR");
  if (a.has("photo-storage")) c.photo_storage = a.get("photo-storage");
  if (a.has("photo-dir")) c.photo_dir = a.get("photo-dir");
  if (!env("STEWARD_REMIND_INTERVAL").empty()) c.remind_interval = std::atoi(env("STEWARD_REMIND_INTERVAL").c_str());
  if (a.has("remind-interval")) c.remind_interval = std::atoi(a.get("remind-interval").c_str());
  if (c.remind_interval < 0) throw std::runtime_error("--remind-interval wants seconds (0: off)");
  if (!env("STEWARD_DELIVER_INTERVAL").empty()) c.deliver_interval = std::atoi(env("STEWARD_DELIVER_INTERVAL").c_str());
  if (a.has("deliver-interval")) c.deliver_interval = std::atoi(a.get("deliver-interval").c_str());
  if (c.deliver_interval < 0) throw std::runtime_error("--deliver-interval wants seconds (0: off)");
  if (a.has("db")) c.db = a.get("db");
  if (a.has("listen")) c.listen = a.get("listen");
  if (a.has("web")) c.web = a.get("web");
  if (a.has("threads")) c.threads = std::atoi(a.get("threads").c_str());
  if (a.has("io-threads")) c.io_threads = std::atoi(a.get("io-threads").c_str());
  if (a.has("queue")) c.queue = std::atoi(a.get("queue").c_str());
  if (a.has("auth-queue")) c.auth_queue = std::atoi(a.get("auth-queue").c_str());
  if (a.has("max-connections")) c.max_connections = std::atoll(a.get("max-connections").c_str());
  if (a.has("max-connections-per-client"))
    c.max_connections_per_client = std::atoll(a.get("max-connections-per-client").c_str());
  if (a.has("trusted-proxies")) c.trusted_proxies = splitList(a.get("trusted-proxies"));
  if (a.has("no-access-log")) c.access_log = false;
  if (a.has("login-rate-client")) c.auth.login_per_client_per_minute = std::atoi(a.get("login-rate-client").c_str());
  if (a.has("login-rate-user")) c.auth.login_per_user_per_minute = std::atoi(a.get("login-rate-user").c_str());
  if (a.has("audit-key-file")) c.audit_key_file = a.get("audit-key-file");
  if (a.has("clock-file")) {
    if (!a.has("allow-test-clock"))
      throw std::runtime_error("--clock-file sets the time for tests; it needs --allow-test-clock as well");
    c.clock_file = a.get("clock-file");
  }
  if (c.web.empty() && std::filesystem::exists("web/dist/index.html")) c.web = "web/dist";
  if (c.threads < 1) c.threads = 1;
  if (c.io_threads < 1) c.io_threads = 1;
  if (c.auth_threads < 1) c.auth_threads = 1;
  if (c.bulk_threads < 1) c.bulk_threads = 1;
  if (c.queue < 1 || c.auth_queue < 1) throw std::runtime_error("queue and auth_queue must be at least 1");
  if (c.max_connections < 1 || c.max_connections_per_client < 1)
    throw std::runtime_error("max_connections and max_connections_per_client must be at least 1");
  return c;
}

std::unique_ptr<store::Database> openDb(const Config& c) {
  if (c.db.rfind("sqlite:", 0) == 0) {
    auto dir = std::filesystem::path(c.db.substr(7)).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
  }
  return store::Database::open(c.db, c.threads + c.auth_threads + c.bulk_threads + 2);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The services' environment: the database and, when configured, the audit key read from its file.
// A clock for tests: the time written in the file (YYYY-MM-DDTHH:MM:SSZ) while it exists, the system clock
// otherwise. Read at every call, so a test moves the county through days without sleeping.
service::Clock fileClock(const std::string& path) {
  return [path]() -> core::TimePoint {
    std::ifstream in(path);
    if (!in) return core::systemNow();
    std::string text;
    std::getline(in, text);
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
    core::TimePoint t;
    if (!core::parseTimestamp(text, t)) throw std::runtime_error("clock file " + path + ": not a timestamp: " + text);
    return t;
  };
}

service::Env makeEnv(store::Database* db, const Config& c) {
  service::Env env{db};
  // Photos: a directory beside the database unless the database itself is to hold them.
  if (c.photo_storage == "directory") {
    env.photo_dir = c.photo_dir;
    if (env.photo_dir.empty() && c.db.rfind("sqlite:", 0) == 0) {
      auto dir = std::filesystem::path(c.db.substr(7)).parent_path();
      env.photo_dir = ((dir.empty() ? std::filesystem::path(".") : dir) / "photos").string();
    }
    if (env.photo_dir.empty()) env.photo_dir = "data/photos";
  } else if (c.photo_storage != "database") {
    throw std::runtime_error("[photos] storage must be directory or database, not " + c.photo_storage);
  }
  if (!c.clock_file.empty()) {
    env.now = fileClock(c.clock_file);
    std::cerr << "warning: test clock: the time comes from " << c.clock_file << std::endl;
  }
  if (!c.audit_key_file.empty()) {
    auto key = core::parseAuditKey(readFile(c.audit_key_file));
    if (!key)
      throw std::runtime_error("audit key file " + c.audit_key_file +
                               ": not a key (64 hex digits or 32 bytes; make one with `steward audit keygen FILE`)");
    env.audit_key = *key;
    if ((std::filesystem::status(c.audit_key_file).permissions() &
         (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) != std::filesystem::perms::none)
      std::cerr << "warning: audit key file " << c.audit_key_file << " is readable by others; chmod 600 it"
                << std::endl;
  }
  return env;
}

int cmdServe(const Config& c) {
  auto db = openDb(c);
  store::requireCurrentSchema(*db);
  auto env = makeEnv(db.get(), c);
  if (env.audit_key.empty()) {
    if (service::AuditService(env).hasKeyedEntries())
      throw std::runtime_error("the audit chain is keyed but no audit key is configured ([audit] key_file, "
                               "STEWARD_AUDIT_KEY_FILE or --audit-key-file)");
    std::cerr << "warning: no audit key configured: the audit chain is unkeyed SHA-256, which whoever can write "
                 "the database can recompute (see docs/audit.md)"
              << std::endl;
  }
  service::Services s(env, c.auth, c.webhooks);
  if (auto code = s.setup.openFirstRun())
    std::cerr << "no county is set up yet: open the web UI and enter the one-time setup code " << *code
              << " (or run `steward init`)" << std::endl;
  auto web = http::StaticFiles::load(c.web);
  http::Api api(s, {web, c.secure_cookie});
  http::ServerOptions o;
  auto colon = c.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen needs HOST:PORT");
  o.host = c.listen.substr(0, colon);
  o.port = static_cast<unsigned short>(std::stoi(c.listen.substr(colon + 1)));
  o.threads = c.threads;
  o.io_threads = c.io_threads;
  // Lanes 1 and 2 (see Api::laneOf): a sign-in flood waits in its own short queue instead of everyone's.
  o.max_queue = c.queue;
  o.extra_lanes = {{c.auth_threads, c.auth_queue}, {c.bulk_threads, 16}};
  o.max_connections = static_cast<std::size_t>(c.max_connections);
  o.max_connections_per_client = static_cast<std::size_t>(c.max_connections_per_client);
  o.trusted_proxies = c.trusted_proxies;
  o.access_log = c.access_log;
  // Scheduled work on its own thread: reminders of overdue reports at their deadline (and every interval after).
  jobs::Scheduler scheduler(std::cerr);
  for (auto& j : jobs::standardJobs(env, std::chrono::seconds(c.remind_interval))) scheduler.add(std::move(j));
  if (c.deliver_interval > 0)
    scheduler.add(jobs::webhookDeliveryJob(
        env, c.webhooks,
        http::webhookTransport({std::chrono::milliseconds(std::min(5000, c.webhook_timeout_ms)),
                                std::chrono::milliseconds(c.webhook_timeout_ms), 64 * 1024}),
        std::chrono::seconds(c.deliver_interval)));
  scheduler.start();
  http::runServer(
      o, [&api](http::Request& r) { return api.handle(r); },
      [&](unsigned short port) {
        std::cout << "steward listening on http://" << o.host << ":" << port << std::endl;
        if (c.web.empty()) std::cerr << "note: no web UI directory (build web/ or pass --web)" << std::endl;
        else std::cerr << "web UI: " << web->size() << " files, " << web->bytes() / 1024 << " KiB in memory" << std::endl;
      },
      &http::Api::laneOf);
  scheduler.stop();
  std::cerr << "steward stopped" << std::endl;
  return 0;
}

int cmdUser(const Args& a, const Config& c) {
  if (a.positional.size() < 2) throw std::runtime_error("user needs add|passwd|disable");
  auto db = openDb(c);
  store::requireCurrentSchema(*db);
  service::Services s(makeEnv(db.get(), c));
  const auto& sub = a.positional[1];
  auto username = a.get("username");
  if (username.empty()) throw std::runtime_error("--username is required");
  if (sub == "add") {
    service::NewUser u;
    u.username = username;
    u.display_name = a.get("display-name", username);
    u.password = a.get("password");
    u.rank = a.get("rank", "staff");
    u.region_code = a.get("region");
    if (u.region_code.empty()) throw std::runtime_error("--region is required (6-digit region code)");
    std::stringstream ss(a.get("role", "viewer"));
    for (std::string r; std::getline(ss, r, ',');) u.roles.push_back(r);
    if (a.has("org-unit")) u.org_unit_id = std::stoll(a.get("org-unit"));
    auto out = s.org.createUser(nullptr, u);
    std::cout << "user " << username << " created (id " << out["id"] << ")" << std::endl;
  } else if (sub == "passwd") {
    if (!a.has("password")) throw std::runtime_error("--password is required");
    s.org.updateUser(nullptr, s.org.userIdByName(username), {{"password", a.get("password")}});
    std::cout << "password of " << username << " changed" << std::endl;
  } else if (sub == "disable" || sub == "enable") {
    s.org.updateUser(nullptr, s.org.userIdByName(username), {{"disabled", sub == "disable"}});
    std::cout << "user " << username << (sub == "disable" ? " disabled" : " enabled") << std::endl;
  } else {
    throw std::runtime_error("unknown user command: " + sub);
  }
  return 0;
}

// A password from --password, else typed at a prompt (not echoed), else the first line of standard input.
std::string readPassword(const Args& a, const std::string& prompt) {
  if (a.has("password")) return a.get("password");
  std::string pw;
  if (::isatty(STDIN_FILENO)) {
    std::cerr << prompt << std::flush;
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::getline(std::cin, pw);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << std::endl;
  } else {
    std::getline(std::cin, pw);
  }
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  return pw;
}

int cmdInit(const Args& a, const Config& c) {
  if (!a.has("region") || !a.has("admin"))
    throw std::runtime_error("usage: steward init --region CODE --admin USERNAME [--name 显示名] [--password P] "
                             "[--preset NAME] [--add]");
  auto db = openDb(c);
  store::migrate(*db);
  service::Services s(makeEnv(db.get(), c));
  service::CountySetup setup;
  setup.region_code = a.get("region");
  setup.admin_username = a.get("admin");
  setup.admin_display_name = a.get("name");
  setup.preset = a.get("preset");
  setup.add = a.has("add");
  setup.admin_password = readPassword(a, "password for " + setup.admin_username + ": ");
  auto report = s.setup.initCounty(setup);
  std::cout << service::setupReportText(report, c.db);
  return 0;
}

core::Actor cliActor(service::Services& s, store::Database& db, const Args& a) {
  // The command line acts as a named admin user; default: the first admin.
  auto c = db.acquire();
  std::string username = a.get("as");
  std::int64_t id;
  if (!username.empty()) {
    id = s.org.userIdByName(username);
  } else {
    auto first = s.org.firstAdminId();
    if (!first) throw std::runtime_error("no admin user: create one with `steward user add` or pass --as");
    id = *first;
  }
  auto actor = service::loadActor(*c, id);
  if (a.has("region")) actor.region_code = a.get("region");
  return actor;
}

void printServiceError(const service::ServiceError& e) {
  std::cerr << "error: " << e.what() << std::endl;
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.reason << std::endl;
  if (e.extra.contains("cells"))
    for (const auto& cell : e.extra["cells"])
      std::cerr << "  " << cell.value("sheet", "") << "!" << cell.value("column", "") << cell.value("row", 0) << " ("
                << cell.value("header", "") << "): " << cell.value("reason", "") << std::endl;
}

// The units and people an import's sheet names but the county lacks, once each, and the near-duplicate warnings.
void printImportMissing(const nlohmann::json& m, std::ostream& out) {
  auto rows = [](const nlohmann::json& x) {
    std::string s;
    for (const auto& r : x["rows"]) s += (s.empty() ? "" : ",") + std::to_string(r.get<int>());
    if (x["row_count"].get<std::size_t>() > x["rows"].size()) s += ",…";
    return s;
  };
  out << "the sheet names " << m["units"].size() << " units and " << m["people"].size()
      << " people the county does not have:" << std::endl;
  for (const auto& u : m["units"]) {
    out << "  unit   " << u["name"].get<std::string>() << "  kind " << u["kind"].get<std::string>();
    if (!u["creatable"].get<bool>()) out << " (never created by an import)";
    if (u["decision"] == "skip") out << " (skipped)";
    out << "  rows " << rows(u) << std::endl;
  }
  for (const auto& p : m["people"])
    out << "  person " << p["name"].get<std::string>() << "  county leader" << (p["decision"] == "skip" ? " (skipped)" : "")
        << "  rows " << rows(p) << std::endl;
  for (const auto& w : m["warnings"]) out << "warning: " << w["message"].get<std::string>() << std::endl;
}

int cmdAudit(const Args& a, const Config& c) {
  const std::string sub = a.positional.size() > 1 ? a.positional[1] : "";
  if (sub == "keygen") {
    if (a.positional.size() < 3) throw std::runtime_error("usage: steward audit keygen FILE");
    const auto& file = a.positional[2];
    std::string key(core::kAuditKeyBytes, '\0');
    randombytes_buf(key.data(), key.size());
    static const char* hex = "0123456789abcdef";
    std::string text;
    for (unsigned char ch : key) text += {hex[ch >> 4], hex[ch & 15]};
    text += "\n";
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);  // never readable by others, not even briefly
    if (fd < 0 && errno == EEXIST) throw std::runtime_error(file + " exists; not overwriting a key");
    if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size()) || ::fsync(fd) != 0)
      throw std::runtime_error("cannot write " + file);
    ::close(fd);
    std::cout << "audit key written to " << file << "; set [audit] key_file to it and keep a copy offline"
              << std::endl;
    return 0;
  }
  if (sub != "verify" && sub != "anchor")
    throw std::runtime_error(
        "usage: steward audit verify [--anchor FILE] | audit anchor [--out FILE] | audit keygen FILE");
  auto db = openDb(c);
  store::requireCurrentSchema(*db);
  service::AuditService audit(makeEnv(db.get(), c));
  if (sub == "anchor") {
    auto text = audit.anchor().dump(2) + "\n";
    if (!a.has("out")) {
      std::cout << text;
      return 0;
    }
    auto file = a.get("out");
    auto tmp = file + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, file);
    std::cout << "anchor written to " << file << std::endl;
    return 0;
  }
  std::optional<service::AuditService::Anchor> anchor;
  if (a.has("anchor")) {
    auto j = nlohmann::json::parse(readFile(a.get("anchor")), nullptr, false);
    anchor = service::AuditService::parseAnchor(j);
  }
  auto r = audit.verify(anchor);
  if (r.legacy)
    std::cout << "legacy chain (before per-region chains): " << (r.legacy->ok ? "ok" : "BROKEN") << ", "
              << r.legacy->rows << " entries" << std::endl;
  for (const auto& g : r.regions)
    std::cout << "region " << g.region << ": " << (g.ok ? "ok" : "BROKEN") << ", " << g.rows << " entries ("
              << g.keyed << " keyed)" << std::endl;
  if (const auto* b = r.firstBreak()) {
    std::cout << "audit chain BROKEN" << (b->region.empty() ? " in the legacy chain" : " in region " + b->region)
              << " at entry " << b->broken_at;
    if (!b->region.empty()) std::cout << " (row " << b->broken_seq << " of the region's chain)";
    std::cout << ": " << b->reason << " (" << r.rows << " entries read)" << std::endl;
    return 1;
  }
  std::cout << "audit chain ok: " << r.rows << " entries verified in " << r.regions.size() << " region"
            << (r.regions.size() == 1 ? "" : "s") << (anchor ? ", consistent with the anchor of " + anchor->at : "")
            << std::endl;
  return 0;
}

int cmdBackup(const Args& a, const Config& c) {
  const auto& cmd = a.positional[0];
  if (a.positional.size() < 2) throw std::runtime_error("usage: steward " + cmd + " --db URL FILE");
  const auto& file = a.positional[1];
  if (cmd == "backup") {
    store::backupDatabase(c.db, file);
    std::cout << "backup of the database written to " << file << std::endl;
  } else {
    store::restoreDatabase(c.db, file, a.has("force"));
    std::cout << "database restored from " << file << std::endl;
  }
  return 0;
}

int run(int argc, char** argv) {
  auto a = parseArgs(argc, argv);
  if (a.positional.empty() || a.has("help")) {
    std::cout << kUsage;
    return a.positional.empty() && !a.has("help") ? 2 : 0;
  }
  const auto& cmd = a.positional[0];
  if (cmd == "version") {
    std::cout << "steward " << STEWARD_VERSION << " (schema " << store::latestSchemaVersion() << ")" << std::endl;
    return 0;
  }
  auto c = loadConfig(a);
  if (cmd == "serve") return cmdServe(c);
  if (cmd == "migrate") {
    auto db = openDb(c);
    int n = store::migrate(*db);
    std::cout << "schema at version " << store::latestSchemaVersion() << " (" << n << " migration"
              << (n == 1 ? "" : "s") << " applied)" << std::endl;
    return 0;
  }
  if (cmd == "routes") {
    // The route table needs no database: build it over an unopened one.
    service::Services s(service::Env{nullptr});
    http::Api api(s, {});
    for (const auto& [m, p] : api.router().routes()) std::cout << m << " " << p << "\n";
    return 0;
  }
  if (cmd == "demo") {
    auto db = openDb(c);
    store::migrate(*db);
    auto env = makeEnv(db.get(), c);
    if (a.has("if-empty") && !service::databaseIsEmpty(env)) {
      std::cout << "database already has data; demo not loaded" << std::endl;
    } else {
      if (a.has("preset") && !service::findCountyPreset(a.get("preset")))
        throw std::runtime_error("unknown preset " + a.get("preset") + " (known: " + service::countyPresetNames() + ")");
      service::loadDemo(env, std::cout);
      if (a.has("preset")) {
        auto r = service::switchCountyPreset(env, nullptr, "430424", a.get("preset"), core::localDay(env.now()),
                                             service::demoStageMap(a.get("preset")));
        for (const auto& m : r["moved"])
          std::cout << "moved " << m["count"].get<std::int64_t>() << " demo projects from stage "
                    << m["from"].get<std::string>() << " to " << m["to"].get<std::string>() << std::endl;
        std::cout << "demo county under preset " << a.get("preset") << std::endl;
      }
      if (!a.has("no-reports")) {
        service::loadDemoActivity(env, std::cout);
        // The lights with 60 days of history behind them, each day evaluated on the data as it stood. The letters'
        // drafts come from the evaluations up to the day before they went out; the letters are walked through their
        // steps, the problems of the last seven weeks and last month's consultation made; then the 60 days are
        // evaluated again in order with all of it in place — so the history is what a replay finds, no corrections.
        service::LightsService lights(env);
        lights.backfill("430424", 60, service::kDemoLettersDaysAgo + 1);
        service::loadDemoLetters(env, std::cout);
        service::loadDemoProblems(env, std::cout);
        service::loadDemoConsultation(env, std::cout);
        service::loadDemoLedgers(env, std::cout);
        service::loadDemoRankings(env, std::cout);
        service::loadDemoCommitments(env, std::cout);
        auto lit = lights.backfill("430424", 60);
        std::cout << "lights: " << lit["counts"]["red"].get<int>() << " red, " << lit["counts"]["yellow"].get<int>()
                  << " yellow, " << lit["counts"]["green"].get<int>() << " green, with 60 days of history" << std::endl;
        // The weekly inspection bulletins, from the figures with the lights' history in place.
        service::loadDemoBulletins(env, std::cout);
        service::loadDemoInspections(env, std::cout);
      }
    }
    std::cout << service::demoLoginsText();
    return 0;
  }
  if (cmd == "user") return cmdUser(a, c);
  if (cmd == "init") return cmdInit(a, c);
  if (cmd == "rules") {
    const std::string kind = a.positional.size() > 1 ? a.positional[1] : "";
    if (kind.empty())
      throw std::runtime_error("usage: steward rules KIND --region CODE (--preset NAME | --file FILE) "
                               "[--effective YYYY-MM-DD], or steward rules list --region CODE (kinds: " +
                               service::ruleKindNames() + ")");
    if (kind == "apply-preset") {
      if (a.positional.size() < 3) throw std::runtime_error("usage: steward rules apply-preset NAME --region CODE [--stage-map FILE]");
      if (!a.has("region")) throw std::runtime_error("--region CODE is required");
      std::map<std::string, std::string> stageMap;
      if (a.has("stage-map")) {
        std::ifstream in(a.get("stage-map"), std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + a.get("stage-map"));
        std::stringstream ss;
        ss << in.rdbuf();
        stageMap = service::parseStageMap(ss.str());
      }
      auto db = openDb(c);
      store::requireCurrentSchema(*db);
      service::Services s(makeEnv(db.get(), c));
      auto effective = a.get("effective", core::localDay(s.env.now()));
      nlohmann::json r;
      try {
        r = service::switchCountyPreset(s.env, nullptr, a.get("region"), a.positional[2], effective, stageMap);
      } catch (const service::ServiceError& e) {
        std::cerr << "error: " << e.what() << std::endl;
        for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.reason << std::endl;
        return 1;
      }
      for (const auto& m : r["moved"])
        std::cout << "moved " << m["count"].get<std::int64_t>() << " projects from stage " << m["from"].get<std::string>()
                  << " to " << m["to"].get<std::string>() << std::endl;
      for (const auto& k : r["stored"]) {
        std::cout << k["kind"].get<std::string>() << " rules version " << k["version"].get<int>();
        if (k.contains("summary")) std::cout << " (" << k["summary"].get<std::string>() << ")";
        std::cout << std::endl;
      }
      for (const auto& g : r["groups"]) std::cout << "created working group " << g["name"].get<std::string>() << std::endl;
      std::cout << "preset " << a.positional[2] << " in force for " << a.get("region") << " from " << effective << std::endl;
      return 0;
    }
    if (kind != "list" && !service::findRuleKind(kind))
      throw std::runtime_error("unknown rule kind " + kind + " (known: " + service::ruleKindNames() + ")");
    if (!a.has("region")) throw std::runtime_error("--region CODE is required");
    auto db = openDb(c);
    store::requireCurrentSchema(*db);
    service::Services s(makeEnv(db.get(), c));
    if (kind == "list") {
      auto l = s.rules.list(a.get("region"));
      std::cout << "rule sets of " << l["region_code"].get<std::string>() << " (today "
                << l["today"].get<std::string>() << ")" << std::endl;
      for (const auto& k : l["kinds"]) {
        int inForce = k["in_force"].get<int>();
        std::cout << k["kind"].get<std::string>() << " (" << k["title"].get<std::string>() << "): "
                  << (inForce ? "version " + std::to_string(inForce) + " in force" : std::string("default in force"))
                  << std::endl;
        for (const auto& v : k["versions"])
          std::cout << "  version " << v["version"].get<int>() << "  from " << v["effective_from"].get<std::string>()
                    << "  stored " << v["created_at"].get<std::string>() << " by " << v["author"].get<std::string>()
                    << std::endl;
      }
      return 0;
    }
    nlohmann::json body;
    if (a.has("preset")) {
      body = s.rules.preset(kind, a.get("preset"));
    } else if (a.has("file")) {
      std::ifstream in(a.get("file"), std::ios::binary);
      if (!in) throw std::runtime_error("cannot read " + a.get("file"));
      std::stringstream ss;
      ss << in.rdbuf();
      body = nlohmann::json::parse(ss.str(), nullptr, false);
      if (body.is_discarded()) throw std::runtime_error(a.get("file") + ": not a " + kind + " rule set (not JSON)");
    } else {
      throw std::runtime_error("--preset or --file is required");
    }
    auto effective = a.get("effective", core::localDay(s.env.now()));
    nlohmann::json stored;
    try {
      stored = s.rules.store(nullptr, kind, a.get("region"), body, effective);
    } catch (const service::ServiceError& e) {
      if (e.code != "invalid_rule_set" || !a.has("file")) throw;
      std::cerr << "error: " << a.get("file") << ": not a " << kind << " rule set" << std::endl;
      for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.reason << std::endl;
      return 1;
    }
    std::cout << kind << " rules version " << stored["version"].get<int>() << " for " << a.get("region")
              << ", in force from " << effective;
    if (stored.contains("summary")) std::cout << " (" << stored["summary"].get<std::string>() << ")";
    std::cout << std::endl;
    return 0;
  }
  if (cmd == "evaluate") {
    auto db = openDb(c);
    store::requireCurrentSchema(*db);
    auto env = makeEnv(db.get(), c);
    const auto day = a.has("as-of") ? a.get("as-of") : core::localDay(env.now());
    if (!core::isIsoDate(day)) throw std::runtime_error("--as-of wants a day like 2023-10-31");
    std::vector<std::string> regions;
    if (a.has("region")) {
      regions.push_back(a.get("region"));
    } else {
      regions = service::LightsService(env).regionsWithProjects();
    }
    service::LightsService lights(env);
    for (const auto& region : regions)
      for (const auto& p : lights.evaluateAsOf(region, day)) {
        const auto& e = p.evaluation;
        if (a.has("json")) {
          nlohmann::json reasons = nlohmann::json::array();
          for (const auto& r : e.reasons) reasons.push_back(service::reasonJson(r));
          std::cout << nlohmann::json{{"id", p.id}, {"code", p.code}, {"name", p.name},
                                      {"light", core::lights::lightKey(e.light)}, {"reasons", reasons}}
                           .dump()
                    << "\n";
        } else {
          std::cout << p.id << "\t" << (p.code.empty() ? "-" : p.code) << "\t" << core::lights::lightLabel(e.light) << "\t"
                    << p.name << "\n";
          for (const auto& r : e.reasons) std::cout << "\t\t" << core::lights::dimensionLabel(r.dimension) << "：" << r.message << "\n";
        }
      }
    std::cout.flush();
    return 0;
  }
  if (cmd == "calendar") {
    const std::string sub = a.positional.size() > 1 ? a.positional[1] : "";
    if ((sub != "import" && sub != "show") || a.positional.size() < 3)
      throw std::runtime_error("usage: steward calendar import FILE [--db URL], or steward calendar show YEAR");
    auto db = openDb(c);
    store::requireCurrentSchema(*db);
    service::Services s(makeEnv(db.get(), c));
    nlohmann::json out;
    try {
      if (sub == "import") {
        std::ifstream in(a.positional[2], std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + a.positional[2]);
        std::stringstream ss;
        ss << in.rdbuf();
        auto file = nlohmann::json::parse(ss.str(), nullptr, false);
        if (file.is_discarded()) throw std::runtime_error(a.positional[2] + ": not a calendar file (not JSON)");
        out = s.calendar.importFile(file);
        std::cout << "calendar " << out["year"].get<int>() << " imported: " << out["holidays"].size()
                  << " holidays, " << out["workdays"].size() << " workdays" << std::endl;
        return 0;
      }
      out = s.calendar.show(service::calendarYearParam(a.positional[2]));
    } catch (const service::ServiceError& e) {
      std::cerr << "error: " << e.what() << std::endl;
      for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.reason << std::endl;
      return 1;
    }
    std::cout << "calendar " << out["year"].get<int>() << ": "
              << (out["covered"].get<bool>() ? out["source"].get<std::string>() : std::string("not covered"))
              << std::endl;
    if (out.contains("warning")) std::cout << out["warning"].get<std::string>() << std::endl;
    for (const auto& d : out["holidays"])
      std::cout << d["day"].get<std::string>() << "\tholiday\t" << d["name"].get<std::string>() << "\n";
    for (const auto& d : out["workdays"])
      std::cout << d["day"].get<std::string>() << "\tworkday\t" << d["name"].get<std::string>() << "\n";
    return 0;
  }
  if (cmd == "remind") {
    auto db = openDb(c);
    store::requireCurrentSchema(*db);
    auto env = makeEnv(db.get(), c);
    core::TimePoint asOf = env.now();
    if (a.has("as-of") && !core::parseTimestamp(a.get("as-of"), asOf))
      throw std::runtime_error("--as-of wants a UTC timestamp like 2026-02-05T10:00:01Z");
    service::ReportService reports(env);
    auto out = reports.remindOverdue(a.get("region"), asOf);
    std::cout << "reminders sent: " << out["sent"].get<std::int64_t>()
              << ", already sent before: " << out["already_sent"].get<std::int64_t>() << std::endl;
    return 0;
  }
  if (cmd == "audit") return cmdAudit(a, c);
  if (cmd == "backup" || cmd == "restore") return cmdBackup(a, c);
  if (cmd == "import" || cmd == "export") {
    if (a.positional.size() < 3 || a.positional[1] != "projects")
      throw std::runtime_error("usage: steward " + cmd + " projects FILE.xlsx");
    auto db = openDb(c);
    store::requireCurrentSchema(*db);
    service::Services s(makeEnv(db.get(), c));
    auto actor = cliActor(s, *db, a);
    const auto& file = a.positional[2];
    if (cmd == "export") {
      auto bytes = s.projects.exportXlsx(actor, {.page_size = 1000000});
      std::ofstream out(file, std::ios::binary);
      out << bytes;
      if (!out) throw std::runtime_error("cannot write " + file);
      std::cout << "exported to " << file << std::endl;
      return 0;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::stringstream ss;
    ss << in.rdbuf();
    service::ImportDecisions decisions;
    if (a.has("decisions")) {  // the dry run's list as edited: {"units": {name: kind | "skip"}, "people": {...}}
      std::ifstream din(a.get("decisions"), std::ios::binary);
      if (!din) throw std::runtime_error("cannot read " + a.get("decisions"));
      std::stringstream ds;
      ds << din.rdbuf();
      auto d = nlohmann::json::parse(ds.str(), nullptr, false);
      if (d.is_discarded()) throw std::runtime_error(a.get("decisions") + ": not JSON");
      decisions = service::ProjectService::importDecisions(d);
    }
    decisions.create_missing = a.has("create-missing");
    service::ImportOutcome r;
    try {
      r = s.projects.importXlsx(actor, ss.str(), a.has("dry-run"), decisions);
    } catch (const service::ServiceError& e) {
      printServiceError(e);
      if (e.extra.contains("missing")) printImportMissing(e.extra["missing"], std::cerr);
      return 1;
    }
    std::cout << (r.dry_run ? "checked " : "imported ") << r.rows << " rows: " << r.created << " created, "
              << r.updated << " updated" << std::endl;
    if (!r.missing.is_null()) {
      printImportMissing(r.missing, std::cout);
      if (r.dry_run && !decisions.create_missing)
        std::cout << "import with --create-missing to create them, or fix the names in the sheet" << std::endl;
    }
    if (!r.onboarded.is_null()) {
      for (const auto& u : r.onboarded["units"])
        std::cout << "created unit " << u["name"].get<std::string>() << " (" << u["kind"].get<std::string>() << ")"
                  << std::endl;
      for (const auto& p : r.onboarded["people"])
        std::cout << "created person " << p["display_name"].get<std::string>() << " (county leader, no sign-in yet: "
                  << p["username"].get<std::string>() << ")" << std::endl;
    }
    return 0;
  }
  std::cerr << "unknown command: " << cmd << "\n\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const service::ServiceError& e) {
    printServiceError(e);
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
