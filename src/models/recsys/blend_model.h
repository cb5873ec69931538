// BlendModel ("blend"): a weighted sum of other models' scores, each first
// normalised per history so that models on different scales (summed cosine
// similarities, factor dot products) can be mixed:
//   score(j) = sum_c weight_c * s_c(j) / norm_c,
// where norm_c is, for the history being scored, the largest |s_c| over all
// items ("max") or the standard deviation of s_c over the items the blend was
// fitted on ("std"; items added by Reindex() score 0 and do not count, so
// Reindex keeps every score), or 1 ("none"); a component whose scores are all
// equal contributes nothing. A
// per-history shift does not change a ranking, so "std" ranks like z-scores.
// Typical use: a neighbourhood model, precise at the top of the list, with a
// factor model that ranks the long tail (CiteULike-a, docs/EVALUATION.md).
//
// Params (JSON):
//   components: [{"model": "itemknn", "weight": 1.0, "params": {...}}, ...]
//     (default: itemknn {topk 100, shrink 10} and ials {factors 64, reg 0.1,
//     alpha 5, epochs 15}, weight 1 each); any model kind but "blend";
//     weights >= 0, at least one > 0.
//   normalize: "max" (default) | "std" | "none".
//   num_threads (2), seed (42): given to every component that has the
//     parameter and does not set it itself.
// Params() lists each component with its full effective params, so
// Fit(x, Params()) reproduces the model. Save() stores each component's own
// payload (the item ids are stored once, for the blend); Reindex() moves every
// component; ScoreKnownUser() uses each component's per-user state.
//
//   BlendModel m;
//   m.Fit(train, *ParseParams(R"({"components": [
//       {"model": "itemknn", "weight": 1, "params": {"topk": 400}},
//       {"model": "ials", "weight": 0.5, "params": {"factors": 128}}]})"));
#ifndef TAILOR_MODELS_RECSYS_BLEND_MODEL_H_
#define TAILOR_MODELS_RECSYS_BLEND_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "models/recsys/model.h"

namespace tailor::recsys {

class BlendModel final : public Model {
 public:
  std::string Name() const override { return "blend"; }
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  Eigen::VectorXf Score(const History& history) const override;
  Eigen::VectorXf ScoreKnownUser(int32_t user, const History& history) const override;
  boost::json::object Params() const override;
  int32_t num_items() const override { return num_items_; }

  // A component's normalised contribution before weighting (exposed for tests).
  Eigen::VectorXf Normalized(Eigen::VectorXf scores) const;

 protected:
  void WritePayload(BinaryWriter& out) const override;
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;
  // Reindexes every component; the item ids are the blend's (stored once).
  void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) override;

 private:
  struct Component {
    std::unique_ptr<Model> model;
    double weight = 1.0;
    boost::json::object params;  // as given, with num_threads/seed filled in
  };
  // Parses params into `components_` (models created, not fitted).
  absl::Status ReadParams(const boost::json::object& params);
  Eigen::VectorXf Combine(const std::vector<Eigen::VectorXf>& scores) const;

  std::vector<Component> components_;
  std::string normalize_ = "max";
  int num_threads_ = 2;
  uint64_t seed_ = 42;
  int32_t num_items_ = 0;
  int32_t seen_items_ = 0;  // items at Fit(); Reindex() adds unseen ones
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_BLEND_MODEL_H_
