#include "models/decide/beta_posterior.h"

#include <cmath>

#include "boost/json/object.hpp"

namespace tailor::decide {
namespace {

bool PositiveNumber(const boost::json::value* v, double* out) {
  if (v == nullptr || !v->is_number()) return false;
  *out = v->to_number<double>();
  return std::isfinite(*out) && *out > 0;
}

}  // namespace

boost::json::value BetaPosterior::ToJson() const {
  return boost::json::object{{"alpha", alpha}, {"beta", beta}};
}

absl::StatusOr<BetaPosterior> BetaPosterior::FromJson(const boost::json::value& json) {
  BetaPosterior p;
  const boost::json::object* o = json.if_object();
  if (o == nullptr || !PositiveNumber(o->if_contains("alpha"), &p.alpha) ||
      !PositiveNumber(o->if_contains("beta"), &p.beta)) {
    return absl::InvalidArgumentError("a Beta posterior needs positive 'alpha' and 'beta'");
  }
  return p;
}

}  // namespace tailor::decide
