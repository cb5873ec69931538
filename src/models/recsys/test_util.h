// Small fixtures shared by the recsys tests (test-only header).
#ifndef TAILOR_MODELS_RECSYS_TEST_UTIL_H_
#define TAILOR_MODELS_RECSYS_TEST_UTIL_H_

#include <Eigen/Dense>

#include "models/recsys/interaction_matrix.h"

namespace tailor::recsys::testing {

// 5 users x 6 items, binary, with two clear item clusters {0,1,2} and {3,4,5}.
inline InteractionMatrix TinyMatrix() {
  const int data[5][6] = {{1, 1, 0, 0, 0, 0},
                          {1, 1, 1, 0, 0, 0},
                          {0, 1, 1, 0, 0, 1},
                          {0, 0, 0, 1, 1, 0},
                          {0, 0, 1, 1, 1, 1}};
  std::vector<Triplet> t;
  for (int u = 0; u < 5; ++u) {
    for (int i = 0; i < 6; ++i) {
      if (data[u][i]) t.emplace_back(u, i, 1.0f);
    }
  }
  return BuildInteractionMatrix(5, 6, t);
}

inline Eigen::MatrixXd Dense(const InteractionMatrix& m) {
  return Eigen::MatrixXd(m.cast<double>());
}

}  // namespace tailor::recsys::testing

#endif  // TAILOR_MODELS_RECSYS_TEST_UTIL_H_
