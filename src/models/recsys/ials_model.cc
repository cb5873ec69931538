#include "models/recsys/ials_model.h"

#include <cmath>

#include <Eigen/Cholesky>

#include "common/random.h"
#include "models/recsys/parallel.h"
#include "models/recsys/params.h"

namespace tailor::recsys {

absl::Status IalsModel::ReadParams(const boost::json::object& params) {
  ParamReader r(params);
  int64_t factors = r.Int("factors", 64);
  double reg = r.Double("reg", 0.01);
  double alpha = r.Double("alpha", 1.0);
  std::string confidence = r.String("confidence", "linear");
  double epsilon = r.Double("epsilon", 1.0);
  int64_t epochs = r.Int("epochs", 15);
  double init_std = r.Double("init_std", 0.01);
  int64_t seed = r.Int("seed", 42);
  int64_t threads = r.Int("num_threads", 2);
  bool track = r.Bool("track_loss", false);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (factors < 1 || factors > 4096) return absl::InvalidArgumentError("factors must be in [1, 4096]");
  if (reg < 0) return absl::InvalidArgumentError("reg must be >= 0");
  if (alpha < 0) return absl::InvalidArgumentError("alpha must be >= 0");
  if (confidence != "linear" && confidence != "log") {
    return absl::InvalidArgumentError("confidence must be \"linear\" or \"log\"");
  }
  if (!(epsilon > 0)) return absl::InvalidArgumentError("epsilon must be > 0");
  if (epochs < 0 || epochs > 10000) return absl::InvalidArgumentError("epochs must be in [0, 10000]");
  if (init_std < 0) return absl::InvalidArgumentError("init_std must be >= 0");
  if (threads < 1 || threads > 256) return absl::InvalidArgumentError("num_threads must be in [1, 256]");
  factors_ = static_cast<int>(factors);
  reg_ = reg;
  alpha_ = alpha;
  confidence_ = confidence;
  epsilon_ = epsilon;
  epochs_ = static_cast<int>(epochs);
  init_std_ = init_std;
  seed_ = static_cast<uint64_t>(seed);
  num_threads_ = static_cast<int>(threads);
  track_loss_ = track;
  return absl::OkStatus();
}

boost::json::object IalsModel::Params() const {
  return {{"factors", factors_},   {"reg", reg_},         {"alpha", alpha_},
          {"confidence", confidence_}, {"epsilon", epsilon_}, {"epochs", epochs_},
          {"init_std", init_std_}, {"seed", seed_},       {"num_threads", num_threads_},
          {"track_loss", track_loss_}};
}

double IalsModel::Confidence(float r) const {
  if (confidence_ == "log") return 1.0 + alpha_ * std::log1p(static_cast<double>(r) / epsilon_);
  return 1.0 + alpha_ * static_cast<double>(r);
}

Eigen::VectorXd IalsModel::SolveRow(const History& row, const Eigen::MatrixXd& other,
                                    const Eigen::MatrixXd& gram) const {
  Eigen::MatrixXd a = gram;
  a.diagonal().array() += reg_;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(factors_);
  for (const HistoryEntry& h : row) {
    if (h.item < 0 || h.item >= other.cols()) continue;
    const double c = Confidence(h.weight);
    a.selfadjointView<Eigen::Lower>().rankUpdate(other.col(h.item), c - 1.0);
    b += c * other.col(h.item);
  }
  return a.selfadjointView<Eigen::Lower>().llt().solve(b);
}

absl::Status IalsModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  fitted_ = false;
  if (absl::Status s = ReadParams(params); !s.ok()) return s;
  Random rng(seed_);
  user_factors_.resize(factors_, train.rows());
  item_factors_.resize(factors_, train.cols());
  for (Eigen::Index i = 0; i < user_factors_.size(); ++i) user_factors_.data()[i] = rng.Normal(0, init_std_);
  for (Eigen::Index i = 0; i < item_factors_.size(); ++i) item_factors_.data()[i] = rng.Normal(0, init_std_);
  InteractionMatrix train_t = train.transpose();
  train_t.makeCompressed();
  loss_history_.clear();
  if (track_loss_) loss_history_.push_back(Loss(train));
  auto half_step = [&](const InteractionMatrix& rows, const Eigen::MatrixXd& other, Eigen::MatrixXd& out) {
    const Eigen::MatrixXd gram = other * other.transpose();
    ParallelFor(rows.rows(), num_threads_, [&](int64_t r, int) {
      out.col(r) = SolveRow(RowHistory(rows, static_cast<int32_t>(r)), other, gram);
    });
  };
  for (int e = 0; e < epochs_; ++e) {
    half_step(train, item_factors_, user_factors_);
    half_step(train_t, user_factors_, item_factors_);
    if (track_loss_) loss_history_.push_back(Loss(train));
  }
  item_gram_ = item_factors_ * item_factors_.transpose();
  item_factors_f_ = item_factors_.cast<float>();
  fitted_ = true;
  return absl::OkStatus();
}

