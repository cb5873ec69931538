// Test-only helper: standard errors of a maximum-likelihood estimate from
// the observed information (numeric Hessian of the analytic gradient), so
// parameter-recovery tests can assert "within k standard errors" instead of
// a hand-picked tolerance.
//
//   auto se = tailor::behavior::testing::StandardErrors<4>(log_params, gradient_fn);
#ifndef TAILOR_MODELS_BEHAVIOR_MLE_TEST_UTIL_H_
#define TAILOR_MODELS_BEHAVIOR_MLE_TEST_UTIL_H_

#include <array>
#include <cmath>
#include <functional>
#include <utility>

namespace tailor::behavior::testing {

// `gradient(v)` returns d LL / dv at v. Returns sqrt(diag(H^-1)) with H the
// negated Hessian of LL at `v` (NaN entries if H is singular).
template <size_t N>
std::array<double, N> StandardErrors(
    const std::array<double, N>& v,
    const std::function<std::array<double, N>(const std::array<double, N>&)>& gradient) {
  constexpr double kStep = 1e-4;
  std::array<std::array<double, N>, N> h{}, inv{};
  for (size_t i = 0; i < N; ++i) {
    std::array<double, N> up = v, down = v;
    up[i] += kStep;
    down[i] -= kStep;
    const std::array<double, N> gu = gradient(up), gd = gradient(down);
    for (size_t j = 0; j < N; ++j) h[i][j] = -(gu[j] - gd[j]) / (2 * kStep);
    inv[i][i] = 1.0;
  }
  for (size_t c = 0; c < N; ++c) {  // Gauss-Jordan with partial pivoting
    size_t pivot = c;
    for (size_t r = c + 1; r < N; ++r) {
      if (std::abs(h[r][c]) > std::abs(h[pivot][c])) pivot = r;
    }
    std::swap(h[c], h[pivot]);
    std::swap(inv[c], inv[pivot]);
    const double d = h[c][c];
    for (size_t k = 0; k < N; ++k) {
      h[c][k] /= d;
      inv[c][k] /= d;
    }
    for (size_t r = 0; r < N; ++r) {
      if (r == c) continue;
      const double f = h[r][c];
      for (size_t k = 0; k < N; ++k) {
        h[r][k] -= f * h[c][k];
        inv[r][k] -= f * inv[c][k];
      }
    }
  }
  std::array<double, N> se{};
  for (size_t i = 0; i < N; ++i) se[i] = std::sqrt(inv[i][i]);
  return se;
}

}  // namespace tailor::behavior::testing

#endif  // TAILOR_MODELS_BEHAVIOR_MLE_TEST_UTIL_H_
