#include "models/decide/bandit_objective.h"

namespace tailor::decide {

std::string_view ObjectiveName(Objective objective) {
  switch (objective) {
    case Objective::kOpens: return "opens";
    case Objective::kClicks: return "clicks";
    case Objective::kConversion: return "conversion";
  }
  return "clicks";
}

absl::StatusOr<Objective> ParseObjective(std::string_view name) {
  for (Objective o : {Objective::kOpens, Objective::kClicks, Objective::kConversion}) {
    if (ObjectiveName(o) == name) return o;
  }
  return absl::InvalidArgumentError("objective must be opens, clicks or conversion");
}

}  // namespace tailor::decide
