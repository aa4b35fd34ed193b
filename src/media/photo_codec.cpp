#include "media/photo_codec.h"

#include <libexif/exif-data.h>
#include <vips/vips.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <vector>

namespace steward::media {

namespace {

void startVips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("steward")) throw std::runtime_error("libvips failed to start");
    vips_cache_set_max(0);       // no operation cache: every upload is different, and buffers must not linger
    vips_concurrency_set(1);     // the bulk lane's threads are the parallelism
    vips_block_untrusted_set(TRUE);  // loaders not meant for untrusted input are off (we call four by name)
  });
}

// The vips error text goes to the log, never to the client.
[[noreturn]] void undecodable(const char* what) {
  std::fprintf(stderr, "photo: %s: %s\n", what, vips_error_buffer());
  vips_error_clear();
  throw PhotoRejected("undecodable", "图片无法解码（文件损坏或不完整）");
}

struct Image {
  VipsImage* p = nullptr;
  ~Image() {
    if (p) g_object_unref(p);
  }
};

// Loads the header only (vips decodes lazily), with the loader of the sniffed type and nothing else.
int loadHeader(core::PhotoType t, std::string_view b, VipsImage** out) {
  void* data = const_cast<char*>(b.data());
  switch (t) {
    case core::PhotoType::Jpeg:
      return vips_jpegload_buffer(data, b.size(), out, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
    case core::PhotoType::Png:
      return vips_pngload_buffer(data, b.size(), out, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
    case core::PhotoType::Webp:
      return vips_webpload_buffer(data, b.size(), out, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
    case core::PhotoType::Heic:
      return vips_heifload_buffer(data, b.size(), out, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
  }
  return -1;
}

// A JPEG copy whose longest side is at most `size`: vips_thumbnail_buffer shrinks while it decodes (JPEG and
// WebP at a reduced scale), applies the EXIF orientation, and reads every row, so a truncated file fails here.
std::string derived(std::string_view b, int size) {
  Image t;
  if (vips_thumbnail_buffer(const_cast<char*>(b.data()), b.size(), &t.p, size, "size", VIPS_SIZE_DOWN,
                            "option_string", "fail_on=truncated", nullptr))
    undecodable("thumbnail");
  void* buf = nullptr;
  size_t len = 0;
  if (vips_jpegsave_buffer(t.p, &buf, &len, "Q", 82, "strip", TRUE, nullptr)) undecodable("jpegsave");
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

std::optional<double> gpsCoordinate(ExifData* ed, ExifTag valueTag, ExifTag refTag, char negative, double limit) {
  ExifEntry* v = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], valueTag);
  ExifEntry* r = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], refTag);
  if (!v || v->format != EXIF_FORMAT_RATIONAL || v->components < 3 || v->size < 24) return std::nullopt;
  const auto order = exif_data_get_byte_order(ed);
  double parts[3];
  for (int i = 0; i < 3; ++i) {
    ExifRational q = exif_get_rational(v->data + 8 * i, order);
    if (q.denominator == 0) return std::nullopt;
    parts[i] = static_cast<double>(q.numerator) / q.denominator;
  }
  double deg = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
  if (r && r->format == EXIF_FORMAT_ASCII && r->size >= 1 && r->data && r->data[0] == negative) deg = -deg;
  if (!std::isfinite(deg) || std::fabs(deg) > limit) return std::nullopt;
  return deg;
}

std::optional<std::string> exifTime(ExifData* ed) {
  ExifEntry* e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
  if (!e) e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_DATE_TIME);
  if (!e || e->format != EXIF_FORMAT_ASCII || e->size < 19 || !e->data) return std::nullopt;
  // "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS"
  std::string s(reinterpret_cast<const char*>(e->data), 19);
  static const char shape[] = "dddd:dd:dd dd:dd:dd";
  for (int i = 0; i < 19; ++i)
    if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return std::nullopt;
  s[4] = '-';
  s[7] = '-';
  s[10] = 'T';
  const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || s.substr(0, 4) < "1990") return std::nullopt;
  return s;
}

}  // namespace

core::PhotoFacts readExif(std::string_view exif) {
  core::PhotoFacts f;
  if (exif.empty() || exif.size() > 1024 * 1024) return f;
  ExifData* ed = exif_data_new_from_data(reinterpret_cast<const unsigned char*>(exif.data()),
                                         static_cast<unsigned int>(exif.size()));
  if (!ed) return f;
  f.taken_at = exifTime(ed);
  auto lat = gpsCoordinate(ed, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE),
                           static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), 'S', 90);
  auto lng = gpsCoordinate(ed, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE),
                           static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), 'W', 180);
  if (lat && lng && !(*lat == 0 && *lng == 0)) {
    f.lat = lat;
    f.lng = lng;
  }
  exif_data_unref(ed);
  return f;
}

ProcessedPhoto processPhoto(std::string_view bytes) {
  if (bytes.size() > core::kPhotoMaxBytes) throw PhotoRejected("too_large", "照片超过 10 MB");
  auto type = core::sniffPhotoType(bytes);
  if (!type) throw PhotoRejected("unsupported_type", "只接受 JPEG、PNG、WebP 或 HEIC 照片（按文件内容判断）");
  startVips();
  ProcessedPhoto out;
  out.type = *type;
  Image in;
  if (loadHeader(*type, bytes, &in.p)) undecodable("header");
  out.width = vips_image_get_width(in.p);
  out.height = vips_image_get_height(in.p);
  if (out.width <= 0 || out.height <= 0 ||
      static_cast<std::int64_t>(out.width) * out.height > core::kPhotoMaxPixels)
    throw PhotoRejected("too_many_pixels", "照片像素过多（上限 1.2 亿像素）");
  if (vips_image_get_typeof(in.p, VIPS_META_EXIF_NAME)) {
    const void* data = nullptr;
    size_t len = 0;
    if (!vips_image_get_blob(in.p, VIPS_META_EXIF_NAME, &data, &len))
      out.facts = readExif(std::string_view(static_cast<const char*>(data), len));
  }
  out.screen = derived(bytes, kScreenSize);
  out.thumb = derived(out.screen, kThumbSize);
  return out;
}

