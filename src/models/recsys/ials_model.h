// IalsModel: weighted implicit alternating least squares (Hu, Koren &
// Volinsky, ICDM 2008). Every observed (u, i) has preference 1 and confidence
// c = 1 + alpha r ("linear") or c = 1 + alpha ln(1 + r / epsilon) ("log");
// every other pair preference 0, confidence 1. Minimises
//   sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + reg (|X|^2 + |Y|^2)
// by exact Cholesky solves per row, users then items each epoch, over
// `num_threads` std::threads. Factors start N(0, init_std) from
// tailor::Random(seed); results do not depend on the thread count.
//
// Params (JSON): factors (64), reg (0.01), alpha (1.0), confidence
// ("linear" | "log"), epsilon (1.0, log only), epochs (15), init_std (0.01),
// seed (42), num_threads (2), track_loss (false: loss_history() stays empty).
//
//   IalsModel m;
//   m.Fit(train, {{"factors", 50}, {"alpha", 50.0}, {"confidence", "log"}, {"epsilon", 1e-3}});
//   Eigen::VectorXd x = m.FoldIn({{12, 1.0f}});   // a new user, microseconds
//   Eigen::VectorXf s = m.Score({{12, 1.0f}});    // = item factors^T FoldIn(...)
#ifndef TAILOR_MODELS_RECSYS_IALS_MODEL_H_
#define TAILOR_MODELS_RECSYS_IALS_MODEL_H_

#include <vector>

#include "models/recsys/model.h"

namespace tailor::recsys {

class IalsModel final : public Model {
 public:
  std::string Name() const override { return "ials"; }
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  // Folds the history in against the item factors, then scores (the
  // catalogue-wide product in single precision).
  Eigen::VectorXf Score(const History& history) const override;
  // Uses the trained factors of `user` (history ignored) when 0 <= user <
  // num_users(); otherwise Score(history).
  Eigen::VectorXf ScoreKnownUser(int32_t user, const History& history) const override;
  boost::json::object Params() const override;
  int32_t num_items() const override { return static_cast<int32_t>(item_factors_.cols()); }
  int32_t num_users() const { return static_cast<int32_t>(user_factors_.cols()); }

  // The factors a user with this history gets with the item factors fixed:
  // one f x f Cholesky solve. Out-of-range items ignored.
  Eigen::VectorXd FoldIn(const History& history) const;
  // The objective above on `train` for the current factors.
  double Loss(const InteractionMatrix& train) const;
  // Loss after initialisation and after each epoch when track_loss is set.
  const std::vector<double>& loss_history() const { return loss_history_; }
  // factors x users and factors x items.
  const Eigen::MatrixXd& user_factors() const { return user_factors_; }
  const Eigen::MatrixXd& item_factors() const { return item_factors_; }

 protected:
  void WritePayload(BinaryWriter& out) const override;
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;
  // Moves item factors; an item the model has not seen gets a zero vector
  // (it adds nothing to the Gram matrix, so fold-in is unchanged).
  void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) override;

 private:
  absl::Status ReadParams(const boost::json::object& params);
  double Confidence(float r) const;
  // Solves one row given the other side's factors and their Gram matrix.
  Eigen::VectorXd SolveRow(const History& row, const Eigen::MatrixXd& other,
                           const Eigen::MatrixXd& gram) const;

  int factors_ = 64;
  double reg_ = 0.01;
  double alpha_ = 1.0;
  std::string confidence_ = "linear";
  double epsilon_ = 1.0;
  int epochs_ = 15;
  double init_std_ = 0.01;
  uint64_t seed_ = 42;
  int num_threads_ = 2;
  bool track_loss_ = false;

  Eigen::MatrixXd user_factors_;
  Eigen::MatrixXd item_factors_;
  Eigen::MatrixXd item_gram_;  // Y Y^T, cached for FoldIn.
  Eigen::MatrixXf item_factors_f_;  // Y in float, cached for Score.
  std::vector<double> loss_history_;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_IALS_MODEL_H_
