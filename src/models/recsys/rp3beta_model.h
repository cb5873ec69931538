// Rp3BetaModel: the random-walk item-item model RP3beta (Paudel et al. 2017)
// as defined by the reference code of Dacrema et al. (TOIS 2021):
// P_ui = training matrix, rows L1-normalised, entries raised to alpha;
// P_iu = binarised transpose, rows L1-normalised, raised to alpha;
// W = P_iu P_ui, column j times pop(j)^-beta, diagonal 0, top `topk` per row,
// rows L1-normalised if `normalize`, then top `topk` per column.
// Score s(u, j) = sum_i r_ui W[i, j].
//
// Params (JSON): alpha (1.0), beta (0.6), topk (100), normalize (true), num_threads (2).
//
//   Rp3BetaModel m;  m.Fit(train, {{"alpha", 0.0}, {"beta", 0.0}, {"topk", 710}});
#ifndef TAILOR_MODELS_RECSYS_RP3BETA_MODEL_H_
#define TAILOR_MODELS_RECSYS_RP3BETA_MODEL_H_

#include "models/recsys/item_similarity_model.h"

namespace tailor::recsys {

class Rp3BetaModel final : public ItemSimilarityModel {
 public:
  std::string Name() const override { return "rp3beta"; }
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  boost::json::object Params() const override;

 protected:
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;

 private:
  absl::Status ReadParams(const boost::json::object& params);

  double alpha_ = 1.0;
  double beta_ = 0.6;
  int topk_ = 100;
  bool normalize_ = true;
  int num_threads_ = 2;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_RP3BETA_MODEL_H_
