#include "store/photo_repo.h"

#include <cstdio>

namespace steward::store {
namespace {

const char* kCols = "p.hash, p.type, p.width, p.height, p.bytes, p.taken_at, p.lat, p.lng, p.created_at";

PhotoRecord photoOf(const Row& r) {
  PhotoRecord p;
  p.hash = r.str("hash");
  p.type = r.str("type");
  p.width = r.i64("width");
  p.height = r.i64("height");
  p.bytes = r.i64("bytes");
  p.taken_at = r.optStr("taken_at");
  p.lat = r.optF64("lat");
  p.lng = r.optF64("lng");
  p.created_at = r.str("created_at");
  return p;
}

// Coordinates go in as text; both databases convert text to their REAL column.
Param coordinate(const std::optional<double>& v) {
  if (!v) return Null{};
  char b[40];
  std::snprintf(b, sizeof b, "%.7f", *v);
  return std::string(b);
}

}  // namespace

bool PhotoRepo::insertOnce(const PhotoRecord& p) {
  const std::string cast = c_.dialect() == Dialect::Postgres ? "CAST(? AS DOUBLE PRECISION)" : "CAST(? AS REAL)";
  return c_.exec("INSERT INTO photos (hash, type, width, height, bytes, taken_at, lat, lng, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, " + cast + ", " + cast + ", ?) ON CONFLICT (hash) DO NOTHING",
                 {p.hash, p.type, p.width, p.height, p.bytes, optParam(p.taken_at), coordinate(p.lat),
                  coordinate(p.lng), p.created_at}) > 0;
}

std::optional<PhotoRecord> PhotoRepo::find(const std::string& hash) {
  auto r = c_.query(std::string("SELECT ") + kCols + " FROM photos p WHERE p.hash = ?", {hash});
  if (r.empty()) return std::nullopt;
  return photoOf(r.one());
}

bool PhotoRepo::linkProject(std::int64_t projectId, const std::string& hash, const std::string& region,
                            std::optional<std::int64_t> userId, const std::string& now) {
  return c_.exec("INSERT INTO project_photos (project_id, hash, region_code, uploaded_by, uploaded_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, hash) DO NOTHING",
                 {projectId, hash, region, optParam(userId), now}) > 0;
}

bool PhotoRepo::projectHas(std::int64_t projectId, const std::string& hash) {
  return !c_.query("SELECT 1 FROM project_photos WHERE project_id = ? AND hash = ?", {projectId, hash}).empty();
}

std::vector<std::string> PhotoRepo::regionsOf(const std::string& hash) {
  std::vector<std::string> out;
  for (const auto& r : c_.query("SELECT DISTINCT region_code FROM project_photos WHERE hash = ?", {hash}).rows)
    out.push_back(r.str(0));
  return out;
}

void PhotoRepo::setReportPhotos(std::int64_t reportId, const std::vector<std::string>& hashes) {
  c_.exec("DELETE FROM report_photos WHERE report_id = ?", {reportId});
  for (std::size_t i = 0; i < hashes.size(); ++i)
    c_.exec("INSERT INTO report_photos (report_id, position, hash) VALUES (?, ?, ?)",
            {reportId, static_cast<std::int64_t>(i), hashes[i]});
}

std::vector<PhotoRecord> PhotoRepo::reportPhotos(std::int64_t reportId) {
  std::vector<PhotoRecord> out;
  for (const auto& r : c_.query(std::string("SELECT ") + kCols +
                                    " FROM report_photos rp JOIN photos p ON p.hash = rp.hash WHERE rp.report_id = ? "
                                    "ORDER BY rp.position",
                                {reportId})
                           .rows)
    out.push_back(photoOf(r));
  return out;
}

void PhotoRepo::putBlob(const std::string& hash, const std::string& variant, const std::string& base64) {
  c_.exec("INSERT INTO photo_blobs (hash, variant, data) VALUES (?, ?, ?) ON CONFLICT (hash, variant) DO NOTHING",
          {hash, variant, base64});
}

std::optional<std::string> PhotoRepo::blob(const std::string& hash, const std::string& variant) {
  auto r = c_.query("SELECT data FROM photo_blobs WHERE hash = ? AND variant = ?", {hash, variant});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

}  // namespace steward::store
