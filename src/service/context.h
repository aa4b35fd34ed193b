// What every use case needs: the database, the clock, and the signed-in actor.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "core/access.h"
#include "core/time.h"
#include "store/db.h"

namespace steward::service {

using Clock = std::function<core::TimePoint()>;

struct Env {
  store::Database* db = nullptr;
  Clock now = core::systemNow;
  // The audit chain's HMAC key (32 bytes, from a file outside the database); empty: unkeyed SHA-256.
  std::string audit_key{};
  // Where photos' bytes live: this directory (content-addressed files), or the database when empty.
  std::string photo_dir{};
  std::string nowIso() const { return core::formatTimestamp(now()); }
};

}  // namespace steward::service
