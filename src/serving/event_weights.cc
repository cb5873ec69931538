#include "serving/event_weights.h"

#include <algorithm>
#include <cmath>

#include "common/field_errors.h"
#include "common/strings.h"

namespace tailor::serving {

namespace json = boost::json;

EventWeights::EventWeights()
    : weights_{{"view", 1.0f},      {"click", 2.0f},    {"add_to_cart", 3.0f},
               {"like", 4.0f},      {"share", 4.0f},    {"purchase", 5.0f},
               {"feedback", 1.0f},  {"notification_clicked", 1.0f},
               {"dislike", -4.0f},  {"dismiss", -2.0f}} {}

absl::StatusOr<EventWeights> EventWeights::FromJson(const json::object& obj) {
  EventWeights out;
  FieldErrors errors;
  for (const auto& [key, value] : obj) {
    if (key == "weights") {
      if (!value.is_object()) {
        errors.Add("weights", "must be an object of event type to number");
        continue;
      }
      for (const auto& [type, w] : value.get_object()) {
        std::string field = StrCat("weights.", std::string_view(type));
        if (!w.is_number()) {
          errors.Add(field, "must be a number");
          continue;
        }
        double x = w.to_number<double>();
        if (!std::isfinite(x) || x < -100 || x > 100) {
          errors.Add(field, "must be within [-100, 100]");
          continue;
        }
        out.weights_[std::string(type)] = static_cast<float>(x);
      }
    } else if (key == "rating_threshold") {
      if (!value.is_number() || !std::isfinite(value.to_number<double>())) {
        errors.Add("rating_threshold", "must be a number");
      } else {
        out.rating_threshold_ = value.to_number<double>();
      }
    } else {
      errors.Add(std::string(key), "is not a known setting");
    }
  }
  if (absl::Status s = errors.ToStatus(""); !s.ok()) return s;
  return out;
}

json::object EventWeights::ToJson() const {
  json::object w;
  for (const auto& [type, x] : weights_) w[type] = x;
  return {{"weights", std::move(w)}, {"rating_threshold", rating_threshold_}};
}

float EventWeights::Weight(std::string_view type, std::optional<double> value) const {
  if (type == "rate" && !weights_.contains("rate")) {
    if (!value) return 1.0f;
    // Configured weights are within [-100, 100]; a rating-derived one is too.
    if (*value >= rating_threshold_) {
      return static_cast<float>(std::min(*value - rating_threshold_ + 1.0, 100.0));
    }
    return -1.0f;
  }
  auto it = weights_.find(type);
  return it == weights_.end() ? 0.0f : it->second;
}

}  // namespace tailor::serving
