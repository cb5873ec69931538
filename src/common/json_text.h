// JSON text for clients: the one way Tailor writes a JSON answer (HTTP
// bodies, webhook deliveries, CLI --json output). Boost.JSON's own
// serializer prints doubles in exponent form (77.06 as 7.706E1, 0 as 0E0),
// which many client parsers and people misread; this writer prints every
// finite double as a plain decimal:
//   - the shortest text that reads back as the same double, fixed notation,
//     never an exponent (77.06, 0.0000001, 1500);
//   - a double with an integer value with ".0" (0.0, 3.0, -12.0), so that a
//     reader still sees a number with a fraction where the schema says
//     `number` (and Boost.JSON reads it back as a double, not an integer);
//   - -0 as 0.0, NaN and infinities as null (JSON has no such numbers).
// Strings, integers, booleans and null are written as Boost.JSON writes them.
// How many digits a number deserves is decided where it is computed (see
// common/rounding.h); this writer never drops digits.
//
//   res.body = JsonText(answer);   // {"score":0.1234,"count":3,"mean":2.0}
#ifndef TAILOR_COMMON_JSON_TEXT_H_
#define TAILOR_COMMON_JSON_TEXT_H_

#include <boost/json/value.hpp>
#include <string>

namespace tailor {

// `value` as compact JSON text (no whitespace), numbers as described above.
std::string JsonText(const boost::json::value& value);

// Appends the JSON number text of `x` to `out` ("null" when not finite).
void AppendJsonNumber(double x, std::string& out);

}  // namespace tailor

#endif  // TAILOR_COMMON_JSON_TEXT_H_
