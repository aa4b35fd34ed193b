// The three letters (三函), work reminders and summons (约谈): every statement about letters, letter_sequences
// and summons, and the people a letter's issuing and answering notify.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct LetterRecord {
  std::int64_t id = 0;
  std::string region_code;
  std::optional<std::int64_t> project_id;
  std::string kind, status = "draft", trigger_key;
  std::optional<std::int64_t> year, seq;
  std::string number, title;
  std::optional<std::int64_t> recipient_unit_id, recipient_user_id;
  std::string facts, action;
  std::optional<std::string> sign_due, answer_due;
  std::string drafted_at;
  std::optional<std::int64_t> drafted_by;
  std::optional<std::string> issued_at, signed_at, answered_at, closed_at;
  std::optional<std::int64_t> issued_by, signed_by, answered_by, closed_by;
  std::string answer, close_note;
  std::int64_t version = 1;
  // read only
  std::string project_code, project_name, recipient_unit_name, recipient_user_name;
  std::optional<std::int64_t> project_leader_id;
};

// Who may see which letters in a listing: everything in the region scope, or only letters to a unit, to a user,
// or about projects a user leads (any of those that are set).
struct LetterFilter {
  std::string scope_region;
  bool all = true;
  std::optional<std::int64_t> to_unit, to_user, led_by;
  std::string status, kind;  // empty: any (a listing leaves discarded drafts out unless asked for them)
  std::optional<std::int64_t> unit_id, project_id;
  bool overdue_only = false;
  bool open_only = false;  // issued or signed: waiting for the recipient
  std::string today;       // for overdue
};

struct SummonsRecord {
  std::int64_t id = 0;
  std::string region_code;
  std::optional<std::int64_t> project_id;
  std::int64_t unit_id = 0;
  std::optional<std::int64_t> letter_id;
  std::string principal, held_on;
  std::string attendees = "[]";  // JSON array of names
  std::string reason, commitments;
  std::optional<std::string> follow_up_due, followed_up_at;
  std::string follow_up_note;
  std::optional<std::int64_t> created_by;
  std::string created_at;
  std::int64_t version = 1;
  // read only
  std::string project_code, project_name, unit_name;
};

class LetterRepo {
 public:
  explicit LetterRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const LetterRecord& l);
  // Inserts a triggered letter unless the project already has one of this kind for this trigger key; the new
  // id, or nullopt when it was there already.
  std::optional<std::int64_t> insertTriggered(const LetterRecord& l);
  std::optional<LetterRecord> find(std::int64_t id);
  // Edits a draft at `version`; false when it is no longer a draft at that version.
  bool updateDraft(const LetterRecord& l, std::int64_t version);
  // The next number of the county's sequence for `kind` and `year`, taken inside the caller's write transaction:
  // the row is created at 1 or incremented, then read back, so numbers are never reused and never skipped.
  std::int64_t nextSeq(const std::string& region, const std::string& kind, std::int64_t year);
  // The step changes; each bumps the version and checks the status it leaves (false: someone else moved it).
  bool markIssued(std::int64_t id, std::int64_t year, std::int64_t seq, const std::string& number,
                  const std::string& signDue, const std::string& answerDue, const std::string& at,
                  std::optional<std::int64_t> by);
  bool markSigned(std::int64_t id, const std::string& at, std::optional<std::int64_t> by);
  bool markAnswered(std::int64_t id, const std::string& answer, const std::string& at, std::optional<std::int64_t> by);
  bool markClosed(std::int64_t id, const std::string& note, const std::string& at, std::optional<std::int64_t> by);
  bool markDiscarded(std::int64_t id, const std::string& at, std::optional<std::int64_t> by);

  std::vector<LetterRecord> page(const LetterFilter& f, int limit, int offset);
  std::int64_t count(const LetterFilter& f);
  // Letters per status under the filter's visibility (status/kind/overdue ignored), and the overdue ones.
  std::map<std::string, std::int64_t> countsByStatus(const LetterFilter& f);
  // Drafts of a region, oldest first (the demo walks them).
  std::vector<std::int64_t> draftIds(const std::string& region, int limit);

  // Enabled users of an org unit; enabled headquarters users (role hq) of a region.
  std::optional<std::string> orgUnitName(std::int64_t id, const std::string& region);
  std::optional<std::string> userName(std::int64_t id, const std::string& region);

  std::int64_t insertSummons(const SummonsRecord& s);
  std::optional<SummonsRecord> findSummons(std::int64_t id);
  bool followUpSummons(std::int64_t id, const std::string& note, const std::string& at);
  std::vector<SummonsRecord> summonsPage(const std::string& scopeRegion, std::optional<std::int64_t> projectId,
                                         std::optional<std::int64_t> unitId, int limit, int offset);
  std::int64_t summonsCount(const std::string& scopeRegion, std::optional<std::int64_t> projectId,
                            std::optional<std::int64_t> unitId);

 private:
  Connection& c_;
};

}  // namespace steward::store
