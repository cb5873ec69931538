// EventWeights: how much each behaviour event says about a user's taste, for
// implicit-feedback models and for user histories. Positive weights add to the
// (user, item) preference, negative ones (dislike, dismiss) subtract from it;
// a pair whose sum is not positive is not a preference and its item is not
// recommended to that user again. Types with weight 0 (notification
// bookkeeping, custom types not configured) leave the history unchanged.
//
//   EventWeights w;                                   // the defaults below
//   float x = w.Weight("purchase", std::nullopt);     // 5
//   float r = w.Weight("rate", 2.0);                  // -1: a low rating
//   absl::StatusOr<EventWeights> custom = EventWeights::FromJson(obj);
//
// Defaults: view 1, click 2, add_to_cart 3, like 4, share 4, purchase 5,
// feedback 1, notification_clicked 1, dislike -4, dismiss -2. `rate` is read
// from the value on a 1..5 scale: value >= rating_threshold (3) weighs
// value - rating_threshold + 1, a lower rating weighs -1, no value weighs 1.
#ifndef TAILOR_SERVING_EVENT_WEIGHTS_H_
#define TAILOR_SERVING_EVENT_WEIGHTS_H_

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tailor::serving {

class EventWeights {
 public:
  EventWeights();

  // {"weights": {"view": 1, "my_custom": 2.5, ...}, "rating_threshold": 3}.
  // Listed types override the defaults; weights must be finite and within
  // [-100, 100]. InvalidArgument names the bad field.
  static absl::StatusOr<EventWeights> FromJson(const boost::json::object& json);
  boost::json::object ToJson() const;

  float Weight(std::string_view type, std::optional<double> value) const;

 private:
  std::map<std::string, float, std::less<>> weights_;
  double rating_threshold_ = 3.0;
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_EVENT_WEIGHTS_H_
