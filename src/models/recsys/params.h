// ParamReader: reads a model's hyper-parameters from a Boost.JSON object with
// defaults, type checks and a check for unknown keys (a typo in "l2" must not
// silently train with the default).
//
//   tailor::recsys::ParamReader r(params);
//   double l2 = r.Double("l2", 500.0);
//   int k = r.Int("topk", 100);
//   if (absl::Status s = r.Finish(); !s.ok()) return s;
//
// Getters never throw; the first problem is remembered and returned by Finish().
#ifndef TAILOR_MODELS_RECSYS_PARAMS_H_
#define TAILOR_MODELS_RECSYS_PARAMS_H_

#include <cstdint>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tailor::recsys {

class ParamReader {
 public:
  explicit ParamReader(const boost::json::object& params) : params_(params) {}

  double Double(const std::string& key, double fallback);
  int64_t Int(const std::string& key, int64_t fallback);
  bool Bool(const std::string& key, bool fallback);
  std::string String(const std::string& key, const std::string& fallback);
  // The array under `key` (copied), or `fallback` when absent.
  boost::json::array Array(const std::string& key, const boost::json::array& fallback);
  // The object under `key` (copied), or `fallback` when absent.
  boost::json::object Object(const std::string& key, const boost::json::object& fallback);

  // InvalidArgument for the first wrongly typed value or for any key that no
  // getter asked for; OK otherwise.
  absl::Status Finish();

 private:
  const boost::json::value* Find(const std::string& key);

  const boost::json::object& params_;
  std::set<std::string> seen_;
  absl::Status status_;
};

// Parses JSON text into an object; InvalidArgument on syntax errors or when the
// text is not an object.
absl::StatusOr<boost::json::object> ParseParams(const std::string& text);

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_PARAMS_H_
