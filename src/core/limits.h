// Every cap on what a request may carry, in one place. An input over a cap is refused (422 naming the field
// with `too_long` or `too_many`), never truncated. Each size is generous for real county work and small enough
// that one request cannot make a response, an audit image or the server's memory balloon.
#pragma once
#include <cstddef>
#include <cstdint>

namespace steward::core::limits {

// --- strings, in characters (UTF-8 code points)
// Any string field without a tighter cap below: a paragraph, far beyond any label or identifier.
inline constexpr std::size_t kText = 2000;
// Names of projects, enterprises, org units: the longest official names run to about 60 characters.
inline constexpr std::size_t kName = 200;
// Short names, display names of people, node names, industry and chain labels.
inline constexpr std::size_t kShortText = 100;
// Addresses and notes on a node or a stage change.
inline constexpr std::size_t kNote = 500;
// 建设内容及规模: the one free-text field that legitimately runs to several paragraphs.
inline constexpr std::size_t kContent = 10000;
// Phone numbers, with extension and separators ("0734-5221234 转 8001").
inline constexpr std::size_t kPhone = 32;
// Codes and keys: usernames, node keys, project and credit codes (fixed formats are checked separately).
inline constexpr std::size_t kCode = 64;

// --- collections
// A node plan: the county's template has about 20 nodes; large projects split them into a few dozen more.
inline constexpr std::size_t kNodes = 200;
// A project's work team (工作专班): a few dozen people at most in practice.
inline constexpr std::size_t kTeam = 200;
// Roles of one account: there are 8 roles in all.
inline constexpr std::size_t kRoles = 8;
// Levels (省/市/县重点): there are 3.
inline constexpr std::size_t kLevels = 3;
// Funding sources: there are 5.
inline constexpr std::size_t kFundingKeys = 5;
// A yearly plan has exactly 12 months.
inline constexpr std::size_t kMonths = 12;
// Any other list in a request body.
inline constexpr std::size_t kList = 200;
// An import's edited list of new units, or of new people (only the names the user changed travel): a county has
// a few hundred units and leaders in all. 500 short entries still fit the request line the server accepts.
inline constexpr std::size_t kImportDecisions = 500;

// --- money, integer yuan
// 10^15 yuan (10 million 亿元) is ten times China's yearly GDP: no project, part or plan comes near it, and a
// sum of up to 9,000 such values still fits in 64 bits.
// Unpaged picker lists (org units, people of a region) answer at most this many rows and say when they stop
// short: a county has hundreds, and a province-wide picker beyond this needs a search, not a longer list.
inline constexpr std::int64_t kMaxPickerItems = 5000;

inline constexpr std::int64_t kMaxYuan = 1'000'000'000'000'000;

}  // namespace steward::core::limits
