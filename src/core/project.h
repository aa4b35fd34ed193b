// Domain types of the project library (项目库). Pure data: no I/O, no SQL, no JSON.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace steward::core {

// Money is an integer number of yuan (元); 万元/亿元 exist only at the edges (display, import).
using Yuan = std::int64_t;

// A calendar day as ISO "YYYY-MM-DD"; empty optional means unknown.
using Date = std::optional<std::string>;

enum class FundingSource { CentralBudget, SpecialBonds, SelfRaised, BankLoans, Other };
inline constexpr std::array<const char*, 5> kFundingKeys = {"central_budget", "special_bonds", "self_raised",
                                                            "bank_loans", "other"};
inline constexpr std::array<const char*, 5> kFundingNames = {"中央预算内", "专项债", "企业自筹", "银行贷款",
                                                             "其他"};

inline constexpr std::array<const char*, 6> kCategoryKeys = {"industrial", "infrastructure", "social",
                                                             "agriculture", "ecology", "other"};
inline constexpr std::array<const char*, 6> kCategoryNames = {"产业项目", "基础设施", "社会民生",
                                                              "农业农村", "生态环保", "其他"};

inline constexpr std::array<const char*, 3> kLevelKeys = {"province", "city", "county"};
inline constexpr std::array<const char*, 3> kLevelNames = {"省重点", "市重点", "县重点"};

struct Project {
  std::int64_t id = 0;
  std::string region_code;
  std::string name;
  std::string code;  // 投资项目统一代码, may be empty in the reserve
  std::string category = "industrial";
  std::string industry;
  std::string chain;
  std::string enterprise_name;
  std::string enterprise_credit_code;  // 统一社会信用代码, 18 chars, may be empty
  std::optional<std::int64_t> township_id;
  std::string township_name;  // denormalised for import/export matching
  std::string address;
  std::optional<double> lng, lat;  // coordinates are not money
  std::vector<std::string> levels;  // subset of kLevelKeys
  Yuan total_investment = 0;
  std::array<Yuan, 5> funding{};  // indexed by FundingSource
  Date signed_date, planned_start, actual_start, planned_completion, actual_completion, production_date;
  Date planned_production;  // 计划投产: the assignment letter counts its slip
  std::string content;  // 建设内容及规模
  std::string stage = "planning";
  std::string status = "active";
  std::string status_reason;
  std::optional<std::int64_t> unit_id;  // responsible unit
  std::string unit_name;
  std::optional<std::int64_t> leader_id;  // 项目长
  std::string leader_name;
  std::int64_t version = 0;
};

}  // namespace steward::core
