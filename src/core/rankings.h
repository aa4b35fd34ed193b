// Monthly rankings (挂榜排名), grades (优/中/差), yellow cards (黄牌) and quarterly award candidates, as pure
// functions over integers: no I/O, no clock, no floating point, so the same rules and inputs give the same result
// to the last point.
//
// Units of measure:
//   - a ratio is in basis points (10000 = 100%), computed from a numerator and a denominator, rounded down;
//   - a mark (satisfaction, show-results ratings, judges' marks) is in hundredths of a point out of 100 (0..10000);
//   - a count (late or unreconciled ledger steps) is a plain number of items;
//   - points, contributions and totals are in hundredths of a point (10000 = 100.00 points);
//   - weights are whole percent and a rule set's weights add up to 100.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace steward::core::rankings {

inline constexpr std::int64_t kFull = 10000;  // 100.00 points, 100%, mark 100

// How a factor's raw figure is measured.
enum class Measure { Ratio, Mark, Count };
// How the raw figure becomes points: linear up to full marks at `target`; banded (the first band whose floor the
// raw figure reaches, bands highest first); or full marks less `per_item` for each counted item (a deduction).
enum class Curve { Linear, Bands, Deduct };

struct Band {
  std::int64_t min = 0;     // raw figure at or above which the band applies
  std::int64_t points = 0;  // hundredths
};

struct Factor {
  std::string key;    // "investment"
  std::string label;  // "投资完成率"
  std::int64_t weight = 0;
  Measure measure = Measure::Ratio;
  Curve curve = Curve::Linear;
  std::int64_t target = kFull;   // Linear: the raw figure that earns full marks
  std::vector<Band> bands;       // Bands: highest floor first
  std::int64_t per_item = 0;     // Deduct: hundredths taken off per item
  bool missing_full = false;     // a unit with no figure (a ratio over nothing) gets full marks instead of none
};

enum class GradeMode { Thresholds, Shares };
struct GradeRule {
  GradeMode mode = GradeMode::Thresholds;
  std::int64_t excellent_min = 9000;  // Thresholds: total at or above → 优
  std::int64_t poor_below = 6000;     // Thresholds: total below → 差
  std::int64_t excellent_share = 20;  // Shares: the first floor(n × share / 100) by rank → 优
  std::int64_t poor_share = 20;       // Shares: the last floor(n × share / 100) by rank → 差
};

enum class CardMode { Line, Propose };
struct YellowCardRule {
  bool enabled = true;
  CardMode mode = CardMode::Line;
  std::int64_t line = 6000;     // Line: total below → a yellow card
  std::int64_t propose = 3;     // Propose: the last n by rank are proposed; headquarters chooses among them
  std::int64_t summons_after = 3;  // this many yellow cards in a row → a summons (约谈); 0 = never
};

// The five quarterly awards: start, progress, completion (projects); service, land (units). Each takes the
// subjects whose figure reaches `min`, best figure first (ties by id), at most `max` of them (0 = no cap).
struct AwardRule {
  std::string key;     // start | progress | completion | service | land
  std::string label;   // "开工奖"
  bool enabled = true;
  std::int64_t min = 1;
  std::int64_t max = 0;
};
// The figure each award reads, and whether its subjects are projects.
const char* awardFigure(const std::string& key);
bool awardForProjects(const std::string& key);
inline constexpr const char* kAwardKeys[] = {"start", "progress", "completion", "service", "land"};

// Jingle's five accounts (五账法): the day of the month each step of a unit's monthly ledger is due. set_up, sort,
// reconcile and hand_in fall in the ledger's month (0: its last Monday-to-Friday day; a day past the month's end is
// its last day); settle, headquarters' step, falls in the next month.
struct LedgerRule {
  std::int64_t set_up_day = 5, sort_day = 20, reconcile_day = 25, hand_in_day = 0, settle_day = 5;
};
// The five due days (ISO) of the ledger of `month` ("2026-03"), in step order. `month` must be a valid YYYY-MM.
std::array<std::string, 5> ledgerDues(const LedgerRule& r, const std::string& month);

struct RankingRules {
  std::string subject = "unit";           // what is ranked: unit | project (Zhuxi's drill scores projects)
  std::vector<Factor> factors;
  std::vector<std::string> tie_break;     // factor keys compared (points, higher first) after the total; then id
  GradeRule grades;
  YellowCardRule yellow;
  std::vector<AwardRule> awards;
  LedgerRule ledger;
};

// One unit's raw figure for a factor: a ratio as numerator/denominator (denominator 0 = no figure); a mark or a
// count in `value`. A factor absent from a unit's figures is "no figure".
struct Figure {
  std::int64_t num = 0;
  std::int64_t den = 0;
  std::optional<std::int64_t> value;
};
struct UnitInput {
  std::string id;  // unique within one ranking
  std::string name;
  std::map<std::string, Figure> figures;  // by factor key
  int cards_before = 0;                    // yellow cards in the months just before, in a row
};

struct FactorScore {
  std::string key, label;
  std::optional<std::int64_t> raw;  // bp, hundredths or items; nullopt = no figure
  std::int64_t points = 0;          // hundredths
  std::int64_t weight = 0;          // percent
  std::int64_t contribution = 0;    // hundredths: points × weight / 100, rounded half up
  std::string message;              // "投资完成率 85.00%，得 85.00 分 × 权重 30% = 25.50 分"
};

struct UnitScore {
  std::string id, name;
  std::vector<FactorScore> factors;
  std::int64_t total = 0;  // hundredths: the sum of contributions
  int rank = 0;            // 1.., distinct: total, then tie_break factors, then id
  bool tied = false;       // same total as a neighbour; the stated order decided
  std::string grade;       // 优 | 中 | 差
  bool yellow_card = false;  // Line mode: carded; Propose mode: chosen by headquarters
  bool proposed = false;     // Propose mode: on the list headquarters chooses from
  bool summons = false;      // the card makes `summons_after` in a row
  std::string message;
};

struct Ranking {
  std::vector<UnitScore> units;   // in rank order
  std::vector<std::string> refused;  // chosen by headquarters but not on the proposed list; not carded
};

// Points of one factor for a raw figure (nullopt = no figure).
std::int64_t factorPoints(const Factor& f, std::optional<std::int64_t> raw);
// The raw figure of a factor from a unit's figure: a ratio in bp (rounded down; nullopt over nothing), else value.
std::optional<std::int64_t> rawFigure(const Factor& f, const Figure& g);

// Scores, ranks, grades and cards every unit. `chosen` is headquarters' choice in Propose mode (ignored in Line
// mode). Input order does not matter: the result is ordered by rank.
Ranking scoreUnits(const RankingRules& rules, const std::vector<UnitInput>& units,
                   const std::set<std::string>& chosen = {});

// A project or unit in a quarter, with the figures the awards read (started, progress_bp, completed,
// service_mark, land_bp).
struct AwardFact {
  std::string id, name;
  bool project = true;
  std::map<std::string, std::int64_t> figures;
};
struct AwardCandidate {
  std::string award, id, name;
  std::int64_t figure = 0;
  std::string message;  // "2026年第1季度开工奖候选：…"
};
// The candidates of every enabled award, award by award in rule order, best figure first, ties by id.
std::vector<AwardCandidate> awardCandidates(const RankingRules& rules, const std::vector<AwardFact>& facts,
                                            const std::string& quarter);

// "85.00" for 8500 hundredths.
std::string hundredths(std::int64_t v);
const char* measureKey(Measure m);
const char* curveKey(Curve c);

}  // namespace steward::core::rankings
