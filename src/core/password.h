// Password hashing with argon2id (libsodium's crypto_pwhash_str, INTERACTIVE limits: ~165 ms, 64 MiB).
#pragma once
#include <string>
#include <string_view>

namespace steward::core {

std::string hashPassword(std::string_view password);
bool verifyPassword(const std::string& hash, std::string_view password);

}  // namespace steward::core
