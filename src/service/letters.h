// The three letters (三函: 提醒函, 交办函, 督办函), work reminders (工作提示) and summons (约谈). A letter is drafted
// by a trigger of the county's light rules (applyLetterTriggers) or by hand, issued by headquarters (which numbers
// it), signed for and answered by its recipient, and closed by headquarters; each step has its due day, and an
// overdue step is computed from the county's day. The printable document is returned as bytes.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/lights.h"
#include "service/context.h"
#include "store/db.h"

namespace steward::service {

// A page of letters or summons; the text caps of their fields.
inline constexpr int kLetterPageMax = 200;
inline constexpr std::size_t kLetterTitleMax = 200;
inline constexpr std::size_t kLetterFactsMax = 4000;
inline constexpr std::size_t kLetterActionMax = 2000;
inline constexpr std::size_t kLetterAnswerMax = 4000;
inline constexpr std::size_t kLetterNoteMax = 500;
inline constexpr std::size_t kSummonsAttendeesMax = 30;
inline constexpr std::size_t kSummonsTextMax = 2000;
// Open letters the inbox lists at most.
inline constexpr int kLetterInboxMax = 200;

// Drafts (or, with rules.auto_issue, issues) one letter per trigger the project does not have yet (unique project,
// kind and trigger_key), audited as the system, inside the caller's write transaction; how many it created.
int applyLetterTriggers(store::Connection& c, const std::string& region, std::int64_t projectId,
                        const std::vector<core::lights::LetterTrigger>& triggers,
                        const core::lights::LightRules& rules, const std::string& day, const std::string& nowIso);
// The same with the caller's Env, so the audit entries are HMAC-keyed like the rest (env.audit_key): a keyed chain
// refuses unkeyed entries, so a server with an audit key must call this form.
int applyLetterTriggers(const Env& env, store::Connection& c, const std::string& region, std::int64_t projectId,
                        const std::vector<core::lights::LetterTrigger>& triggers,
                        const core::lights::LightRules& rules, const std::string& day, const std::string& nowIso);

// `isoDay` plus a span of days or calendar months (the same day of the month, clamped to the month's end).
std::string letterSpanAfter(const std::string& isoDay, const core::lights::Span& s);

struct LetterQuery {
  std::string status, kind;
  std::optional<std::int64_t> unit_id, project_id;
  bool overdue = false;
  int page = 1, page_size = 20;
};

struct LetterFile {
  std::string body;
  std::string content_type;
  std::string filename;        // the number (or 草稿-<id>) with its extension, UTF-8
  std::string ascii_filename;  // letter-<id>.<ext>
};

class LettersService {
 public:
  explicit LettersService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const LetterQuery& q);
  // The open letters (issued, signed) to the actor's unit or to the actor: {items, counts}.
  nlohmann::json inbox(const core::Actor& a);
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  // Headquarters drafts by hand: {project_id, kind, recipient_unit_id?, recipient_user_id?, title?, facts, action,
  // answer_due?}.
  // `alsoIn` (when given) runs inside the draft's transaction with the new letter's id (see ProblemsService::raise).
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in,
                        const std::function<void(store::Connection&, std::int64_t)>& alsoIn = {});
  // Edits a draft: {version, title?, facts?, action?, recipient_unit_id?, recipient_user_id?, answer_due?}.
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json issue(const core::Actor& a, std::int64_t id);
  nlohmann::json discard(const core::Actor& a, std::int64_t id);
  nlohmann::json sign(const core::Actor& a, std::int64_t id);
  nlohmann::json answer(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json close(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  // The letter as a printable document (pdf = false: DOCX).
  LetterFile document(const core::Actor& a, std::int64_t id, bool pdf);

  nlohmann::json summons(const core::Actor& a, std::optional<std::int64_t> projectId,
                         std::optional<std::int64_t> unitId, int page, int pageSize);
  nlohmann::json createSummons(const core::Actor& a, const nlohmann::json& in);
  nlohmann::json followUpSummons(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

 private:
  Env env_;
};

}  // namespace steward::service
