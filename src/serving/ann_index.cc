#include "serving/ann_index.h"

// Debian's hnswlib 0.6.2 prefetches through the element one past the end of
// a neighbour list in its SSE path (an out-of-bounds read AddressSanitizer
// reports, fixed upstream later). Its portable path has no such read; the
// compiler vectorizes those distance loops itself.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>

#include "models/recsys/parallel.h"

namespace tailor::serving {

AnnIndex::~AnnIndex() = default;

std::unique_ptr<AnnIndex> AnnIndex::Build(const Eigen::MatrixXf& vectors, AnnOptions options) {
  std::unique_ptr<AnnIndex> index(new AnnIndex());
  index->size_ = static_cast<int32_t>(vectors.cols());
  index->dims_ = static_cast<int>(vectors.rows());
  index->ef_search_ = options.ef_search;
  index->space_ = std::make_unique<hnswlib::InnerProductSpace>(index->dims_);
  index->graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      index->space_.get(), std::max<size_t>(1, vectors.cols()), options.m, options.ef_construction,
      options.seed);
  // Column-major: each column is contiguous. hnswlib's addPoint locks what
  // it links, so points after the first (the entry point) go in parallel.
  if (index->size_ > 0) index->graph_->addPoint(vectors.col(0).data(), 0);
  recsys::ParallelFor(
      index->size_ - 1, std::max(1, options.build_threads),
      [&](int64_t i, int) { index->graph_->addPoint(vectors.col(i + 1).data(), i + 1); }, 256);
  index->graph_->setEf(options.ef_search);
  return index;
}

std::vector<ScoredIndex> AnnIndex::Search(const Eigen::VectorXf& query, size_t k) const {
  std::vector<ScoredIndex> out;
  if (size_ == 0 || query.size() != dims_ || k == 0) return out;
  k = std::min<size_t>(k, size_);
  // hnswlib searches with a beam of max(ef_search, k).
  std::priority_queue<std::pair<float, hnswlib::labeltype>> found =
      graph_->searchKnn(query.data(), k);
  out.resize(found.size());
  // The queue pops the largest distance (1 - inner product) first.
  for (size_t i = found.size(); i-- > 0;) {
    out[i] = {static_cast<int32_t>(found.top().second), 1.0f - found.top().first};
    found.pop();
  }
  return out;
}

}  // namespace tailor::serving
