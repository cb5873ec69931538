// What the variant bandit counts as success for a template:
//
//   opens        P(open | sent)
//   clicks       P(click | sent) = P(open | sent) * P(click | open)   (default)
//   conversion   P(a named conversion event attributed to the decision | sent)
//
// The default is clicks: an open alone is a weak signal (mail clients that
// prefetch tracking pixels report opens nobody made) and a click is the
// first step a tenant's business sees. A template names another objective
// with "objective" (and "conversion_event" for conversion).
//
//   absl::StatusOr<Objective> o = ParseObjective("opens");
//   std::string_view name = ObjectiveName(Objective::kClicks);  // "clicks"
#ifndef TAILOR_MODELS_DECIDE_BANDIT_OBJECTIVE_H_
#define TAILOR_MODELS_DECIDE_BANDIT_OBJECTIVE_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace tailor::decide {

enum class Objective { kOpens, kClicks, kConversion };

inline constexpr Objective kDefaultObjective = Objective::kClicks;

// "opens", "clicks", "conversion".
std::string_view ObjectiveName(Objective objective);
// Inverse of ObjectiveName; InvalidArgument for anything else.
absl::StatusOr<Objective> ParseObjective(std::string_view name);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_BANDIT_OBJECTIVE_H_
