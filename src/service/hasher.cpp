#include "service/hasher.h"

#include <semaphore>

#include "core/password.h"

namespace steward::service {

namespace {

std::counting_semaphore<kConcurrentHashes>& slots() {
  static std::counting_semaphore<kConcurrentHashes> s{kConcurrentHashes};
  return s;
}

template <class F>
auto bounded(F&& f) {
  slots().acquire();
  struct Release {
    ~Release() { slots().release(); }
  } release;
  return f();
}

}  // namespace

std::string hashPasswordBounded(const std::string& password) {
  return bounded([&] { return core::hashPassword(password); });
}

bool verifyPasswordBounded(const std::string& hash, const std::string& password) {
  return bounded([&] { return core::verifyPassword(hash, password); });
}

}  // namespace steward::service
