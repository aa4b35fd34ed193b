#include "media/photo_codec.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <fstream>
#include <sstream>

using namespace steward;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(STEWARD_SOURCE_DIR) + "/tests/fixtures/photos/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The APP1 "Exif" payload of a JPEG (what vips hands to readExif).
std::string exifOf(const std::string& jpeg) {
  for (std::size_t at = 2; at + 4 < jpeg.size();) {
    const auto marker = static_cast<unsigned char>(jpeg[at + 1]);
    const std::size_t len = (static_cast<unsigned char>(jpeg[at + 2]) << 8) | static_cast<unsigned char>(jpeg[at + 3]);
    if (marker == 0xE1) return jpeg.substr(at + 4, len - 2);
    at += 2 + len;
  }
  return {};
}

int widthOf(const std::string& jpeg) {
  VipsImage* im = vips_image_new_from_buffer(jpeg.data(), jpeg.size(), "", nullptr);
  int w = vips_image_get_width(im);
  g_object_unref(im);
  return w;
}

}  // namespace

TEST(PhotoExif, ReadsTheTimeAndPositionFromFixtureBytes) {
  auto f = media::readExif(exifOf(fixture("exif-gps.jpg")));
  ASSERT_TRUE(f.taken_at);
  EXPECT_EQ(*f.taken_at, "2026-01-02T10:00:00");
  ASSERT_TRUE(f.lat && f.lng);
  EXPECT_NEAR(*f.lat, 28.3, 1e-6);
  EXPECT_NEAR(*f.lng, 109.7, 1e-6);
}

TEST(PhotoExif, GarbageGivesNothingAndNeverThrows) {
  for (std::string junk : {std::string(), std::string("Exif\0\0", 6), std::string("Exif\0\0II*\0\xff\xff\xff\x7f", 14),
                           std::string(5000, '\xff')}) {
    auto f = media::readExif(junk);
    EXPECT_FALSE(f.taken_at);
    EXPECT_FALSE(f.lat);
  }
  // A block cut off in the middle of the GPS IFD keeps what came before, invents nothing.
  auto cut = exifOf(fixture("exif-gps.jpg"));
  auto f = media::readExif(cut.substr(0, cut.size() - 30));
  EXPECT_FALSE(f.lng);
}

TEST(PhotoCodec, MakesStrippedUprightCopiesAndKeepsTheFacts) {
  auto p = media::processPhoto(fixture("exif-gps.jpg"));
  EXPECT_EQ(p.type, core::PhotoType::Jpeg);
  EXPECT_EQ(p.width, 64);
  EXPECT_EQ(p.height, 48);
  EXPECT_EQ(p.facts.taken_at.value_or(""), "2026-01-02T10:00:00");
  // Orientation 6 applied: the upright copy is 48 wide; no EXIF left in it.
  EXPECT_EQ(widthOf(p.screen), 48);
  EXPECT_EQ(core::sniffPhotoType(p.thumb), core::PhotoType::Jpeg);
  EXPECT_TRUE(exifOf(p.screen).empty());
  EXPECT_EQ(p.screen.find("Exif"), std::string::npos);
  EXPECT_EQ(p.thumb.find("Exif"), std::string::npos);
}

TEST(PhotoCodec, AcceptsPngWebpAndHeic) {
  EXPECT_EQ(media::processPhoto(fixture("plain.png")).type, core::PhotoType::Png);
  EXPECT_EQ(media::processPhoto(fixture("plain.webp")).type, core::PhotoType::Webp);
  // A phone's HEIC is decoded by libheif and its copies are JPEG, which every browser shows.
  auto heic = media::processPhoto(fixture("plain.heic"));
  EXPECT_EQ(heic.type, core::PhotoType::Heic);
  EXPECT_EQ(heic.width, 64);
  EXPECT_EQ(core::sniffPhotoType(heic.thumb), core::PhotoType::Jpeg);
}

TEST(PhotoCodec, RefusesWithAReason) {
  auto reasonOf = [](const std::string& bytes) {
    try {
      media::processPhoto(bytes);
    } catch (const media::PhotoRejected& e) {
      return e.reason;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(reasonOf(std::string("PK\x03\x04\x14\0\0\0\0\0", 10) + std::string(100, 'x')), "unsupported_type");
  EXPECT_EQ(reasonOf(fixture("truncated.jpg")), "undecodable");
  EXPECT_EQ(reasonOf(fixture("bomb.png")), "too_many_pixels");
  EXPECT_EQ(reasonOf(std::string(core::kPhotoMaxBytes + 1, '\xff')), "too_large");
  // The right magic bytes and nothing behind them.
  EXPECT_EQ(reasonOf(std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, '\0')), "undecodable");
  // A PNG's bytes with a JPEG's first three: only the JPEG decoder is asked, and it refuses.
  auto png = fixture("plain.png");
  EXPECT_EQ(reasonOf(std::string("\xFF\xD8\xFF", 3) + png.substr(3)), "undecodable");
}

TEST(SitePhoto, TheSameSeedDrawsTheSamePhotoAndItPassesTheUploadChecks) {
  const auto a = media::drawSitePhoto(7), b = media::drawSitePhoto(7), c = media::drawSitePhoto(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const auto p = media::processPhoto(a);
  EXPECT_EQ(p.type, core::PhotoType::Jpeg);
  EXPECT_EQ(p.width, 800);
  EXPECT_EQ(p.height, 600);
}
