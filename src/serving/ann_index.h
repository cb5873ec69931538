// AnnIndex: approximate maximum-inner-product search over item vectors
// (iALS item factors) with an hnswlib graph, for catalogues where scoring
// every item per request costs too much. Exact scoring stays the default
// below kAnnMinItems items; the recall of these settings against exact
// search is checked by ann_index_test and bench/ann_recall.
//
//   std::unique_ptr<AnnIndex> ann = AnnIndex::Build(item_factors);   // dims x items
//   std::vector<ScoredIndex> top = ann->Search(user_vector, 100);     // best first
//
// Search() is const and safe from many threads (hnswlib guards its visited
// lists); the index is immutable after Build().
#ifndef TAILOR_SERVING_ANN_INDEX_H_
#define TAILOR_SERVING_ANN_INDEX_H_

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <vector>

#include "serving/tenant_state.h"

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace tailor::serving {

// Catalogues at least this large get an ANN index for iALS.
inline constexpr int32_t kAnnMinItems = 20000;

struct AnnOptions {
  int m = 16;                 // graph degree
  int ef_construction = 200;  // build-time beam
  int ef_search = 200;        // query-time beam (at least k)
  uint64_t seed = 42;
  // Threads inserting points; the graph (not its quality) then depends on
  // their interleaving.
  int build_threads = 2;
};

class AnnIndex {
 public:
  ~AnnIndex();
  // Column j of `vectors` is item j.
  static std::unique_ptr<AnnIndex> Build(const Eigen::MatrixXf& vectors, AnnOptions options = {});

  // The k items with the largest inner product with `query` (approximately),
  // best first, score = inner product.
  std::vector<ScoredIndex> Search(const Eigen::VectorXf& query, size_t k) const;

  int32_t size() const { return size_; }
  int dims() const { return dims_; }

 private:
  AnnIndex() = default;
  int32_t size_ = 0;
  int dims_ = 0;
  std::unique_ptr<hnswlib::InnerProductSpace> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
  int ef_search_ = 200;
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_ANN_INDEX_H_
