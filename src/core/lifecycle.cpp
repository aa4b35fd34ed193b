#include "core/lifecycle.h"

namespace steward::core {

const Stage* Lifecycle::find(std::string_view key) const {
  for (const auto& s : stages)
    if (s.key == key) return &s;
  return nullptr;
}

int Lifecycle::indexOf(std::string_view key) const {
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (stages[i].key == key) return static_cast<int>(i);
  return -1;
}

namespace {
std::vector<NodeTemplate> standardNodes() {
  return {{"approval", "立项（审批/核准/备案）", "发展和改革局"},
          {"land_prereview", "用地预审与选址", "自然资源局"},
          {"planning_permit", "建设工程规划许可", "自然资源局"},
          {"eia", "环评批复", "生态环境"},
          {"energy", "节能审查（能评）", "发展和改革局"},
          {"construction_permit", "施工许可", "住房和城乡建设局"},
          {"start", "开工", ""},
          {"main_works", "主体完工", ""},
          {"acceptance", "竣工验收", "住房和城乡建设局"},
          {"production", "投产", "工业和信息化局"}};
}
}  // namespace

std::optional<Lifecycle> presetLifecycle(std::string_view name) {
  if (name == "hengdong")
    return Lifecycle{"hengdong",
                     {{"planning", "策划包装", {}},
                      {"prereview", "招商预审", {}},
                      {"signing", "谈判签约", {"signed_date"}},
                      {"siting", "规划选址", {"signed_date"}},
                      {"construction", "落地开工", {"actual_start"}},
                      {"review", "履约评估", {"actual_start"}},
                      {"operation", "竣工投产运营", {"actual_completion"}}},
                     standardNodes()};
  if (name == "zhuxi")
    return Lifecycle{"zhuxi",
                     {{"reserve", "谋划储备", {}},
                      {"negotiation", "洽谈", {}},
                      {"approvals", "手续办理", {"signed_date"}},
                      {"construction", "开工建设", {"actual_start"}},
                      {"operation", "投产运营", {"actual_completion"}}},
                     standardNodes()};
  if (name == "jingle")
    return Lifecycle{"jingle",
                     {{"intent", "意向", {}},
                      {"signing", "签约", {"signed_date"}},
                      {"contract", "合同", {"signed_date"}},
                      {"construction", "开工", {"actual_start"}}},
                     standardNodes()};
  return std::nullopt;
}

const Lifecycle& defaultLifecycle() {
  static const Lifecycle lc = *presetLifecycle("hengdong");
  return lc;
}

std::string projectFieldValue(const Project& p, std::string_view f) {
  auto d = [](const Date& x) { return x.value_or(""); };
  if (f == "signed_date") return d(p.signed_date);
  if (f == "planned_start") return d(p.planned_start);
  if (f == "actual_start") return d(p.actual_start);
  if (f == "planned_completion") return d(p.planned_completion);
  if (f == "actual_completion") return d(p.actual_completion);
  if (f == "production_date") return d(p.production_date);
  if (f == "code") return p.code;
  if (f == "enterprise_name") return p.enterprise_name;
  if (f == "enterprise_credit_code") return p.enterprise_credit_code;
  if (f == "leader_id") return p.leader_id ? std::to_string(*p.leader_id) : "";
  if (f == "unit_id") return p.unit_id ? std::to_string(*p.unit_id) : "";
  if (f == "total_investment") return p.total_investment > 0 ? std::to_string(p.total_investment) : "";
  return "";
}

std::vector<std::string> gateFailures(const Lifecycle& lc, const Project& p, std::string_view target) {
  const Stage* s = lc.find(target);
  if (!s) return {"stage"};
  std::vector<std::string> missing;
  for (const auto& f : s->requires_fields)
    if (projectFieldValue(p, f).empty()) missing.push_back(f);
  return missing;
}

}  // namespace steward::core
