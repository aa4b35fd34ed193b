// Inspection bulletins (督查通报): who is named. Pure: the figures per unit or township in, the praised and the
// criticised out, by fixed and explainable rules (no weights from elsewhere, no clock).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace steward::core::bulletin {

// One unit's (or township's) figures over a bulletin's span.
struct NamedFigures {
  std::int64_t id = 0;
  std::string name;
  std::int64_t projects = 0, due_to_start = 0, started = 0;
  std::int64_t red = 0, yellow = 0;
  std::int64_t letters_overdue = 0, problems_overdue = 0;
  std::int64_t investment = 0;  // yuan reported in the span
};

// Demerits: 2 per red light, 1 per yellow, 2 per project due to start and not started, 1 per overdue letter or
// problem.
std::int64_t demerits(const NamedFigures& f);

struct Named {
  std::vector<NamedFigures> praised, criticised;
};

// Criticised: those with demerits, most first (ties: more red, then name), at most `n`. Praised: among the others
// with projects and investment or starts in the span, the fewest demerits first (then most investment, more
// started, name), at most `n` — so a county where everyone has a yellow light still names its best.
Named bestAndWorst(std::vector<NamedFigures> all, std::size_t n);

// A share in whole percent, half up; 0 when the whole is 0.
std::int64_t percentOf(std::int64_t part, std::int64_t whole);

}  // namespace steward::core::bulletin
