// Decoding uploaded photos with libvips, reading their EXIF with libexif. Nothing here knows about HTTP, the
// database or users: bytes in, facts and derived copies out, or a PhotoRejected naming why.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/photo.h"

namespace steward::media {

// An upload that is not an acceptable photo. `reason`: unsupported_type, too_large, too_many_pixels, undecodable.
struct PhotoRejected : std::runtime_error {
  PhotoRejected(std::string r, const std::string& message) : std::runtime_error(message), reason(std::move(r)) {}
  std::string reason;
};

struct ProcessedPhoto {
  core::PhotoType type = core::PhotoType::Jpeg;
  int width = 0, height = 0;  // of the original as stored (before the orientation is applied)
  core::PhotoFacts facts;     // time and position from EXIF
  std::string screen;         // JPEG, longest side at most kScreenSize, no metadata
  std::string thumb;          // JPEG, longest side at most kThumbSize, no metadata
};

inline constexpr int kScreenSize = 1600;
inline constexpr int kThumbSize = 320;

// Checks and decodes `bytes` (at most core::kPhotoMaxBytes, at most core::kPhotoMaxPixels) and makes the derived
// copies. Throws PhotoRejected for anything that is not a whole, decodable JPEG, PNG, WebP or HEIC.
ProcessedPhoto processPhoto(std::string_view bytes);

// The time (DateTimeOriginal, else DateTime) and GPS position in an EXIF block (with or without the "Exif\0\0"
// header). Missing or malformed fields stay empty; never throws on bad input.
core::PhotoFacts readExif(std::string_view exif);

// A believable construction-site photo for the demo county (sky, hills, ground, a building going up under
// scaffolding, a tower crane), drawn from `seed` and encoded as JPEG: the same seed gives the same bytes.
std::string drawSitePhoto(std::uint32_t seed, int width = 800, int height = 600);

}  // namespace steward::media
