#include "models/recsys/rp3beta_model.h"

#include <cmath>

#include "models/recsys/params.h"

namespace tailor::recsys {
namespace {

// Rows L1-normalised, then non-zero entries raised to `alpha` (zeros stay 0).
void NormalizeRowsAndPower(SparseD& m, double alpha) {
  for (int32_t r = 0; r < m.rows(); ++r) {
    double sum = 0.0;
    for (SparseD::InnerIterator it(m, r); it; ++it) sum += std::abs(it.value());
    for (SparseD::InnerIterator it(m, r); it; ++it) {
      double v = sum > 0 ? it.value() / sum : 0.0;
      it.valueRef() = (alpha == 1.0 || v == 0.0) ? v : std::pow(v, alpha);
    }
  }
}

}  // namespace

absl::Status Rp3BetaModel::ReadParams(const boost::json::object& params) {
  ParamReader r(params);
  double alpha = r.Double("alpha", 1.0);
  double beta = r.Double("beta", 0.6);
  int64_t topk = r.Int("topk", 100);
  bool normalize = r.Bool("normalize", true);
  int64_t threads = r.Int("num_threads", 2);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (topk < 1) return absl::InvalidArgumentError("topk must be >= 1");
  if (alpha < 0) return absl::InvalidArgumentError("alpha must be >= 0");
  if (threads < 1 || threads > 256) return absl::InvalidArgumentError("num_threads must be in [1, 256]");
  alpha_ = alpha;
  beta_ = beta;
  topk_ = static_cast<int>(topk);
  normalize_ = normalize;
  num_threads_ = static_cast<int>(threads);
  return absl::OkStatus();
}

boost::json::object Rp3BetaModel::Params() const {
  return {{"alpha", alpha_}, {"beta", beta_}, {"topk", topk_}, {"normalize", normalize_},
          {"num_threads", num_threads_}};
}

absl::Status Rp3BetaModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  fitted_ = false;
  if (absl::Status s = ReadParams(params); !s.ok()) return s;
  SparseD p_ui = ToDouble(train);
  SparseD p_iu = TransposeD(p_ui);
  for (int32_t i = 0; i < p_iu.rows(); ++i) {
    for (SparseD::InnerIterator it(p_iu, i); it; ++it) it.valueRef() = 1.0;
  }
  std::vector<double> degree(static_cast<size_t>(p_iu.rows()), 0.0);
  for (int32_t i = 0; i < p_iu.rows(); ++i) {
    const double pop = static_cast<double>(p_iu.row(i).nonZeros());
    degree[i] = pop > 0 ? std::pow(pop, -beta_) : 0.0;
  }
  NormalizeRowsAndPower(p_ui, alpha_);
  NormalizeRowsAndPower(p_iu, alpha_);
  std::vector<std::vector<Neighbor>> rows(static_cast<size_t>(p_iu.rows()));
  std::vector<std::vector<double>> scratch(num_threads_, std::vector<double>(p_iu.rows(), 0.0));
  ForEachProductRow(p_iu, p_ui, num_threads_, [&](int32_t i, const std::vector<double>& acc,
                                                 const std::vector<int32_t>& touched, int thread) {
    std::vector<double>& w = scratch[thread];
    for (int32_t j : touched) w[j] = acc[j] * degree[j];
    std::vector<Neighbor> top = TopK(w, touched, topk_, i);
    for (int32_t j : touched) w[j] = 0.0;
    if (normalize_) {
      double sum = 0.0;
      for (const Neighbor& n : top) sum += std::abs(n.weight);
      if (sum > 0) {
        for (Neighbor& n : top) n.weight /= sum;
      }
    }
    rows[i] = std::move(top);
  });
  similarity_ = KeepTopKPerColumn(
      FromNeighborLists(static_cast<int32_t>(p_iu.rows()), rows, /*lists_are_columns=*/false), topk_);
  fitted_ = true;
  return absl::OkStatus();
}

absl::Status Rp3BetaModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  if (absl::Status s = ReadParams(params); !s.ok()) return absl::DataLossError(s.message());
  similarity_ = in.SparseMatrix();
  if (in.status().ok() && similarity_.rows() != similarity_.cols()) {
    return absl::DataLossError("RP3beta similarity must be square");
  }
  return in.status();
}

}  // namespace tailor::recsys
