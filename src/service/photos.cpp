#include "service/photos.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/audit_chain.h"
#include "core/reporting.h"
#include "media/photo_codec.h"
#include "service/audit.h"
#include "store/photo_repo.h"
#include "store/project_repo.h"

namespace steward::service {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const kVariants[] = {"original", "screen", "thumb"};

bool isVariant(const std::string& v) {
  for (const char* k : kVariants)
    if (v == k) return true;
  return false;
}

// Files named by hash and variant only: <dir>/<first two hex digits>/<hash>.<variant>.
class DirectoryStorage : public PhotoStorage {
 public:
  explicit DirectoryStorage(fs::path root) : root_(std::move(root)) {}
  void put(store::Connection&, const std::string& hash, const std::string& variant, std::string_view bytes) override {
    const auto path = pathOf(hash, variant);
    std::error_code ec;
    if (fs::exists(path, ec)) return;
    fs::create_directories(path.parent_path());
    // Written whole under a temporary name, then renamed: a reader never sees half a photo.
    auto tmp = path;
    tmp += ".tmp" + std::to_string(randombytes_random());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.close();
      if (!out) throw std::runtime_error("cannot write photo file " + tmp.string());
    }
    fs::rename(tmp, path);
  }
  std::optional<std::string> get(store::Connection&, const std::string& hash, const std::string& variant) override {
    std::ifstream in(pathOf(hash, variant), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  fs::path pathOf(const std::string& hash, const std::string& variant) const {
    return root_ / hash.substr(0, 2) / (hash + "." + variant);
  }
  fs::path root_;
};

std::string base64(std::string_view b) {
  std::string out(sodium_base64_ENCODED_LEN(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

std::optional<std::string> unbase64(const std::string& s) {
  std::string out(s.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(), s.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

// The bytes in the database (photo_blobs), shared by every server on it.
class DatabaseStorage : public PhotoStorage {
 public:
  void put(store::Connection& c, const std::string& hash, const std::string& variant, std::string_view bytes) override {
    store::PhotoRepo(c).putBlob(hash, variant, base64(bytes));
  }
  std::optional<std::string> get(store::Connection& c, const std::string& hash, const std::string& variant) override {
    auto b = store::PhotoRepo(c).blob(hash, variant);
    if (!b) return std::nullopt;
    return unbase64(*b);
  }
};

json urls(const std::string& hash) {
  const std::string base = "/api/v1/photos/" + hash + "/";
  return {{"url", base + "original"}, {"screen_url", base + "screen"}, {"thumb_url", base + "thumb"}};
}

json photoJson(const store::PhotoRecord& p) {
  json out = {{"hash", p.hash},
              {"type", p.type},
              {"width", p.width},
              {"height", p.height},
              {"bytes", p.bytes},
              {"taken_at", p.taken_at ? json(*p.taken_at) : json()},
              {"lat", p.lat ? json(*p.lat) : json()},
              {"lng", p.lng ? json(*p.lng) : json()}};
  out.update(urls(p.hash));
  return out;
}

const char* mimeOfKey(const std::string& type) {
  for (auto t : {core::PhotoType::Jpeg, core::PhotoType::Png, core::PhotoType::Webp, core::PhotoType::Heic})
    if (type == core::photoTypeKey(t)) return core::photoMimeType(t);
  return "application/octet-stream";
}

}  // namespace

PhotoService::PhotoService(Env env) : env_(env) {
  if (env_.photo_dir.empty()) storage_ = std::make_shared<DatabaseStorage>();
  else storage_ = std::make_shared<DirectoryStorage>(env_.photo_dir);
}

json PhotoService::upload(const core::Actor& a, std::int64_t projectId, std::string_view bytes) {
  if (bytes.size() > core::kPhotoMaxBytes)
    throw ServiceError(ErrorKind::TooLarge, "photo_too_large", "照片超过 10 MB", {{"photo", "too_large"}});
  if (bytes.empty()) throw ServiceError(ErrorKind::Validation, "photo_required", "请求体为空：请上传照片", {{"photo", "required"}});
  // Who may upload, before any decoding: the project must exist in scope and be the actor's to report on or visit.
  std::string region;
  {
    auto c = env_.db->acquire();
    auto row = store::ProjectRepo(*c).findById(projectId);
    if (!row || !core::inScope(a, row->str("region_code"))) throw notFound("项目不存在");
    region = row->str("region_code");
    const bool leader = a.user_id && row->optI64("leader_id") == a.user_id;
    if (!leader && !core::canReportProgress(a, region, row->optI64("unit_id"), row->optI64("liaison_id")))
      throw forbidden("只有项目联络员、包联领导、责任单位和总指挥部可以上传照片");
  }
  media::ProcessedPhoto processed;
  try {
    processed = media::processPhoto(bytes);
  } catch (const media::PhotoRejected& e) {
    throw ServiceError(e.reason == "too_large" ? ErrorKind::TooLarge : ErrorKind::Validation,
                       e.reason == "too_large" ? "photo_too_large" : e.reason, e.what(), {{"photo", e.reason}});
  }
  store::PhotoRecord rec;
  rec.hash = core::sha256Hex(std::string(bytes));
  rec.type = core::photoTypeKey(processed.type);
  rec.width = processed.width;
  rec.height = processed.height;
  rec.bytes = static_cast<std::int64_t>(bytes.size());
  rec.taken_at = processed.facts.taken_at;
  rec.lat = processed.facts.lat;
  rec.lng = processed.facts.lng;
  const auto now = env_.nowIso();
  rec.created_at = now;
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::PhotoRepo repo(c);
    storage_->put(c, rec.hash, "original", bytes);
    storage_->put(c, rec.hash, "screen", processed.screen);
    storage_->put(c, rec.hash, "thumb", processed.thumb);
    const bool fresh = repo.insertOnce(rec);
    repo.linkProject(projectId, rec.hash, region, a.user_id, now);
    appendAudit(c, env_, &a,
                {region, "upload", "photo", rec.hash, nullptr,
                 {{"project_id", projectId}, {"hash", rec.hash}, {"bytes", rec.bytes}, {"type", rec.type},
                  {"new", fresh}}});
    auto stored = repo.find(rec.hash);
    return photoJson(stored ? *stored : rec);
  });
}

PhotoBytes PhotoService::get(const core::Actor& a, const std::string& hash, const std::string& variant) {
  if (!core::isPhotoHash(hash) || !isVariant(variant)) throw notFound("照片不存在");
  auto c = env_.db->acquire();
  store::PhotoRepo repo(*c);
  bool visible = false;
  for (const auto& region : repo.regionsOf(hash))
    if (core::inScope(a, region)) visible = true;
  auto photo = visible ? repo.find(hash) : std::nullopt;
  if (!photo) throw notFound("照片不存在");
  auto body = storage_->get(*c, hash, variant);
  if (!body) throw notFound("照片文件不存在");
  return {std::move(*body), variant == "original" ? mimeOfKey(photo->type) : "image/jpeg"};
}

std::optional<std::vector<std::string>> photoListOf(const json& in, std::vector<FieldError>& errs) {
  if (!in.contains("photos") || in["photos"].is_null()) return std::nullopt;
  const auto& list = in["photos"];
  if (!list.is_array()) {
    errs.push_back({"photos", "invalid"});
    return std::nullopt;
  }
  if (list.size() > core::kPhotosPerReportMax) {
    errs.push_back({"photos", "too_many"});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto field = "photos[" + std::to_string(i) + "]";
    if (!list[i].is_string() || !core::isPhotoHash(list[i].get<std::string>())) errs.push_back({field, "invalid"});
    else if (std::find(out.begin(), out.end(), list[i].get<std::string>()) != out.end())
      errs.push_back({field, "duplicate"});
    else out.push_back(list[i].get<std::string>());
  }
  return out;
}

void attachReportPhotos(store::Connection& c, std::int64_t projectId, std::int64_t reportId,
                        const std::vector<std::string>& hashes) {
  store::PhotoRepo repo(c);
  Validator v;
  for (std::size_t i = 0; i < hashes.size(); ++i)
    if (!repo.projectHas(projectId, hashes[i])) v.add("photos[" + std::to_string(i) + "]", "unknown_photo");
  v.throwIfAny("照片须先上传到本项目");
  repo.setReportPhotos(reportId, hashes);
}

json reportPhotosJson(store::Connection& c, std::int64_t reportId, std::string_view periodStart,
                      std::optional<double> projectLat, std::optional<double> projectLng,
                      const core::PhotoEvidenceRules& rules) {
  json out = json::array();
  for (const auto& p : store::PhotoRepo(c).reportPhotos(reportId)) {
    core::PhotoFacts facts{p.taken_at, p.lat, p.lng};
    json marks = json::array();
    for (const auto& q : core::questionablePhoto(facts, periodStart, projectLat, projectLng, rules))
      marks.push_back({{"reason", q.reason}, {"detail", q.detail}});
    json item = {{"hash", p.hash},
                 {"taken_at", p.taken_at ? json(*p.taken_at) : json()},
                 {"lat", p.lat ? json(*p.lat) : json()},
                 {"lng", p.lng ? json(*p.lng) : json()},
                 {"questionable", marks}};
    item.update(urls(p.hash));
    out.push_back(item);
  }
  return out;
}

}  // namespace steward::service
