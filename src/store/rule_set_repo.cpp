#include "store/rule_set_repo.h"

namespace steward::store {
namespace {

const char* kCols = "region_code, kind, version, effective_from, body, created_at, author";

RuleSetRecord recordOf(const Row& r) {
  return {r.str("region_code"), r.str("kind"),       static_cast<int>(r.i64("version")), r.str("effective_from"),
          r.str("body"),        r.str("created_at"), r.str("author")};
}

std::vector<RuleSetRecord> recordsOf(const Result& res) {
  std::vector<RuleSetRecord> out;
  out.reserve(res.rows.size());
  for (const auto& r : res.rows) out.push_back(recordOf(r));
  return out;
}

}  // namespace

std::optional<RuleSetRecord> RuleSetRepository::inForce(const std::string& region, const std::string& kind,
                                                         const std::string& day) {
  auto r = c_.query(std::string("SELECT ") + kCols +
                        " FROM rule_sets WHERE region_code = ? AND kind = ? AND effective_from <= ? "
                        "ORDER BY effective_from DESC, version DESC LIMIT 1",
                    {region, kind, day});
  if (r.empty()) return std::nullopt;
  return recordOf(r.one());
}

std::vector<RuleSetRecord> RuleSetRepository::versions(const std::string& region, const std::string& kind, int limit,
                                                       std::optional<int> beforeVersion) {
  Params p{region, kind};
  std::string sql = std::string("SELECT ") + kCols + " FROM rule_sets WHERE region_code = ? AND kind = ?";
  if (beforeVersion) {
    sql += " AND version < ?";
    p.push_back(std::int64_t(*beforeVersion));
  }
  sql += " ORDER BY version DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  return recordsOf(c_.query(sql, p));
}

int RuleSetRepository::latestVersion(const std::string& region, const std::string& kind) {
  return static_cast<int>(
      c_.query("SELECT COALESCE(MAX(version), 0) FROM rule_sets WHERE region_code = ? AND kind = ?", {region, kind})
          .one()
          .i64(0));
}

void RuleSetRepository::insert(const RuleSetRecord& r) {
  c_.exec("INSERT INTO rule_sets (region_code, kind, version, effective_from, body, created_at, author) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {r.region_code, r.kind, std::int64_t(r.version), r.effective_from, r.body, r.created_at, r.author});
}

std::vector<RuleSetRecord> RuleSetRepository::listByKind(const std::string& region, int perKind) {
  std::vector<RuleSetRecord> out;
  for (const auto& k : c_.query("SELECT DISTINCT kind FROM rule_sets WHERE region_code = ? ORDER BY kind", {region}).rows)
    for (auto& r : versions(region, k.str(0), perKind)) out.push_back(std::move(r));
  return out;
}

bool RuleSetRepository::regionExists(const std::string& region) {
  return !c_.query("SELECT 1 FROM regions WHERE code = ?", {region}).empty();
}

std::vector<std::string> RuleSetRepository::projectStagesInUse(const std::string& region) {
  std::vector<std::string> out;
  for (const auto& r : c_.query("SELECT DISTINCT stage FROM projects WHERE region_code = ? ORDER BY stage", {region}).rows)
    out.push_back(r.str(0));
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> RuleSetRepository::projectStages(const std::string& region) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& r : c_.query("SELECT id, stage FROM projects WHERE region_code = ? ORDER BY id", {region}).rows)
    out.emplace_back(r.i64(0), r.str(1));
  return out;
}

}  // namespace steward::store
