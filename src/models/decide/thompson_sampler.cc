#include "models/decide/thompson_sampler.h"

#include <algorithm>
#include <set>

#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "common/strings.h"

namespace tailor::decide {
namespace {

double Affinity(const std::map<std::string, double>& table, const std::string& key) {
  if (key.empty()) return 0.5;
  auto it = table.find(key);
  return it == table.end() ? 0.5 : std::clamp(it->second, 0.0, 1.0);
}

// The shared posterior moved to mean * lift with its concentration kept (so
// the lift applies however much shared evidence there is), plus `strength`
// pseudo-observations at that mean.
BetaPosterior Tilt(const BetaPosterior& p, double lift, double strength) {
  const double mean = std::clamp(p.Mean() * lift, 1e-6, 1.0 - 1e-6);
  const double n = p.alpha + p.beta + strength;
  return BetaPosterior{n * mean, n * (1.0 - mean)};
}

const boost::json::string* StringField(const boost::json::object& o, const char* name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr ? v->if_string() : nullptr;
}

const boost::json::value& FieldOrNull(const boost::json::object& o, const char* name) {
  static const boost::json::value* null_value = new boost::json::value(nullptr);
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr ? *v : *null_value;
}

}  // namespace

VariantStats ThompsonSampler::WithPreferences(const VariantStats& shared, const Variant& variant,
                                              const UserPreferences& prefs) {
  if (prefs.strength <= 0) return shared;
  const double affinity =
      0.5 * (Affinity(prefs.tone, variant.tone) + Affinity(prefs.length, variant.length));
  const double lift = 2.0 * affinity;
  return VariantStats{Tilt(shared.open, lift, prefs.strength),
                      Tilt(shared.click, lift, prefs.strength),
                      Tilt(shared.conversion, lift, prefs.strength)};
}

VariantStats ThompsonSampler::Stats(const VariantKey& key) const {
  auto it = arms_.find(key);
  if (it != arms_.end()) return it->second;
  return VariantStats{options_.open_prior, options_.click_prior, options_.conversion_prior};
}

absl::StatusOr<VariantChoice> ThompsonSampler::Choose(const std::string& tenant,
                                                      const std::string& segment,
                                                      const std::vector<Variant>& variants,
                                                      const UserPreferences* prefs,
                                                      Random& rng, Objective goal) const {
  if (variants.empty()) return absl::InvalidArgumentError("no variants to choose from");
  std::set<std::string> ids;
  for (const Variant& v : variants) {
    if (!ids.insert(v.id).second) {
      return absl::InvalidArgumentError(StrCat("duplicate variant id '", v.id, "'"));
    }
  }
  VariantChoice choice;
  double best = -1.0;
  for (const Variant& v : variants) {
    VariantStats stats = Stats(VariantKey{tenant, segment, v.id});
    if (prefs != nullptr) stats = WithPreferences(stats, v, *prefs);
    double objective = 0;
    switch (goal) {
      case Objective::kOpens: objective = stats.open.Sample(rng); break;
      case Objective::kClicks: {
        const double p_open = stats.open.Sample(rng);
        objective = p_open * stats.click.Sample(rng);
        break;
      }
      case Objective::kConversion: objective = stats.conversion.Sample(rng); break;
    }
    choice.scores.push_back(
        {v.id, objective, stats.open.Mean(), stats.click.Mean(), stats.conversion.Mean()});
    if (objective > best) {
      best = objective;
      choice.variant_id = v.id;
    }
  }
  return choice;
}

void ThompsonSampler::RecordOutcome(const VariantKey& key, const Outcome& outcome) {
  VariantStats& s = Arm(key);
  const bool opened = outcome.opened || outcome.clicked;
  s.open.Update(opened ? 1 : 0, opened ? 0 : 1);
  if (opened) s.click.Update(outcome.clicked ? 1 : 0, outcome.clicked ? 0 : 1);
  s.conversion.Update(outcome.converted ? 1 : 0, outcome.converted ? 0 : 1);
}

VariantStats& ThompsonSampler::Arm(const VariantKey& key) {
  return arms_
      .try_emplace(key, VariantStats{options_.open_prior, options_.click_prior,
                                     options_.conversion_prior})
      .first->second;
}

void ThompsonSampler::RecordSend(const VariantKey& key) {
  VariantStats& s = Arm(key);
  s.open.beta += 1.0;
  s.conversion.beta += 1.0;
}

void ThompsonSampler::RecordConversion(const VariantKey& key) {
  VariantStats& s = Arm(key);
  s.conversion.alpha += 1.0;
  s.conversion.beta = std::max(options_.conversion_prior.beta, s.conversion.beta - 1.0);
}

void ThompsonSampler::RecordOpen(const VariantKey& key) {
  VariantStats& s = Arm(key);
  s.open.alpha += 1.0;
  // The send was counted as a failure; never take the prior's own mass.
  s.open.beta = std::max(options_.open_prior.beta, s.open.beta - 1.0);
  s.click.beta += 1.0;
}

void ThompsonSampler::RecordClick(const VariantKey& key) {
  VariantStats& s = Arm(key);
  s.click.alpha += 1.0;
  s.click.beta = std::max(options_.click_prior.beta, s.click.beta - 1.0);
}

boost::json::value ThompsonSampler::Snapshot() const {
  boost::json::array arms;
  for (const auto& [key, stats] : arms_) {
    arms.push_back(boost::json::object{{"tenant", key.tenant},
                                       {"segment", key.segment},
                                       {"variant", key.variant},
                                       {"open", stats.open.ToJson()},
                                       {"click", stats.click.ToJson()},
                                       {"conversion", stats.conversion.ToJson()}});
  }
  boost::json::object options{{"open_prior", options_.open_prior.ToJson()},
                              {"click_prior", options_.click_prior.ToJson()},
                              {"conversion_prior", options_.conversion_prior.ToJson()}};
  return boost::json::object{{"version", 1}, {"options", options}, {"arms", arms}};
}

absl::StatusOr<ThompsonSampler> ThompsonSampler::FromSnapshot(const boost::json::value& json) {
  const boost::json::object* root = json.if_object();
  const boost::json::value* opts = root ? root->if_contains("options") : nullptr;
  const boost::json::value* arms = root ? root->if_contains("arms") : nullptr;
  if (opts == nullptr || !opts->is_object() || arms == nullptr || !arms->is_array()) {
    return absl::InvalidArgumentError("snapshot needs 'options' (object) and 'arms' (array)");
  }
  ThompsonOptions options;
  const boost::json::object& o = opts->get_object();
  auto open_prior = BetaPosterior::FromJson(FieldOrNull(o, "open_prior"));
  auto click_prior =
      BetaPosterior::FromJson(FieldOrNull(o, "click_prior"));
  if (!open_prior.ok() || !click_prior.ok()) {
    return absl::InvalidArgumentError("snapshot options are malformed");
  }
  options.open_prior = *open_prior;
  options.click_prior = *click_prior;
  if (o.contains("conversion_prior")) {
    auto conversion_prior = BetaPosterior::FromJson(o.at("conversion_prior"));
    if (!conversion_prior.ok()) return absl::InvalidArgumentError("snapshot options are malformed");
    options.conversion_prior = *conversion_prior;
  }
  ThompsonSampler sampler(options);
  size_t index = 0;
  for (const boost::json::value& arm : arms->get_array()) {
    const boost::json::object* a = arm.if_object();
    const boost::json::string* tenant = a ? StringField(*a, "tenant") : nullptr;
    const boost::json::string* segment = a ? StringField(*a, "segment") : nullptr;
    const boost::json::string* variant = a ? StringField(*a, "variant") : nullptr;
    if (tenant == nullptr || segment == nullptr || variant == nullptr) {
      return absl::InvalidArgumentError(StrCat("arms[", index, "] needs tenant, segment, variant"));
    }
    auto open = BetaPosterior::FromJson(FieldOrNull(*a, "open"));
    auto click = BetaPosterior::FromJson(FieldOrNull(*a, "click"));
    absl::StatusOr<BetaPosterior> conversion = options.conversion_prior;
    if (a->contains("conversion")) conversion = BetaPosterior::FromJson(a->at("conversion"));
    if (!open.ok() || !click.ok() || !conversion.ok()) {
      return absl::InvalidArgumentError(StrCat("arms[", index, "] has a malformed posterior"));
    }
    sampler.arms_[VariantKey{std::string(*tenant), std::string(*segment), std::string(*variant)}] =
        VariantStats{*open, *click, *conversion};
    ++index;
  }
  return sampler;
}

}  // namespace tailor::decide
