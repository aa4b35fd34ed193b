#include "core/photo.h"

#include <cmath>
#include <cstring>

#include "core/period.h"

namespace steward::core {

namespace {

bool startsWith(std::string_view b, std::size_t at, std::string_view magic) {
  return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
}

bool isDay(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

std::optional<PhotoType> sniffPhotoType(std::string_view b) {
  if (startsWith(b, 0, "\xFF\xD8\xFF")) return PhotoType::Jpeg;
  if (startsWith(b, 0, "\x89PNG\r\n\x1A\n")) return PhotoType::Png;
  if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) return PhotoType::Webp;
  // ISO base media: a box of type ftyp whose major brand is one of HEIF's (phones write heic or mif1).
  if (startsWith(b, 4, "ftyp"))
    for (std::string_view brand : {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
      if (startsWith(b, 8, brand)) return PhotoType::Heic;
  return std::nullopt;
}

const char* photoTypeKey(PhotoType t) {
  switch (t) {
    case PhotoType::Jpeg: return "jpeg";
    case PhotoType::Png: return "png";
    case PhotoType::Webp: return "webp";
    case PhotoType::Heic: return "heic";
  }
  return "";
}

const char* photoMimeType(PhotoType t) {
  switch (t) {
    case PhotoType::Jpeg: return "image/jpeg";
    case PhotoType::Png: return "image/png";
    case PhotoType::Webp: return "image/webp";
    case PhotoType::Heic: return "image/heic";
  }
  return "application/octet-stream";
}

bool isPhotoHash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

std::int64_t distanceMetres(double lat1, double lng1, double lat2, double lng2) {
  constexpr double kR = 6371008.8, kRad = 3.14159265358979323846 / 180.0;
  const double dLat = (lat2 - lat1) * kRad, dLng = (lng2 - lng1) * kRad;
  const double h = std::sin(dLat / 2) * std::sin(dLat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dLng / 2) * std::sin(dLng / 2);
  return static_cast<std::int64_t>(std::llround(2 * kR * std::asin(std::sqrt(std::min(1.0, h)))));
}

std::vector<Questionable> questionablePhoto(const PhotoFacts& photo, std::string_view periodStart,
                                            std::optional<double> projectLat, std::optional<double> projectLng,
                                            const PhotoEvidenceRules& rules) {
  std::vector<Questionable> out;
  if (photo.taken_at && isDay(*photo.taken_at) && isDay(periodStart)) {
    const auto day = photo.taken_at->substr(0, 10);
    const auto before = daysBetween(day, periodStart);
    if (before > rules.max_days_before)
      out.push_back({"taken_before_period",
                     "拍摄于 " + day + "，早于本期开始 " + std::to_string(before) + " 天（允许 " +
                         std::to_string(rules.max_days_before) + " 天）"});
  }
  if (photo.lat && photo.lng && projectLat && projectLng) {
    const auto d = distanceMetres(*photo.lat, *photo.lng, *projectLat, *projectLng);
    if (d > rules.max_distance_m)
      out.push_back({"far_from_site", "拍摄地点距项目 " + std::to_string(d) + " 米（允许 " +
                                          std::to_string(rules.max_distance_m) + " 米）"});
  }
  return out;
}

}  // namespace steward::core
