// InteractionMatrix: the user x item matrix every recommendation model trains
// on, with dense int32 indexes (users are rows, items columns) and a float
// weight per (user, item) pair. What a weight means (a count, a rating, an
// event-type weight) is decided by whoever builds the matrix.
//
//   std::vector<tailor::recsys::Triplet> t = {{0, 3, 1.0f}, {1, 3, 2.0f}};
//   tailor::recsys::InteractionMatrix x = tailor::recsys::BuildInteractionMatrix(2, 5, t);
//   tailor::recsys::History h = tailor::recsys::RowHistory(x, 1);  // {{3, 2.0f}}
#ifndef TAILOR_MODELS_RECSYS_INTERACTION_MATRIX_H_
#define TAILOR_MODELS_RECSYS_INTERACTION_MATRIX_H_

#include <cstdint>
#include <vector>

#include <Eigen/SparseCore>

namespace tailor::recsys {

using InteractionMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor, int32_t>;
using Triplet = Eigen::Triplet<float, int32_t>;

// One entry of a user's history: an item index and its weight (> 0).
struct HistoryEntry {
  int32_t item;
  float weight;
};
using History = std::vector<HistoryEntry>;

// Builds a compressed matrix. Duplicate (user, item) triplets are summed.
// Requires every index inside [0, num_users) x [0, num_items).
InteractionMatrix BuildInteractionMatrix(int32_t num_users, int32_t num_items,
                                         const std::vector<Triplet>& triplets);

// The non-zero entries of row `user`, in increasing item order.
History RowHistory(const InteractionMatrix& matrix, int32_t user);

// Number of non-zero entries per column (an item's training interaction count).
std::vector<int32_t> ColumnCounts(const InteractionMatrix& matrix);

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_INTERACTION_MATRIX_H_
