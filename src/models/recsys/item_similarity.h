// Item-item similarity machinery shared by item-kNN and RP3beta: a sparse
// product computed one target row at a time over a dense accumulator (in
// double precision, as the published reference code), top-k pruning with a
// deterministic tie rule, and scoring with a sparse item-item matrix.
//
//   SparseD xt = ...;  // item x user
//   ForEachProductRow(xt, x, 2, [&](int32_t t, const std::vector<double>& acc,
//                                   const std::vector<int32_t>& touched, int thread) {...});
//   Eigen::VectorXf s = ScoreWithSimilarity(w, history);   // s_j = sum_i h_i W[i, j]
#ifndef TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_H_
#define TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_H_

#include <cstdint>
#include <functional>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "models/recsys/interaction_matrix.h"

namespace tailor::recsys {

using SparseD = Eigen::SparseMatrix<double, Eigen::RowMajor, int32_t>;
// W[i, j]: how much having item i supports recommending item j.
using SimilarityMatrix = InteractionMatrix;

struct Neighbor {
  int32_t item;
  double weight;
};

// For every row t of `a` (targets x users), with acc[j] = sum_u a[t,u] b[u,j]
// over `b` (users x items), calls fn(t, acc, touched, thread). `touched` lists
// the j with a contribution (acc[j] may still be 0). acc is only valid during
// the call. Runs on `num_threads` threads; fn must be safe for that.
using ProductRowFn = std::function<void(int32_t t, const std::vector<double>& acc,
                                        const std::vector<int32_t>& touched, int thread)>;
void ForEachProductRow(const SparseD& a, const SparseD& b, int num_threads, const ProductRowFn& fn);

// The k largest non-zero acc[j] over j in `touched`, j != exclude, sorted by
// decreasing weight; equal weights keep the smaller index first.
std::vector<Neighbor> TopK(const std::vector<double>& acc, const std::vector<int32_t>& touched,
                           int k, int32_t exclude);

// W from lists: with `lists_are_columns`, lists[t] holds (i, W[i, t]);
// otherwise lists[t] holds (j, W[t, j]).
SimilarityMatrix FromNeighborLists(int32_t n, const std::vector<std::vector<Neighbor>>& lists,
                                   bool lists_are_columns);

// Keeps the k largest entries of every column (ties: smaller row first).
SimilarityMatrix KeepTopKPerColumn(const SimilarityMatrix& w, int k);

// s_j = sum over history of weight * W[item, j]; out-of-range items ignored.
Eigen::VectorXf ScoreWithSimilarity(const SimilarityMatrix& w, const History& history);

// W with item i moved to index to[i] in a space of num_items items:
// result[to[i], to[j]] = W[i, j]; rows and columns no item moves to are empty.
// Requires to.size() == W.rows() == W.cols(), targets distinct, < num_items.
SimilarityMatrix ReindexSimilarity(const SimilarityMatrix& w, const std::vector<int32_t>& to,
                                   int32_t num_items);

// Float matrix to double, optionally transposed.
SparseD ToDouble(const InteractionMatrix& m);
SparseD TransposeD(const SparseD& m);

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_H_
