#include "core/photo.h"

#include <gtest/gtest.h>

using namespace steward::core;

TEST(PhotoSniff, KnowsTheFourTypesByTheirMagicBytes) {
  EXPECT_EQ(sniffPhotoType(std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10)), PhotoType::Jpeg);
  EXPECT_EQ(sniffPhotoType(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)), PhotoType::Png);
  EXPECT_EQ(sniffPhotoType(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16)), PhotoType::Webp);
  EXPECT_EQ(sniffPhotoType(std::string("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24)), PhotoType::Heic);
  EXPECT_EQ(sniffPhotoType(std::string("\0\0\0\x18" "ftypmif1\0\0\0\0", 16)), PhotoType::Heic);
}

TEST(PhotoSniff, RefusesWhatIsNotAnImageWhateverItIsCalled) {
  EXPECT_FALSE(sniffPhotoType(std::string("PK\x03\x04\x14\0\0\0", 8)));          // a zip named .jpg
  EXPECT_FALSE(sniffPhotoType("%PDF-1.7\n"));
  EXPECT_FALSE(sniffPhotoType(""));
  EXPECT_FALSE(sniffPhotoType("\xFF\xD8"));                                    // too short for JPEG
  EXPECT_FALSE(sniffPhotoType(std::string("RIFF\x24\0\0\0WAVEfmt ", 16)));       // RIFF, but audio
  EXPECT_FALSE(sniffPhotoType(std::string("\0\0\0\x18" "ftypisom\0\0\0\0", 16)));  // an MP4 video
}

TEST(PhotoHash, OnlySixtyFourLowercaseHexDigits) {
  EXPECT_TRUE(isPhotoHash(std::string(64, 'a')));
  EXPECT_FALSE(isPhotoHash(std::string(64, 'A')));
  EXPECT_FALSE(isPhotoHash(std::string(63, 'a')));
  EXPECT_FALSE(isPhotoHash("../../etc/passwd"));
  EXPECT_FALSE(isPhotoHash(std::string(62, 'a') + "/."));
}

TEST(PhotoDistance, WholeMetresOnTheSphere) {
  EXPECT_EQ(distanceMetres(28.0, 109.0, 28.0, 109.0), 0);
  // One degree of latitude is about 111.2 km.
  EXPECT_NEAR(distanceMetres(28.0, 109.0, 29.0, 109.0), 111195, 2);
  // One degree of longitude at 60° is half of that.
  EXPECT_NEAR(distanceMetres(60.0, 10.0, 60.0, 11.0), 55597, 2);
}

TEST(PhotoEvidence, TakenLongBeforeThePeriodIsQuestionable) {
  PhotoEvidenceRules r{30, 2000};
  PhotoFacts p;
  p.taken_at = "2026-01-01T10:00:00";
  auto q = questionablePhoto(p, "2026-03-01", std::nullopt, std::nullopt, r);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].reason, "taken_before_period");
  EXPECT_NE(q[0].detail.find("59"), std::string::npos);
  // Exactly the allowed days before, or inside the period: fine.
  p.taken_at = "2026-01-30T23:59:59";
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", std::nullopt, std::nullopt, r).empty());
  p.taken_at = "2026-03-10T08:00:00";
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", std::nullopt, std::nullopt, r).empty());
}

TEST(PhotoEvidence, FarFromTheSiteIsQuestionable) {
  PhotoEvidenceRules r{30, 2000};
  PhotoFacts p;
  p.lat = 28.02;
  p.lng = 109.0;  // 2.2 km north of the site
  auto q = questionablePhoto(p, "2026-03-01", 28.0, 109.0, r);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].reason, "far_from_site");
  p.lat = 28.01;  // 1.1 km
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", 28.0, 109.0, r).empty());
  r.max_distance_m = 1000;
  EXPECT_EQ(questionablePhoto(p, "2026-03-01", 28.0, 109.0, r).size(), 1u);
}

TEST(PhotoEvidence, WithoutTimePositionOrSiteNothingIsClaimed) {
  PhotoEvidenceRules r{0, 0};
  PhotoFacts p;
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", 28.0, 109.0, r).empty());
  p.lat = 30.0;
  p.lng = 110.0;
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", std::nullopt, std::nullopt, r).empty());
  p.taken_at = "garbage";
  EXPECT_TRUE(questionablePhoto(p, "2026-03-01", std::nullopt, std::nullopt, r).empty());
  p.taken_at = "2020-01-01T00:00:00";
  EXPECT_EQ(questionablePhoto(p, "2026-03-01", 28.0, 109.0, r).size(), 2u);
}
