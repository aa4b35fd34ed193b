// Photos as evidence: upload (type checked by content, decoded by libvips, stored once per sha256 with a
// screen-sized copy and a thumbnail), served back to users in scope of a project that has them, and attached to
// reports, where each carries its questionable marks (taken long before the period, far from the site).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/photo.h"
#include "service/context.h"
#include "service/errors.h"

namespace steward::service {

// Where the bytes of photos live: a directory beside the database (Env::photo_dir), or the database itself
// (several servers share it). Keys are the content hash and a variant (original, screen, thumb), never client text.
class PhotoStorage {
 public:
  virtual ~PhotoStorage() = default;
  // Stores the bytes unless already there; `c` is the open transaction (the database storage writes through it).
  virtual void put(store::Connection& c, const std::string& hash, const std::string& variant,
                   std::string_view bytes) = 0;
  virtual std::optional<std::string> get(store::Connection& c, const std::string& hash, const std::string& variant) = 0;
};

struct PhotoBytes {
  std::string body;
  std::string content_type;
};

class PhotoService {
 public:
  explicit PhotoService(Env env);
  // POST /projects/{id}/photos: 201 {hash, type, width, height, bytes, taken_at, lat, lng, url, screen_url,
  // thumb_url}. 413 photo_too_large, 422 unsupported_type / undecodable / too_many_pixels, 404, 403. Audited.
  nlohmann::json upload(const core::Actor& a, std::int64_t projectId, std::string_view bytes);
  // The bytes of a photo's variant (original, screen, thumb), to a user in scope of a project that has it; 404
  // for anything else (unknown hash, malformed hash or variant, another county's photo).
  PhotoBytes get(const core::Actor& a, const std::string& hash, const std::string& variant);

 private:
  Env env_;
  std::shared_ptr<PhotoStorage> storage_;
};

// For the reporting service: the photo hashes of a report body (`photos`, at most core::kPhotosPerReportMax, each
// uploaded for the project), else field errors on `photos[i]`; nullopt when the body names no photos.
std::optional<std::vector<std::string>> photoListOf(const nlohmann::json& in, std::vector<FieldError>& errs);
// Checks that every hash was uploaded for the project (422 unknown_photo naming the index) and stores the list.
void attachReportPhotos(store::Connection& c, std::int64_t projectId, std::int64_t reportId,
                        const std::vector<std::string>& hashes);
// A report's photos as its JSON carries them, each with its questionable marks for the period.
nlohmann::json reportPhotosJson(store::Connection& c, std::int64_t reportId, std::string_view periodStart,
                                std::optional<double> projectLat, std::optional<double> projectLng,
                                const core::PhotoEvidenceRules& rules);

}  // namespace steward::service
