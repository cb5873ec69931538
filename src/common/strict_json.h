// Strict JSON parsing for request bodies: RFC 8259 text into a
// boost::json::value, refusing what boost::json::parse lets through
// silently: duplicate object keys (RFC 8259 says names SHOULD be unique;
// parsers disagree on which duplicate wins, which lets two components read
// one request differently) and text after the value.
//
//   absl::StatusOr<boost::json::value> v = ParseStrictJson(body, {.max_depth = 64});
//   // InvalidArgument "duplicate key \"type\"" for {"type":"a","type":"b"}
#ifndef TAILOR_COMMON_STRICT_JSON_H_
#define TAILOR_COMMON_STRICT_JSON_H_

#include <boost/json/value.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace tailor {

struct StrictJsonOptions {
  size_t max_depth = 64;
};

// InvalidArgument with a message naming the problem (malformed text, the
// duplicate key, nesting too deep); thread-safe, no state.
absl::StatusOr<boost::json::value> ParseStrictJson(std::string_view text,
                                                   StrictJsonOptions options = {});

}  // namespace tailor

#endif  // TAILOR_COMMON_STRICT_JSON_H_
