// Rounding of numbers at the place they are computed, so that answers carry
// the digits that mean something and no float noise. Tailor's precisions:
//   - probabilities, rates, shares, confidences, model metrics: 4 decimals;
//   - money: 2 decimals;
//   - 0..100 scores (engagement): 1 decimal;
//   - ranking scores (recommendations): 6 significant digits, because their
//     scale differs by model and only their order and rough size matter.
//
//   - fitted model parameters and diagnostics (the insights models): 6
//     significant digits, applied to the whole document by RoundNumbers.
//
//   out["probability"] = RoundDecimals(p, 4);   // 0.75400000001 -> 0.754
#ifndef TAILOR_COMMON_ROUNDING_H_
#define TAILOR_COMMON_ROUNDING_H_

#include <boost/json/value.hpp>

namespace tailor {

// `x` rounded half away from zero to `decimals` (0..9) decimal places;
// non-finite values unchanged.
double RoundDecimals(double x, int decimals);

// `x` rounded to `digits` (1..17) significant decimal digits; 0 and
// non-finite values unchanged.
double RoundSignificant(double x, int digits);

// Every double in `value` (objects and arrays walked) rounded to `digits`
// significant digits; integers, strings and the structure unchanged.
void RoundNumbers(boost::json::value& value, int digits);

}  // namespace tailor

#endif  // TAILOR_COMMON_ROUNDING_H_
