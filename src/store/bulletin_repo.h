// Inspection bulletins (督查通报): every statement about bulletins and bulletin_sequences, and the figures a
// bulletin is generated from (projects, reports, light history, letters and problems of a county over a span).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct BulletinRecord {
  std::int64_t id = 0;
  std::string region_code, period_start, period_end, status = "draft";
  std::optional<std::int64_t> year, seq;
  std::string number, title, recipient;
  std::string paragraphs = "[]";  // JSON array of strings
  std::string sections = "{}";    // JSON object, frozen at generation
  std::string created_at, updated_at;
  std::optional<std::int64_t> created_by, issued_by;
  std::optional<std::string> issued_at;
  std::int64_t version = 1;
};

// One active project of the county, as the figures need it.
struct BulletinProject {
  std::int64_t id = 0;
  std::string name, code, stage;
  std::optional<std::int64_t> unit_id, township_id;
  std::string unit_name, township_name;
  std::optional<std::string> planned_start, actual_start;
  std::int64_t total_investment = 0;
};

// Figures keyed by project or unit id.
struct BulletinFigures {
  std::vector<BulletinProject> projects;
  std::map<std::int64_t, std::int64_t> investment_span;  // project → reported investment in the span
  std::map<std::int64_t, std::int64_t> investment_year;  // project → reported investment from Jan 1 to the end
  std::map<std::int64_t, std::int64_t> percent;          // project → physical progress (%) of its last report
  std::map<std::int64_t, std::string> light_before;      // project → light the day before the span
  std::map<std::int64_t, std::string> light_end;         // project → light on the span's last day
  std::map<std::string, std::int64_t> letters_issued;    // kind → letters issued in the span
  std::map<std::int64_t, std::int64_t> letters_overdue;  // recipient unit (0: a person) → letters overdue at the end
  std::map<std::int64_t, std::int64_t> problems_overdue;  // lead unit (0: none) → problems overdue at the end
};

class BulletinRepo {
 public:
  explicit BulletinRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const BulletinRecord& b);
  std::optional<BulletinRecord> find(std::int64_t id);
  std::vector<BulletinRecord> page(const std::string& scopeRegion, const std::string& status, int limit, int offset);
  std::int64_t count(const std::string& scopeRegion, const std::string& status);
  // Edits a draft's text when its version is `version`; false when stale or no longer a draft.
  bool updateDraft(const BulletinRecord& b, std::int64_t version);
  // Whether the county already has a bulletin (draft or issued) over exactly these days.
  bool hasSpan(const std::string& region, const std::string& start, const std::string& end);
  std::int64_t nextSeq(const std::string& region, std::int64_t year);
  bool markIssued(std::int64_t id, std::int64_t year, std::int64_t seq, const std::string& number,
                  const std::string& at, std::optional<std::int64_t> by);
  std::optional<std::string> regionName(const std::string& code);
  // The figures of county `region` for the days start..end; issued times in the span are [fromIso, toIso).
  BulletinFigures figures(const std::string& region, const std::string& start, const std::string& end,
                          const std::string& dayBefore, const std::string& fromIso, const std::string& toIso);

 private:
  Connection& c_;
};

}  // namespace steward::store
