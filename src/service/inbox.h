// Each user's in-app inbox: a page of messages, the unread count for the header, marking read.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr int kInboxPageMax = 100;

class InboxService {
 public:
  explicit InboxService(Env env) : env_(env) {}
  // The actor's messages newest first: {"items", "next_before", "unread"}.
  nlohmann::json list(const core::Actor& a, std::optional<std::int64_t> before, int limit);
  nlohmann::json unread(const core::Actor& a);
  // 404 when the message is not the actor's own.
  nlohmann::json markRead(const core::Actor& a, std::int64_t id);
  nlohmann::json markAllRead(const core::Actor& a);

 private:
  Env env_;
};

}  // namespace steward::service
