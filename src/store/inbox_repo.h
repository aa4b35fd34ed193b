// Each user's in-app inbox: reminders now; letters, problems and escalations later add their kinds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct InboxMessage {
  std::int64_t id = 0;
  std::string region_code;
  std::int64_t user_id = 0;
  std::string kind;  // report_reminder, report_returned, …
  std::string title, body;
  std::optional<std::int64_t> project_id, sender_id;
  std::optional<std::string> dedupe_key;
  std::string link;  // the UI path it is about, "" when none
  std::string created_at;
  std::optional<std::string> read_at;
};

class InboxRepo {
 public:
  explicit InboxRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const InboxMessage& m);
  // Inserts unless the user already has a message with the same dedupe_key; whether it inserted.
  bool insertOnce(const InboxMessage& m);
  // Newest first, at most `limit`, with ids below `before` when given.
  std::vector<InboxMessage> page(std::int64_t userId, int limit, std::optional<std::int64_t> before);
  std::int64_t unread(std::int64_t userId);
  // Marks the user's own message read; false when the user has no such message.
  bool markRead(std::int64_t userId, std::int64_t id, const std::string& now);
  std::int64_t markAllRead(std::int64_t userId, const std::string& now);

 private:
  Connection& c_;
};

}  // namespace steward::store
