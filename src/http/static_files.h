// The built web UI, served from memory. Every file of the web directory is read once at start-up into a table
// (URL path → bytes, content type, cache policy, ETag, gzip and Brotli variants); a request only ever looks
// the table up, so no client-chosen path is ever opened on disk.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "http/message.h"

namespace steward::http {

struct StaticLimits {
  std::size_t max_files = 2000;                     // a Vite build has tens of files
  std::size_t max_total_bytes = 128 * 1024 * 1024;  // the bundle is a few MB; refuse to load a wrong directory
};

struct StaticFile {
  std::string body;
  std::string gzip;    // empty when absent or not worth it
  std::string brotli;  // only from a precompressed .br file beside the original
  std::string content_type;
  std::string cache_control;
  std::string etag;
};

class StaticFiles {
 public:
  // Reads every regular file under dir (symbolic links are not followed). Throws std::runtime_error when the
  // directory exceeds the limits. An empty dir gives an empty table (API only).
  static std::shared_ptr<const StaticFiles> load(const std::string& dir, StaticLimits limits = {});
  // GET/HEAD of a path: the file, the single-page app's index.html for client-side routes, or 404.
  Response serve(const Request& req) const;
  std::size_t size() const { return files_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool has(const std::string& urlPath) const { return files_.count(urlPath) > 0; }

 private:
  std::map<std::string, StaticFile> files_;
  std::size_t bytes_ = 0;
};

// True when a request path is in the canonical form the table uses: starts with '/', no empty, '.' or '..'
// segment, no backslash, NUL or control character.
bool isCanonicalPath(const std::string& path);
// Gzip (RFC 1952) of data at the default level.
std::string gzipCompress(const std::string& data);

}  // namespace steward::http
