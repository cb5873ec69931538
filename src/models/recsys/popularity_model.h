// PopularityModel: score(item) = the item's number of training interactions
// (non-zero entries in its column; weights are ignored), the same for every
// user. The baseline every other model must beat ("TopPopular").
//
//   PopularityModel m;  m.Fit(train, {});  Eigen::VectorXf s = m.Score({});
#ifndef TAILOR_MODELS_RECSYS_POPULARITY_MODEL_H_
#define TAILOR_MODELS_RECSYS_POPULARITY_MODEL_H_

#include "models/recsys/model.h"

namespace tailor::recsys {

class PopularityModel final : public Model {
 public:
  std::string Name() const override { return "popularity"; }
  // No params.
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  Eigen::VectorXf Score(const History& history) const override { return counts_; }
  boost::json::object Params() const override { return {}; }
  int32_t num_items() const override { return static_cast<int32_t>(counts_.size()); }

 protected:
  void WritePayload(BinaryWriter& out) const override;
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;
  void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) override;

 private:
  Eigen::VectorXf counts_;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_POPULARITY_MODEL_H_
