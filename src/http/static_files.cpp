#include "http/static_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/audit_chain.h"

namespace steward::http {

namespace fs = std::filesystem;

namespace {

const char* kCsp =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'";

std::string contentTypeFor(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

bool compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type.find("json") != std::string::npos || type == "image/svg+xml";
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Does the Accept-Encoding header accept this coding (present, and not with q=0)?
bool accepts(const std::string& header, const std::string& coding) {
  std::size_t i = 0;
  while (i <= header.size()) {
    auto end = header.find(',', i);
    if (end == std::string::npos) end = header.size();
    std::string item = header.substr(i, end - i);
    i = end + 1;
    auto semi = item.find(';');
    std::string name = item.substr(0, semi);
    std::string params = semi == std::string::npos ? "" : item.substr(semi + 1);
    auto trim = [](std::string s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
      for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return s;
    };
    if (trim(name) != coding) continue;
    params = trim(params);
    return !(params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000");
  }
  return false;
}

Response notFound() {
  Response r;
  r.status = 404;
  r.body = R"({"error":{"code":"not_found","message":"文件不存在"}})";
  return r;
}

}  // namespace

bool isCanonicalPath(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  for (unsigned char ch : path)
    if (ch < 0x20 || ch == 0x7f || ch == '\\') return false;
  if (path == "/") return true;
  std::size_t i = 1;
  while (i <= path.size()) {
    auto end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    auto seg = std::string_view(path).substr(i, end - i);
    if (seg.empty() || seg == "." || seg == "..") return false;  // "//x", "/x/", "/./", "/../"
    i = end + 1;
  }
  return true;
}

std::string gzipCompress(const std::string& data) {
  z_stream zs{};
  // 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, data.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(zs.total_out);
  return out;
}

std::shared_ptr<const StaticFiles> StaticFiles::load(const std::string& dir, StaticLimits limits) {
  auto t = std::make_shared<StaticFiles>();
  if (dir.empty()) return t;
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root)) throw std::runtime_error("web directory " + dir + " does not exist");
  std::map<std::string, std::string> gz, br;  // precompressed variants found beside their originals
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_symlink() || !it->is_regular_file()) continue;
    auto rel = fs::relative(it->path(), root).generic_string();
    std::string url = "/" + rel;
    if (!isCanonicalPath(url)) continue;
    if (t->files_.size() + gz.size() + br.size() >= limits.max_files)
      throw std::runtime_error("web directory " + dir + " has more than " + std::to_string(limits.max_files) +
                               " files");
    auto bytes = readAll(it->path());
    t->bytes_ += bytes.size();
    if (t->bytes_ > limits.max_total_bytes)
      throw std::runtime_error("web directory " + dir + " holds more than " +
                               std::to_string(limits.max_total_bytes) + " bytes");
    auto ext = it->path().extension().string();
    if (ext == ".gz") {
      gz[url.substr(0, url.size() - 3)] = std::move(bytes);
      continue;
    }
    if (ext == ".br") {
      br[url.substr(0, url.size() - 3)] = std::move(bytes);
      continue;
    }
    StaticFile f;
    f.content_type = contentTypeFor(ext);
    if (url == "/index.html")
      f.cache_control = "no-cache";
    else if (url.rfind("/assets/", 0) == 0)
      f.cache_control = "public, max-age=31536000, immutable";  // Vite names assets by content hash
    else
      f.cache_control = "public, max-age=3600";
    f.etag = "\"" + core::sha256Hex(bytes).substr(0, 32) + "\"";
    f.body = std::move(bytes);
    t->files_[url] = std::move(f);
  }
  if (ec) throw std::runtime_error("cannot list web directory " + dir + ": " + ec.message());
  for (auto& [url, f] : t->files_) {
    if (auto g = gz.find(url); g != gz.end()) f.gzip = std::move(g->second);
    if (auto b = br.find(url); b != br.end()) f.brotli = std::move(b->second);
    if (f.gzip.empty() && compressible(f.content_type) && f.body.size() > 1024) {
      auto z = gzipCompress(f.body);
      if (z.size() < f.body.size() * 9 / 10) f.gzip = std::move(z);
    }
  }
  return t;
}

Response StaticFiles::serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") {
    Response r;
    r.status = 405;
    r.body = R"({"error":{"code":"method_not_allowed","message":"不支持的请求方法"}})";
    return r;
  }
  if (files_.empty()) return notFound();
  const StaticFile* f = nullptr;
  if (isCanonicalPath(req.path)) {
    if (auto it = files_.find(req.path); it != files_.end()) f = &it->second;
    if (!f) {
      // A client-side route is an extensionless path outside /assets/; anything else that is missing is a 404.
      auto slash = req.path.rfind('/');
      bool hasExt = req.path.find('.', slash) != std::string::npos;
      if (req.path == "/" || (!hasExt && req.path.rfind("/assets/", 0) != 0)) {
        if (auto it = files_.find("/index.html"); it != files_.end()) f = &it->second;
      }
    }
  }
  if (!f) return notFound();
  Response res;
  res.content_type = f->content_type;
  res.headers.emplace_back("Cache-Control", f->cache_control);
  res.headers.emplace_back("ETag", f->etag);
  if (f->content_type.rfind("text/html", 0) == 0) res.headers.emplace_back("Content-Security-Policy", kCsp);
  if (!f->gzip.empty() || !f->brotli.empty()) res.headers.emplace_back("Vary", "Accept-Encoding");
  if (req.header("if-none-match") == f->etag) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  auto ae = req.header("accept-encoding");
  if (!f->brotli.empty() && accepts(ae, "br")) {
    res.headers.emplace_back("Content-Encoding", "br");
    res.body = f->brotli;
  } else if (!f->gzip.empty() && accepts(ae, "gzip")) {
    res.headers.emplace_back("Content-Encoding", "gzip");
    res.body = f->gzip;
  } else {
    res.body = f->body;
  }
  return res;
}

}  // namespace steward::http
