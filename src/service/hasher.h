// The one bounded hasher: every argon2id hash and check in the process runs through here. Each costs 64 MiB and
// about 0.17 s of a core, so at most kConcurrentHashes run at once, whichever lane or command asks.
#pragma once
#include <string>

namespace steward::service {

inline constexpr int kConcurrentHashes = 2;

// core::hashPassword under the bound.
std::string hashPasswordBounded(const std::string& password);
// core::verifyPassword under the bound.
bool verifyPasswordBounded(const std::string& hash, const std::string& password);

}  // namespace steward::service
