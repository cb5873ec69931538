#include "models/recsys/interaction_matrix.h"

namespace tailor::recsys {

InteractionMatrix BuildInteractionMatrix(int32_t num_users, int32_t num_items,
                                         const std::vector<Triplet>& triplets) {
  InteractionMatrix m(num_users, num_items);
  m.setFromTriplets(triplets.begin(), triplets.end());
  m.makeCompressed();
  return m;
}

History RowHistory(const InteractionMatrix& matrix, int32_t user) {
  History h;
  h.reserve(matrix.outerIndexPtr()[user + 1] - matrix.outerIndexPtr()[user]);
  for (InteractionMatrix::InnerIterator it(matrix, user); it; ++it) {
    h.push_back({static_cast<int32_t>(it.col()), it.value()});
  }
  return h;
}

std::vector<int32_t> ColumnCounts(const InteractionMatrix& matrix) {
  std::vector<int32_t> counts(matrix.cols(), 0);
  for (int32_t u = 0; u < matrix.rows(); ++u) {
    for (InteractionMatrix::InnerIterator it(matrix, u); it; ++it) {
      if (it.value() != 0.0f) ++counts[it.col()];
    }
  }
  return counts;
}

}  // namespace tailor::recsys
