#include "models/recsys/ease_model.h"

#include <lapacke.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "models/recsys/params.h"

namespace tailor::recsys {

absl::Status EaseModel::ReadParams(const boost::json::object& params) {
  ParamReader r(params);
  double l2 = r.Double("l2", 500.0);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (!(l2 > 0)) return absl::InvalidArgumentError("l2 must be > 0");
  l2_ = l2;
  return absl::OkStatus();
}

absl::Status EaseModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  fitted_ = false;
  if (absl::Status s = ReadParams(params); !s.ok()) return s;
  const int64_t n = train.cols();
  // Lower triangle of G, column-major: G(r, c) with r >= c at g[r + c n].
  std::vector<double> g(static_cast<size_t>(n * n), 0.0);
  for (int32_t u = 0; u < train.rows(); ++u) {
    const int32_t begin = train.outerIndexPtr()[u], end = train.outerIndexPtr()[u + 1];
    const int32_t* idx = train.innerIndexPtr();
    const float* val = train.valuePtr();
    for (int32_t a = begin; a < end; ++a) {
      double* column = g.data() + static_cast<int64_t>(idx[a]) * n;
      const double va = val[a];
      for (int32_t b = a; b < end; ++b)
        column[idx[b]] += va * val[b];  // idx sorted: idx[b] >= idx[a]
    }
  }
  for (int64_t i = 0; i < n; ++i) g[i + i * n] += l2_;
  lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', static_cast<lapack_int>(n), g.data(),
                                   static_cast<lapack_int>(n));
  if (info != 0) {
    return absl::FailedPreconditionError(absl::StrCat("EASE: Cholesky failed (info ", info, ")"));
  }
  info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', static_cast<lapack_int>(n), g.data(),
                        static_cast<lapack_int>(n));
  if (info != 0) {
    return absl::FailedPreconditionError(absl::StrCat("EASE: inversion failed (info ", info, ")"));
  }
  // Mirror the lower triangle so column i of P is contiguous and complete.
  for (int64_t c = 0; c < n; ++c) {
    for (int64_t r = c + 1; r < n; ++r) g[c + r * n] = g[r + c * n];
  }
  std::vector<double> diag(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) diag[j] = g[j + j * n];
  weights_.resize(n, n);
  for (int64_t i = 0; i < n; ++i) {
    const double* p = g.data() + i * n;  // P(:, i) = P(i, :)
    float* b = weights_.data() + i * n;
    for (int64_t j = 0; j < n; ++j) b[j] = static_cast<float>(-p[j] / diag[j]);
    b[i] = 0.0f;
  }
  fitted_ = true;
  return absl::OkStatus();
}

namespace {

// y += a x. Scoring is this loop over one weight row per history item; the
// clones let the loader pick the widest vector unit the CPU has (the build
// itself targets baseline x86-64). Not under ThreadSanitizer: the clones'
// resolver runs while the loader relocates, before TSan's runtime exists,
// and its instrumented code crashes there.
#if defined(__SANITIZE_THREAD__)
#define TAILOR_VECTOR_CLONES
#else
#define TAILOR_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
TAILOR_VECTOR_CLONES void Axpy(float a, const float* x, float* y, int64_t n) {
  for (int64_t k = 0; k < n; ++k) y[k] += a * x[k];
}

}  // namespace

Eigen::VectorXf EaseModel::Score(const History& history) const {
  Eigen::VectorXf s = Eigen::VectorXf::Zero(weights_.cols());
  for (const HistoryEntry& h : history) {
    if (h.item < 0 || h.item >= weights_.rows()) continue;
    Axpy(h.weight, weights_.row(h.item).data(), s.data(), weights_.cols());
  }
  return s;
}

void EaseModel::ReindexItems(const std::vector<int32_t>& to, int32_t num_items) {
  RowMatrixF moved = RowMatrixF::Zero(num_items, num_items);
  const int64_t n = weights_.cols();
  for (int64_t i = 0; i < weights_.rows(); ++i) {
    const float* from = weights_.data() + i * n;
    float* row = moved.data() + static_cast<int64_t>(to[i]) * num_items;
    for (int64_t j = 0; j < n; ++j) row[to[j]] = from[j];
  }
  weights_ = std::move(moved);
}

absl::Status EaseModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  if (absl::Status s = ReadParams(params); !s.ok()) return absl::DataLossError(s.message());
  weights_ = in.RowMajorMatrix();
  if (in.status().ok() && weights_.rows() != weights_.cols()) {
    return absl::DataLossError("EASE weights must be square");
  }
  return in.status();
}

}  // namespace tailor::recsys
