// Typed reads from a JSON request body; a wrong type or a missing required field becomes a field error, and so
// does a string or list over its cap (core/limits.h): `too_long` / `too_many`, never silently truncated.
#pragma once
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/money.h"
#include "core/validate.h"
#include "service/errors.h"

namespace steward::service {

class JsonInput {
 public:
  JsonInput(const nlohmann::json& in, Validator& v) : in_(in), v_(v) {
    if (!in_.is_object()) throw badRequest("请求体必须是 JSON 对象");
  }
  // Reads a nested object (a list element); field errors are named `prefix` + key, e.g. "nodes[3].name".
  JsonInput(const nlohmann::json& in, Validator& v, std::string prefix) : in_(in), v_(v), prefix_(std::move(prefix)) {
    if (!in_.is_object()) throw badRequest("请求体必须是 JSON 对象");
  }
  bool has(const char* k) const { return in_.contains(k); }
  bool isNull(const char* k) const { return in_.contains(k) && in_[k].is_null(); }

  // A string of at most `maxChars` characters; longer is refused as `too_long`.
  std::optional<std::string> str(const char* k, bool required, std::size_t maxChars = core::limits::kText) {
    if (!present(k, required)) return std::nullopt;
    if (!in_[k].is_string()) return bad(k, "must_be_string");
    const auto& s = in_[k].get_ref<const std::string&>();
    if (core::textLength(s) > maxChars) {
      v_.add(name(k), "too_long");
      return std::nullopt;
    }
    return s;
  }
  // Treats null as "clear this field".
  std::optional<std::string> strOrEmpty(const char* k, std::size_t maxChars = core::limits::kText) {
    if (!in_.contains(k) || in_[k].is_null()) return in_.contains(k) ? std::optional<std::string>("") : std::nullopt;
    return str(k, false, maxChars);
  }
  std::optional<std::int64_t> i64(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    return integer(in_[k], name(k), v_);
  }
  // An amount of money in integer yuan, 0 ≤ amount ≤ 10^15 (core::checkAmount).
  std::optional<std::int64_t> money(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    return amount(in_[k], name(k), v_);
  }
  // A JSON integer that fits int64; a non-integer is a type error (400), one beyond int64 is out_of_range (422).
  static std::optional<std::int64_t> integer(const nlohmann::json& j, const std::string& field, Validator& v) {
    if (!j.is_number_integer()) {
      v.addType(field, "must_be_integer");
      return std::nullopt;
    }
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
      v.add(field, "out_of_range");
      return std::nullopt;
    }
    return j.get<std::int64_t>();
  }
  static std::optional<std::int64_t> amount(const nlohmann::json& j, const std::string& field, Validator& v) {
    auto n = integer(j, field, v);
    if (!n) return std::nullopt;
    if (auto c = core::checkAmount(*n); c != core::AmountCheck::Ok) {
      v.add(field, std::string(core::amountReason(c)));
      return std::nullopt;
    }
    return n;
  }
  std::optional<bool> boolean(const char* k, bool required) {
    if (!present(k, required)) return std::nullopt;
    if (!in_[k].is_boolean()) {
      v_.addType(name(k), "must_be_boolean");
      return std::nullopt;
    }
    return in_[k].get<bool>();
  }
  // A list of at most `maxItems` strings of at most `maxChars` characters each.
  std::optional<std::vector<std::string>> strList(const char* k, bool required,
                                                  std::size_t maxItems = core::limits::kList,
                                                  std::size_t maxChars = core::limits::kText) {
    if (!present(k, required)) return std::nullopt;
    const auto& j = in_[k];
    if (!j.is_array()) {
      v_.addType(name(k), "must_be_array");
      return std::nullopt;
    }
    if (j.size() > maxItems) {
      v_.add(name(k), "too_many");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& e : j) {
      if (!e.is_string()) {
        v_.addType(name(k), "must_be_array_of_strings");
        return std::nullopt;
      }
      if (core::textLength(e.get_ref<const std::string&>()) > maxChars) {
        v_.add(name(k), "too_long");
        return std::nullopt;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  // The array under `k` when it is one of at most `maxItems` elements; type and size errors are recorded.
  const nlohmann::json* array(const char* k, bool required, std::size_t maxItems = core::limits::kList) {
    if (!present(k, required)) return nullptr;
    const auto& j = in_[k];
    if (!j.is_array()) {
      v_.addType(name(k), "must_be_array");
      return nullptr;
    }
    if (j.size() > maxItems) {
      v_.add(name(k), "too_many");
      return nullptr;
    }
    return &j;
  }

 private:
  bool present(const char* k, bool required) {
    if (in_.contains(k) && !in_[k].is_null()) return true;
    if (required) v_.add(name(k), "required");
    return false;
  }
  std::nullopt_t bad(const char* k, const char* why) {
    v_.addType(name(k), why);
    return std::nullopt;
  }
  std::string name(const char* k) const { return prefix_ + k; }
  const nlohmann::json& in_;
  Validator& v_;
  std::string prefix_;
};

}  // namespace steward::service
