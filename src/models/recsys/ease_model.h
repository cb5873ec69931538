// EaseModel: EASE^R (Steck, WWW 2019), a closed-form linear item-item model.
// G = X^T X + l2 I (double), P = G^-1 via Cholesky (LAPACKE dpotrf + dpotri,
// OpenBLAS), B = -P / diag(P) column-wise, B_ii = 0; score s = x_u B.
// Memory is dense in the number of items: 8 n^2 bytes while fitting plus
// 4 n^2 bytes for B (17k items: 2.3 GB + 1.2 GB).
//
// Params (JSON): l2 (number > 0, 500).
//
//   EaseModel m;  m.Fit(train, {{"l2", 250.0}});  Eigen::VectorXf s = m.Score(history);
#ifndef TAILOR_MODELS_RECSYS_EASE_MODEL_H_
#define TAILOR_MODELS_RECSYS_EASE_MODEL_H_

#include "models/recsys/model.h"

namespace tailor::recsys {

class EaseModel final : public Model {
 public:
  using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  std::string Name() const override { return "ease"; }
  // FailedPrecondition if G is not positive definite (only possible with tiny l2).
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  Eigen::VectorXf Score(const History& history) const override;
  boost::json::object Params() const override { return {{"l2", l2_}}; }
  int32_t num_items() const override { return static_cast<int32_t>(weights_.cols()); }
  // B, row i = the weights item i gives every other item.
  const RowMatrixF& weights() const { return weights_; }

 protected:
  void WritePayload(BinaryWriter& out) const override { out.RowMajorMatrix(weights_); }
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;
  void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) override;

 private:
  absl::Status ReadParams(const boost::json::object& params);

  double l2_ = 500.0;
  RowMatrixF weights_;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_EASE_MODEL_H_
