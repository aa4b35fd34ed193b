// Typed reads from a JSON request body; a wrong type or a missing required field becomes a field error.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "service/errors.h"

namespace steward::service {

class JsonInput {
 public:
  JsonInput(const nlohmann::json& in, Validator& v) : in_(in), v_(v) {
    if (!in_.is_object()) throw badRequest("请求体必须是 JSON 对象");
  }
  bool has(const char* k) const { return in_.contains(k); }
  bool isNull(const char* k) const { return in_.contains(k) && in_[k].is_null(); }

  std::optional<std::string> str(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    if (!in_[k].is_string()) return bad(k, "must_be_string");
    return in_[k].get<std::string>();
  }
  // Treats null as "clear this field".
  std::optional<std::string> strOrEmpty(const char* k) {
    if (!in_.contains(k) || in_[k].is_null()) return in_.contains(k) ? std::optional<std::string>("") : std::nullopt;
    return str(k, false);
  }
  std::optional<std::int64_t> i64(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    const auto& j = in_[k];
    if (!j.is_number_integer()) {
      v_.addType(k, "must_be_integer");
      return std::nullopt;
    }
    return j.get<std::int64_t>();
  }
  std::optional<bool> boolean(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    if (!in_[k].is_boolean()) {
      v_.addType(k, "must_be_boolean");
      return std::nullopt;
    }
    return in_[k].get<bool>();
  }
  std::optional<std::vector<std::string>> strList(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    const auto& j = in_[k];
    if (!j.is_array()) {
      v_.addType(k, "must_be_array");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& e : j) {
      if (!e.is_string()) {
        v_.addType(k, "must_be_array_of_strings");
        return std::nullopt;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

 private:
  bool present(const char* k, bool required) {
    if (in_.contains(k) && !in_[k].is_null()) return true;
    if (required) v_.add(k, "required");
    return false;
  }
  std::nullopt_t bad(const char* k, const char* why) {
    v_.addType(k, why);
    return std::nullopt;
  }
  const nlohmann::json& in_;
  Validator& v_;
};

}  // namespace steward::service
