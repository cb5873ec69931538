#include "models/recsys/item_knn_model.h"

#include <cmath>

#include "models/recsys/params.h"

namespace tailor::recsys {

absl::Status ItemKnnModel::ReadParams(const boost::json::object& params) {
  ParamReader r(params);
  int64_t topk = r.Int("topk", 100);
  double shrink = r.Double("shrink", 10.0);
  bool normalize = r.Bool("normalize", true);
  std::string weighting = r.String("weighting", "none");
  int64_t threads = r.Int("num_threads", 2);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (topk < 1) return absl::InvalidArgumentError("topk must be >= 1");
  if (shrink < 0) return absl::InvalidArgumentError("shrink must be >= 0");
  if (weighting != "none" && weighting != "tfidf") {
    return absl::InvalidArgumentError("weighting must be \"none\" or \"tfidf\"");
  }
  if (threads < 1 || threads > 256) return absl::InvalidArgumentError("num_threads must be in [1, 256]");
  topk_ = static_cast<int>(topk);
  shrink_ = shrink;
  normalize_ = normalize;
  weighting_ = weighting;
  num_threads_ = static_cast<int>(threads);
  return absl::OkStatus();
}

boost::json::object ItemKnnModel::Params() const {
  return {{"topk", topk_}, {"shrink", shrink_}, {"normalize", normalize_},
          {"weighting", weighting_}, {"num_threads", num_threads_}};
}

absl::Status ItemKnnModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  fitted_ = false;
  if (absl::Status s = ReadParams(params); !s.ok()) return s;
  SparseD x = ToDouble(train);
  if (weighting_ == "tfidf") {
    const double n_items = static_cast<double>(train.cols());
    for (int32_t u = 0; u < x.rows(); ++u) {
      const double idf = std::log(n_items / (1.0 + static_cast<double>(x.row(u).nonZeros())));
      for (SparseD::InnerIterator it(x, u); it; ++it) it.valueRef() = std::sqrt(it.value()) * idf;
    }
  }
  SparseD xt = TransposeD(x);  // item x user
  std::vector<double> norm(static_cast<size_t>(xt.rows()), 0.0);
  for (int32_t i = 0; i < xt.rows(); ++i) norm[i] = std::sqrt(xt.row(i).squaredNorm());
  // Column j of W is row j of Xt X (symmetric), pruned to the top k.
  std::vector<std::vector<Neighbor>> columns(static_cast<size_t>(xt.rows()));
  std::vector<std::vector<double>> scratch(num_threads_, std::vector<double>(xt.rows(), 0.0));
  ForEachProductRow(xt, x, num_threads_, [&](int32_t j, const std::vector<double>& acc,
                                             const std::vector<int32_t>& touched, int thread) {
    std::vector<double>& sim = scratch[thread];
    for (int32_t i : touched) {
      if (normalize_) {
        sim[i] = acc[i] / (norm[i] * norm[j] + shrink_ + 1e-6);
      } else {
        sim[i] = shrink_ != 0.0 ? acc[i] / shrink_ : acc[i];
      }
    }
    columns[j] = TopK(sim, touched, topk_, j);
    for (int32_t i : touched) sim[i] = 0.0;
  });
  similarity_ = FromNeighborLists(static_cast<int32_t>(xt.rows()), columns, /*lists_are_columns=*/true);
  fitted_ = true;
  return absl::OkStatus();
}

absl::Status ItemKnnModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  if (absl::Status s = ReadParams(params); !s.ok()) return absl::DataLossError(s.message());
  similarity_ = in.SparseMatrix();
  if (in.status().ok() && similarity_.rows() != similarity_.cols()) {
    return absl::DataLossError("item-kNN similarity must be square");
  }
  return in.status();
}

}  // namespace tailor::recsys
