// Thompson sampling over message variants (subject lines, copy, tone). Each
// (tenant, segment, variant) keeps three Beta posteriors: P(open | sent),
// P(click | opened) and P(conversion | sent). Choosing draws them for every
// candidate and picks the highest draw of the caller's objective
// (bandit_objective.h); outcomes attributed to a decision update the chosen key.
//
// A user's learned tone/length preferences can tilt the draw for that user
// only: they scale the shared posterior's mean for that user (see
// WithPreferences) without changing the shared posterior.
//
//   ThompsonSampler bandit;
//   std::vector<Variant> vs = {{"a", "friendly", "short"}, {"b", "urgent", "long"}};
//   absl::StatusOr<VariantChoice> c = bandit.Choose("t1", "all", vs, nullptr, rng);
//   bandit.RecordOutcome({"t1", "all", c->variant_id}, {.opened = true, .clicked = false});
//   boost::json::value snap = bandit.Snapshot();   // persist; FromSnapshot() restores
#ifndef TAILOR_MODELS_DECIDE_THOMPSON_SAMPLER_H_
#define TAILOR_MODELS_DECIDE_THOMPSON_SAMPLER_H_

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/json/value.hpp"
#include "common/random.h"
#include "models/decide/bandit_objective.h"
#include "models/decide/beta_posterior.h"

namespace tailor::decide {

struct VariantKey {
  std::string tenant;
  std::string segment;
  std::string variant;
  bool operator<(const VariantKey& o) const {
    return std::tie(tenant, segment, variant) < std::tie(o.tenant, o.segment, o.variant);
  }
};

struct Variant {
  std::string id;
  std::string tone;    // e.g. "friendly", "urgent", "formal"; may be empty
  std::string length;  // e.g. "short", "long"; may be empty
};

// A user's learned affinities in [0, 1] (0.5 = neutral, missing = neutral).
struct UserPreferences {
  std::map<std::string, double> tone;
  std::map<std::string, double> length;
  // Pseudo-sends the preference is worth; 0 disables it.
  double strength = 10.0;
};

struct Outcome {
  bool opened = false;
  bool clicked = false;  // a click implies an open (tracking pixels get blocked)
  bool converted = false;  // the objective's conversion event, independent of the two
};

struct VariantStats {
  BetaPosterior open;        // per send
  BetaPosterior click;       // per open
  BetaPosterior conversion;  // per send
};

struct VariantChoice {
  std::string variant_id;
  // Per candidate, in input order: the sampled objective and posterior means.
  struct Score {
    std::string variant_id;
    double sampled = 0;
    double open_mean = 0;
    double click_mean = 0;  // per open
    double conversion_mean = 0;  // per send
  };
  std::vector<Score> scores;
};

struct ThompsonOptions {
  BetaPosterior open_prior{1.0, 1.0};
  BetaPosterior click_prior{1.0, 1.0};
  BetaPosterior conversion_prior{1.0, 1.0};
};

class ThompsonSampler {
 public:
  explicit ThompsonSampler(ThompsonOptions options = {}) : options_(options) {}

  // Draws once per candidate and returns the best draw of `objective`
  // (ties: first). Keys never seen start from the prior. `prefs` may be
  // null. InvalidArgument if `variants` is empty or has duplicate ids.
  absl::StatusOr<VariantChoice> Choose(const std::string& tenant, const std::string& segment,
                                       const std::vector<Variant>& variants,
                                       const UserPreferences* prefs, Random& rng,
                                       Objective objective = kDefaultObjective) const;

  // One attributed send outcome.
  void RecordOutcome(const VariantKey& key, const Outcome& outcome);

  // The same learning with delayed feedback: a send counts as "not opened"
  // until an open arrives, which moves it to "opened" (and makes it a
  // not-yet-clicked open); a click moves that open to "clicked". The caller
  // guarantees the order send -> open -> click for each message (call
  // RecordOpen before RecordClick when a click comes without an open).
  void RecordSend(const VariantKey& key);
  void RecordOpen(const VariantKey& key);
  void RecordClick(const VariantKey& key);
  // A conversion moves the send from "not converted" to "converted".
  void RecordConversion(const VariantKey& key);

  // Posterior for `key` (the prior if unseen).
  VariantStats Stats(const VariantKey& key) const;

  // The shared stats as `prefs` tilt them for `variant`: each posterior's
  // mean is scaled by the preference lift (2 * mean affinity, 1 when
  // neutral), its concentration kept, and `strength` pseudo-observations at
  // that mean added.
  static VariantStats WithPreferences(const VariantStats& shared, const Variant& variant,
                                      const UserPreferences& prefs);

  // {"options": {...}, "arms": [{"tenant","segment","variant","open":{alpha,beta},"click":{...},
  //  "conversion":{...}}]}; a snapshot without conversion posteriors reads them as the prior.
  boost::json::value Snapshot() const;
  static absl::StatusOr<ThompsonSampler> FromSnapshot(const boost::json::value& json);

 private:
  // The arm of `key`, created at the prior.
  VariantStats& Arm(const VariantKey& key);

  ThompsonOptions options_;
  std::map<VariantKey, VariantStats> arms_;
};

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_THOMPSON_SAMPLER_H_
