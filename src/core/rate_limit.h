// Token buckets by key (a client address, a username): `per_minute` requests, refilled evenly, with a burst of
// the same size. Thread-safe and bounded in memory. Time is passed in, so tests drive it with their clock.
#pragma once
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace steward::core {

class RateLimiter {
 public:
  explicit RateLimiter(int perMinute, std::size_t maxKeys = 100000) : perMinute_(perMinute), maxKeys_(maxKeys) {}
  // Takes one token for key. False when the bucket is empty; retryAfterSeconds then says when one is back.
  bool take(const std::string& key, TimePoint now, int& retryAfterSeconds);
  std::size_t keys() const;

 private:
  struct Bucket {
    double tokens;
    TimePoint at;
  };
  void prune(TimePoint now);
  int perMinute_;
  std::size_t maxKeys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace steward::core