double IalsModel::Loss(const InteractionMatrix& train) const {
  // sum over all pairs of (x.y)^2 = <X X^T, Y Y^T>; observed pairs corrected.
  const Eigen::MatrixXd xx = user_factors_ * user_factors_.transpose();
  const Eigen::MatrixXd yy = item_factors_ * item_factors_.transpose();
  double loss = xx.cwiseProduct(yy).sum();
  for (int32_t u = 0; u < train.rows(); ++u) {
    for (InteractionMatrix::InnerIterator it(train, u); it; ++it) {
      const double s = user_factors_.col(u).dot(item_factors_.col(it.col()));
      loss += Confidence(it.value()) * (1.0 - s) * (1.0 - s) - s * s;
    }
  }
  return loss + reg_ * (user_factors_.squaredNorm() + item_factors_.squaredNorm());
}

Eigen::VectorXd IalsModel::FoldIn(const History& history) const {
  return SolveRow(history, item_factors_, item_gram_);
}

Eigen::VectorXf IalsModel::Score(const History& history) const {
  // Single precision for the catalogue-wide product: it is the per-request
  // cost on large catalogues (float halves the memory traffic).
  Eigen::VectorXf user = FoldIn(history).cast<float>();
  return item_factors_f_.transpose() * user;
}

Eigen::VectorXf IalsModel::ScoreKnownUser(int32_t user, const History& history) const {
  if (user < 0 || user >= user_factors_.cols()) return Score(history);
  // Double precision, as the offline evaluator's published rows were made.
  return (item_factors_.transpose() * user_factors_.col(user)).cast<float>();
}

void IalsModel::ReindexItems(const std::vector<int32_t>& to, int32_t num_items) {
  Eigen::MatrixXd moved = Eigen::MatrixXd::Zero(item_factors_.rows(), num_items);
  for (size_t j = 0; j < to.size(); ++j) moved.col(to[j]) = item_factors_.col(static_cast<Eigen::Index>(j));
  item_factors_ = std::move(moved);
  item_factors_f_ = item_factors_.cast<float>();
}

void IalsModel::WritePayload(BinaryWriter& out) const {
  Eigen::MatrixXf u = user_factors_.cast<float>(), v = item_factors_.cast<float>();
  out.DenseMatrix(u);
  out.DenseMatrix(v);
}

absl::Status IalsModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  if (absl::Status s = ReadParams(params); !s.ok()) return absl::DataLossError(s.message());
  Eigen::MatrixXf u = in.DenseMatrix(), v = in.DenseMatrix();
  if (!in.status().ok()) return in.status();
  if (u.rows() != factors_ || v.rows() != factors_) return absl::DataLossError("iALS factor shape mismatch");
  user_factors_ = u.cast<double>();
  item_factors_ = v.cast<double>();
  item_gram_ = item_factors_ * item_factors_.transpose();
  item_factors_f_ = item_factors_.cast<float>();
  return absl::OkStatus();
}

}  // namespace tailor::recsys
