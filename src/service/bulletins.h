// Inspection bulletins (督查通报): headquarters generates one from the county's figures over a span of days
// (started or not, progress and investment, lights and their changes, letters issued and overdue, overdue
// problems, units and townships praised and criticised) into frozen sections plus editable text, edits the text
// while it is a draft (version-checked), and issues it: numbered in the county's yearly sequence
// (衡重项通〔2026〕3号, the prefix following the county's letter prefix) and frozen. As PDF and DOCX in the
// GB/T 9704 layout of the letters.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"
#include "service/letters.h"

namespace steward::service {

inline constexpr int kBulletinPageMax = 100;
inline constexpr std::size_t kBulletinTitleMax = 200;
inline constexpr std::size_t kBulletinRecipientMax = 500;
inline constexpr std::size_t kBulletinParagraphsMax = 60;
inline constexpr std::size_t kBulletinParagraphMax = 4000;
inline constexpr std::int64_t kBulletinSpanMaxDays = 366;
// Units, townships and projects a bulletin names at most in each list.
inline constexpr std::size_t kBulletinNamedMax = 3;
inline constexpr std::size_t kBulletinListedMax = 30;

class BulletinsService {
 public:
  explicit BulletinsService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const std::string& status, int page, int pageSize);
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  // {period_start, period_end}: a draft generated from the figures (201).
  nlohmann::json generate(const core::Actor& a, const nlohmann::json& in);
  // {version, title?, recipient?, paragraphs?}: edits a draft's text; 409 when stale or issued.
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json issue(const core::Actor& a, std::int64_t id);
  LetterFile document(const core::Actor& a, std::int64_t id, bool pdf);
  // The daily job: for every county whose cadence rules name a bulletin cadence (Jingle weekly),
  // once the county's day has passed the end of a period, a draft over that period for headquarters to edit and
  // issue — once per period (a bulletin over the same days, draft or issued, is left alone). Returns how many
  // drafts were made.
  int draftDue(core::TimePoint now);

 private:
  // A draft over the days start..end of county `region`, inside the caller's transaction; `a` null: the system
  // (the daily job), audited as such.
  static nlohmann::json draftIn(store::Connection& c, const Env& env, const std::string& region,
                                const std::string& start, const std::string& end, const core::Actor* a);
  Env env_;
};

}  // namespace steward::service
