// Expected failures of a use case, mapped to HTTP status in exactly one place (http/errors).
#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace steward::service {

enum class ErrorKind {
  BadRequest,
  Unauthenticated,
  Forbidden,
  NotFound,
  Conflict,
  Validation,
  Locked,
  TooLarge,
  TooManyRequests,  // extra.retry_after (seconds) becomes the Retry-After header
};

struct FieldError {
  std::string field;
  std::string reason;
};

class ServiceError : public std::runtime_error {
 public:
  ServiceError(ErrorKind kind, std::string code, const std::string& message, std::vector<FieldError> fields = {},
               nlohmann::json extra = nlohmann::json::object())
      : std::runtime_error(message), kind(kind), code(std::move(code)), fields(std::move(fields)),
        extra(std::move(extra)) {}
  ErrorKind kind;
  std::string code;
  std::vector<FieldError> fields;
  nlohmann::json extra;  // merged into the error body (e.g. import cells, locked_until)
};

inline ServiceError forbidden(std::string msg = "没有权限执行此操作") {
  return ServiceError(ErrorKind::Forbidden, "forbidden", std::move(msg));
}
inline ServiceError notFound(std::string msg = "资源不存在") {
  return ServiceError(ErrorKind::NotFound, "not_found", std::move(msg));
}
inline ServiceError badRequest(std::string msg) { return ServiceError(ErrorKind::BadRequest, "bad_request", std::move(msg)); }
inline ServiceError conflict(std::string msg, std::vector<FieldError> f = {}) {
  return ServiceError(ErrorKind::Conflict, "conflict", std::move(msg), std::move(f));
}

// Collects field errors and throws one 422 naming all of them.
class Validator {
 public:
  void add(std::string field, std::string reason) { fields_.push_back({std::move(field), std::move(reason)}); }
  // A value of the wrong JSON type is a malformed request (400), not a business-rule failure (422).
  void addType(std::string field, std::string reason) {
    badType_ = true;
    add(std::move(field), std::move(reason));
  }
  bool ok() const { return fields_.empty(); }
  void throwIfAny(const std::string& msg = "输入有误，请检查标出的字段") const {
    if (fields_.empty()) return;
    if (badType_) throw ServiceError(ErrorKind::BadRequest, "bad_request", "请求中有字段类型不正确", fields_);
    throw ServiceError(ErrorKind::Validation, "validation_failed", msg, fields_);
  }

 private:
  std::vector<FieldError> fields_;
  bool badType_ = false;
};

}  // namespace steward::service