std::string drawSitePhoto(std::uint32_t seed, int width, int height) {
  startVips();
  std::uint32_t state = seed * 2654435761u + 12345u;
  auto rnd = [&](int n) {  // a small LCG: the same seed draws the same site
    state = state * 1664525u + 1013904223u;
    return static_cast<int>((state >> 8) % static_cast<std::uint32_t>(n));
  };
  std::vector<unsigned char> px(static_cast<std::size_t>(width) * height * 3);
  auto put = [&](int x, int y, int r, int g, int b) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    auto* q = &px[(static_cast<std::size_t>(y) * width + x) * 3];
    q[0] = static_cast<unsigned char>(std::clamp(r, 0, 255));
    q[1] = static_cast<unsigned char>(std::clamp(g, 0, 255));
    q[2] = static_cast<unsigned char>(std::clamp(b, 0, 255));
  };
  auto rect = [&](int x0, int y0, int x1, int y1, int r, int g, int b, int noise) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        const int n = noise ? rnd(2 * noise + 1) - noise : 0;
        put(x, y, r + n, g + n, b + n);
      }
  };
  const int horizon = height * (52 + rnd(8)) / 100;
  // Sky: a gradient, hazier towards the horizon.
  for (int y = 0; y < horizon; ++y) {
    const int t = y * 100 / std::max(1, horizon);
    for (int x = 0; x < width; ++x) put(x, y, 105 + t * 95 / 100, 155 + t * 65 / 100, 215 + t * 25 / 100);
  }
  // Distant hills.
  const int phase = rnd(360);
  for (int x = 0; x < width; ++x) {
    const int top = horizon - 18 - static_cast<int>(22 * std::sin((x + phase) / 57.0) + 12 * std::sin((x + phase) / 23.0));
    for (int y = top; y < horizon; ++y) put(x, y, 112 + rnd(9), 138 + rnd(9), 112 + rnd(9));
  }
  // Ground: earth and gravel.
  rect(0, horizon, width, height, 150, 128, 98, 10);
  // The building going up: finished floors with windows, the top floors in green safety netting.
  const int floors = 6 + rnd(8), floorH = std::max(8, (horizon - height / 10) / (floors + 2));
  const int bx0 = width * (18 + rnd(10)) / 100, bx1 = width * (52 + rnd(12)) / 100;
  const int netted = 1 + rnd(3);
  for (int f = 0; f < floors; ++f) {
    const int y1 = horizon + height / 12 - f * floorH, y0 = y1 - floorH;
    if (f >= floors - netted) {
      rect(bx0, y0, bx1, y1, 58, 118, 78, 8);
      for (int x = bx0; x < bx1; x += 14) rect(x, y0, x + 2, y1, 150, 150, 145, 0);
    } else {
      rect(bx0, y0, bx1, y1, 172, 170, 164, 5);
      for (int x = bx0 + 8; x + 14 < bx1; x += 24) rect(x, y0 + floorH / 4, x + 14, y1 - floorH / 4, 82, 92, 104, 4);
    }
    rect(bx0, y1 - 2, bx1, y1, 120, 120, 118, 0);  // the floor slab
  }
  // A tower crane: a yellow mast, its jib and counter-jib, the hook's cable.
  const int mx = std::min(width - 20, bx1 + width * (6 + rnd(10)) / 100), top = std::max(4, height / 12);
  const int ground = horizon + height / 12;
  rect(mx - 4, top, mx + 4, ground, 228, 176, 32, 6);
  for (int y = top; y < ground; y += 12) rect(mx - 4, y, mx + 4, y + 2, 150, 110, 20, 0);
  const int jib = width * (30 + rnd(15)) / 100;
  rect(mx - jib, top, mx + jib / 3, top + 5, 228, 176, 32, 4);
  rect(mx + jib / 5, top + 5, mx + jib / 3, top + 16, 120, 120, 120, 0);  // counterweight
  const int hook = mx - jib * (40 + rnd(50)) / 100;
  rect(hook, top + 5, hook + 1, horizon - floorH, 40, 40, 40, 0);
  // Materials on the ground: stacked rebar and a site hut.
  rect(width * 8 / 100, ground + 10, width * 20 / 100, ground + 22, 120, 70, 50, 12);
  rect(width * 70 / 100, ground - 30, width * 88 / 100, ground + 6, 46, 96, 170, 6);
  rect(width * 70 / 100, ground - 34, width * 88 / 100, ground - 30, 230, 230, 230, 0);

  Image img;
  img.p = vips_image_new_from_memory(px.data(), px.size(), width, height, 3, VIPS_FORMAT_UCHAR);
  if (!img.p) throw std::runtime_error("libvips could not wrap the drawing");
  img.p->Type = VIPS_INTERPRETATION_sRGB;
  void* buf = nullptr;
  size_t len = 0;
  if (vips_jpegsave_buffer(img.p, &buf, &len, "Q", 82, nullptr)) {
    vips_error_clear();
    throw std::runtime_error("libvips could not encode the drawing");
  }
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

}  // namespace steward::media
