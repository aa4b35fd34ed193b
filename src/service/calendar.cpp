#include "service/calendar.h"

#include <map>
#include <mutex>
#include <set>

#include "core/limits.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"
#include "store/calendar_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

constexpr int kMinYear = 1900, kMaxYear = 2200;
constexpr std::size_t kMaxName = 20;

std::mutex cacheMutex;
struct Cached {
  std::string stamp;
  std::shared_ptr<const core::WorkCalendar> cal;
};
std::map<const store::Connection*, Cached> cache;

json daysJson(const std::vector<core::CalendarDay>& days) {
  json out = json::array();
  for (const auto& d : days) out.push_back({{"day", d.day}, {"name", d.name}});
  return out;
}

}  // namespace

bool canSetCalendar(const core::Actor& a) {
  return a.has("admin") && core::regionLevel(a.region_code) == core::RegionLevel::Province;
}

int calendarYearParam(const std::string& t) {
  bool digits = t.size() == 4;
  for (char ch : t) digits = digits && ch >= '0' && ch <= '9';
  const int y = digits ? std::stoi(t) : 0;
  if (!digits || y < kMinYear || y > kMaxYear)
    throw ServiceError(ErrorKind::Validation, "validation_failed", "年份应为 1900–2200 的四位数字", {{"year", "invalid"}});
  return y;
}

std::shared_ptr<const core::WorkCalendar> workCalendar(store::Connection& c) {
  store::CalendarRepository repo(c);
  auto stamp = repo.stamp();
  {
    std::lock_guard lock(cacheMutex);
    auto it = cache.find(&c);
    if (it != cache.end() && it->second.stamp == stamp) return it->second.cal;
  }
  auto cal = std::make_shared<core::WorkCalendar>(core::embeddedWorkCalendar());
  for (const auto& y : repo.all()) cal->setYear(y.year);
  std::lock_guard lock(cacheMutex);
  if (cache.size() > 256) cache.clear();
  cache[&c] = {stamp, cal};
  return cal;
}

core::WorkCalendar loadWorkCalendar(store::Connection& c) { return *workCalendar(c); }

core::CalendarYear parseCalendarYear(int year, const json& body) {
  Validator v;
  core::CalendarYear out;
  out.year = year;
  if (!body.is_object()) {
    v.addType("body", "invalid");
    v.throwIfAny();
  }
  std::map<std::string, std::string> holidayAt;  // day → field
  std::string clash;
  for (const char* kind : {"holidays", "workdays"}) {
    const std::string k = kind;
    if (!body.contains(k) || body[k].is_null()) {
      v.add(k, "required");
      continue;
    }
    const auto& list = body[k];
    if (!list.is_array()) {
      v.addType(k, "invalid");
      continue;
    }
    if (list.size() > kCalendarMaxEntries) {
      v.add(k, "too_many");
      continue;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto path = k + "[" + std::to_string(i) + "]";
      const auto& e = list[i];
      if (!e.is_object()) {
        v.addType(path, "invalid");
        continue;
      }
      core::CalendarDay d;
      if (!e.contains("day") || !e["day"].is_string()) {
        v.add(path + ".day", e.contains("day") ? "invalid" : "required");
      } else {
        d.day = e["day"].get<std::string>();
        if (!core::isIsoDate(d.day)) v.add(path + ".day", "invalid");
        else if (d.day.substr(0, 4) != std::to_string(year)) v.add(path + ".day", "outside_year");
        else if (!seen.insert(d.day).second) v.add(path + ".day", "duplicate");
        else if (k == "holidays") holidayAt[d.day] = path;
        else if (holidayAt.count(d.day)) {
          v.add(path + ".day", "also_holiday");
          if (clash.empty()) clash = d.day;
        }
      }
      if (!e.contains("name") || !e["name"].is_string() || e["name"].get<std::string>().empty()) {
        v.add(path + ".name", e.contains("name") && !e["name"].is_string() ? "invalid" : "required");
      } else {
        d.name = e["name"].get<std::string>();
        if (core::textLength(d.name) > kMaxName) v.add(path + ".name", "too_long");
        else if (d.name.find_first_of("\t\r\n") != std::string::npos) v.add(path + ".name", "invalid");
      }
      (k == "holidays" ? out.holidays : out.workdays).push_back(std::move(d));
    }
  }
  if (!clash.empty()) v.throwIfAny(clash + " 既是节假日又是调休上班日");
  v.throwIfAny(std::to_string(year) + "年节假日安排有误，请检查标出的条目");
  return out;
}

json CalendarService::show(int year) {
  if (year < kMinYear || year > kMaxYear) calendarYearParam(std::to_string(year));
  return env_.db->transact(false, [&](store::Connection& c) {
    auto cal = workCalendar(c);
    json out = {{"year", year}, {"covered", cal->isCovered(year)}, {"source", nullptr}, {"updated_at", nullptr},
                {"author", nullptr}, {"holidays", json::array()}, {"workdays", json::array()}};
    json years = json::array();
    for (int y : cal->coveredYears()) years.push_back(y);
    out["covered_years"] = years;
    if (auto y = cal->year(year)) {
      out["holidays"] = daysJson(y->holidays);
      out["workdays"] = daysJson(y->workdays);
      out["source"] = "embedded";
      for (const auto& s : store::CalendarRepository(c).all())
        if (s.year.year == year) {
          out["source"] = "imported";
          out["updated_at"] = s.updated_at;
          out["author"] = s.author;
        }
    } else {
      out["warning"] = std::to_string(year) + "年节假日未导入，只按周六、周日计休";
    }
    return out;
  });
}

json CalendarService::put(const core::Actor* a, int year, const json& body) {
  if (a && !canSetCalendar(*a)) throw forbidden("节假日安排是全国统一的，只有系统管理员（省级管理员）可以导入");
  if (year < kMinYear || year > kMaxYear) calendarYearParam(std::to_string(year));
  auto parsed = parseCalendarYear(year, body);
  const std::string author = a ? a->username : "cli";
  writeTransaction(env_, kNationalRegion, [&](store::Connection& c) {
    store::CalendarRepository repo(c);
    json before = nullptr;
    for (const auto& s : repo.all())
      if (s.year.year == year)
        before = {{"holidays", daysJson(s.year.holidays)}, {"workdays", daysJson(s.year.workdays)}};
    repo.replaceYear(parsed, env_.nowIso(), author);
    appendAudit(c, env_, a,
                {kNationalRegion, before.is_null() ? "create" : "update", "work_calendar", std::to_string(year), before,
                 {{"holidays", daysJson(parsed.holidays)}, {"workdays", daysJson(parsed.workdays)}}});
    return 0;
  });
  return show(year);
}

json CalendarService::importFile(const json& file) {
  if (!file.is_object() || !file.contains("year") || !file["year"].is_number_integer())
    throw ServiceError(ErrorKind::Validation, "validation_failed", "文件缺少年份（\"year\": 2027）",
                       {{"year", file.is_object() && file.contains("year") ? "invalid" : "required"}});
  const auto y = file["year"].get<std::int64_t>();
  if (y < kMinYear || y > kMaxYear) calendarYearParam(std::to_string(y));
  return put(nullptr, static_cast<int>(y), file);
}

}  // namespace steward::service
