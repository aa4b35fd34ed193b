#include "core/rate_limit.h"

#include <cmath>

namespace steward::core {

bool RateLimiter::take(const std::string& key, TimePoint now, int& retryAfterSeconds) {
  retryAfterSeconds = 0;
  if (perMinute_ <= 0) return true;  // 0 disables the limit
  const double rate = perMinute_ / 60.0;  // tokens a second
  std::lock_guard g(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= maxKeys_) prune(now);
    if (buckets_.size() >= maxKeys_) {
      // Still full of active keys: an attack on many keys at once. Refuse new keys until some refill.
      retryAfterSeconds = static_cast<int>(std::ceil(1.0 / rate));
      return false;
    }
    it = buckets_.emplace(key, Bucket{static_cast<double>(perMinute_), now}).first;
  }
  auto& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.at).count();
  if (elapsed > 0) {
    b.tokens = std::min<double>(perMinute_, b.tokens + elapsed * rate);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  retryAfterSeconds = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate)));
  return false;
}

std::size_t RateLimiter::keys() const {
  std::lock_guard g(mu_);
  return buckets_.size();
}

// Drops buckets that have refilled completely: they hold no information.
void RateLimiter::prune(TimePoint now) {
  const double rate = perMinute_ / 60.0;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double elapsed = std::chrono::duration<double>(now - it->second.at).count();
    if (it->second.tokens + elapsed * rate >= perMinute_)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace steward::core
