// Ten-day inspection (每旬必督): headquarters plans a 旬 (2026-03-2: the second ten days of March) naming projects
// and their inspectors (users with the role inspector or hq); an inspector records a visit to a planned project
// with its findings (text and photos already uploaded to the county); a finding becomes a problem (the problems'
// raise path, its photos as evidence) or a letter draft (the letters' hand-drafting path, a 工作提示 by default)
// with one click, at most once each. The plan's report sums the 旬: planned and visited, started, reported
// investment and progress, findings and what became of them.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kInspectionTargetsMax = 200;
inline constexpr std::size_t kInspectionNoteMax = 1000;
inline constexpr std::size_t kInspectionSummaryMax = 2000;
inline constexpr std::size_t kInspectionFindingsMax = 20;
inline constexpr std::size_t kInspectionFindingMax = 2000;
inline constexpr std::size_t kInspectionPhotosMax = 9;
inline constexpr int kInspectionPlansMax = 100;

class InspectionsService {
 public:
  explicit InspectionsService(Env env) : env_(env) {}
  // The plans in scope, newest first; `period` (2026-03-2) filters to one 旬.
  nlohmann::json list(const core::Actor& a, const std::string& period);
  // {period, targets: [{project_id, inspector_id}], note?} (headquarters; one plan per county and 旬: 409).
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  // The plan with its targets, visits and findings, and its report.
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  // {project_id, visited_on, summary?, findings: [{text, photos?: [hash]}]} by the target's inspector or hq.
  nlohmann::json addVisit(const core::Actor& a, std::int64_t planId, const nlohmann::json& in);
  // The finding raised as a problem: {title?, category?}; 409 when it already is one. The problem.
  nlohmann::json toProblem(const core::Actor& a, std::int64_t findingId, const nlohmann::json& in);
  // The finding drafted as a letter: {kind? (work_reminder|reminder|assignment|supervision)}; 409 when it already
  // is one. The letter draft.
  nlohmann::json toLetter(const core::Actor& a, std::int64_t findingId, const nlohmann::json& in);

 private:
  Env env_;
};

}  // namespace steward::service
