// Photos: their facts by content hash, which projects they were uploaded for, which reports cite them, and (with
// the database storage) their bytes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct PhotoRecord {
  std::string hash, type;
  std::int64_t width = 0, height = 0, bytes = 0;
  std::optional<std::string> taken_at;
  std::optional<double> lat, lng;
  std::string created_at;
};

class PhotoRepo {
 public:
  explicit PhotoRepo(Connection& c) : c_(c) {}
  // Inserts the photo unless its hash is already known; whether it inserted.
  bool insertOnce(const PhotoRecord& p);
  std::optional<PhotoRecord> find(const std::string& hash);
  // Records that the photo was uploaded for the project (once); whether this was new.
  bool linkProject(std::int64_t projectId, const std::string& hash, const std::string& region,
                   std::optional<std::int64_t> userId, const std::string& now);
  bool projectHas(std::int64_t projectId, const std::string& hash);
  // The regions of the projects that have the photo.
  std::vector<std::string> regionsOf(const std::string& hash);
  // Replaces the report's photos with `hashes`, in order.
  void setReportPhotos(std::int64_t reportId, const std::vector<std::string>& hashes);
  std::vector<PhotoRecord> reportPhotos(std::int64_t reportId);
  // The database storage: variant is original, screen or thumb; data is base64.
  void putBlob(const std::string& hash, const std::string& variant, const std::string& base64);
  std::optional<std::string> blob(const std::string& hash, const std::string& variant);

 private:
  Connection& c_;
};

}  // namespace steward::store
