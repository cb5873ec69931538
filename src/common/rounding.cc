#include "common/rounding.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tailor {

double RoundDecimals(double x, int decimals) {
  if (!std::isfinite(x)) return x;
  static constexpr double kScale[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  const double f = kScale[std::clamp(decimals, 0, 9)];
  const double r = std::round(x * f) / f;
  return std::isfinite(r) ? r : x;  // x * f overflowed: x has no fraction worth rounding
}

double RoundSignificant(double x, int digits) {
  if (x == 0.0 || !std::isfinite(x)) return x;
  // Through decimal text, so the result is the double nearest the rounded
  // decimal (a power-of-ten scale would add its own error).
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.*e", std::clamp(digits, 1, 17) - 1, x);
  return std::strtod(buf, nullptr);
}

void RoundNumbers(boost::json::value& value, int digits) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      value = RoundSignificant(value.get_double(), digits);
      return;
    case boost::json::kind::object:
      for (boost::json::key_value_pair& kv : value.get_object()) RoundNumbers(kv.value(), digits);
      return;
    case boost::json::kind::array:
      for (boost::json::value& e : value.get_array()) RoundNumbers(e, digits);
      return;
    default:
      return;
  }
}

}  // namespace tailor
