// Photos as evidence, as pure rules: which image type some bytes are (by their magic bytes, never by a name),
// how far a photo was taken from its project, and whether it is questionable evidence for a period.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::core {

enum class PhotoType { Jpeg, Png, Webp, Heic };

// The most bytes one photo may have, and the most pixels it may decode to (a phone's 108 MP with room to spare;
// a "decompression bomb" of a few kilobytes that decodes to gigabytes is refused before decoding).
inline constexpr std::size_t kPhotoMaxBytes = 10 * 1024 * 1024;
inline constexpr std::int64_t kPhotoMaxPixels = 120'000'000;
// The most photos one report or visit carries.
inline constexpr std::size_t kPhotosPerReportMax = 9;

// The type by magic bytes: JPEG (FF D8 FF), PNG (89 PNG), WebP (RIFF....WEBP), HEIC (ftyp heic/heix/mif1/…);
// nullopt for anything else (a zip, a PDF, text). The decoder has the last word.
std::optional<PhotoType> sniffPhotoType(std::string_view bytes);
const char* photoTypeKey(PhotoType t);   // "jpeg", "png", "webp", "heic"
const char* photoMimeType(PhotoType t);  // "image/jpeg", …

// A photo's content hash as the store names it: 64 lowercase hex digits.
bool isPhotoHash(std::string_view s);

// Great-circle distance in whole metres (haversine on a sphere of radius 6,371,008.8 m).
std::int64_t distanceMetres(double lat1, double lng1, double lat2, double lng2);

// When a photo counts as questionable evidence (cadence rules: photo_max_days_before, photo_max_distance_m).
struct PhotoEvidenceRules {
  int max_days_before = 30;       // taken more than this many days before the period's first day
  int max_distance_m = 2000;      // taken farther than this from the project's location
};

struct PhotoFacts {
  std::optional<std::string> taken_at;  // "YYYY-MM-DDTHH:MM:SS", the camera's local time
  std::optional<double> lat, lng;
};

struct Questionable {
  std::string reason;  // taken_before_period, far_from_site
  std::string detail;  // for people: "拍摄于 2026-01-02，早于本期 45 天"
};

// Why a photo is questionable for a period starting on `periodStart` (YYYY-MM-DD) at a project located at
// projectLat/Lng (absent: no distance check). A photo without a time or a position is not questionable for it.
std::vector<Questionable> questionablePhoto(const PhotoFacts& photo, std::string_view periodStart,
                                            std::optional<double> projectLat, std::optional<double> projectLng,
                                            const PhotoEvidenceRules& rules);

}  // namespace steward::core
