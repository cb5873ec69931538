// Random: the one source of chance for models, bandits and generators.
// Seeded explicitly so a test or an evaluation run is reproducible; not
// thread-safe (give each thread its own, e.g. `Random(seed + thread_index)`).
//
//   tailor::Random rng(42);
//   double u = rng.Uniform();          // [0, 1)
//   double b = rng.Beta(3.0, 7.0);
#ifndef TAILOR_COMMON_RANDOM_H_
#define TAILOR_COMMON_RANDOM_H_

#include <cstdint>
#include <random>

namespace tailor {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1).
  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  // Uniform integer in [0, n). Requires n > 0.
  uint64_t UniformInt(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(engine_); }
  double Normal(double mean, double stddev) {
    return std::normal_distribution<double>(mean, stddev)(engine_);
  }
  double Gamma(double shape, double scale) {
    return std::gamma_distribution<double>(shape, scale)(engine_);
  }
  // Beta(a, b) from two Gamma draws. Requires a > 0, b > 0.
  double Beta(double a, double b) {
    double x = Gamma(a, 1.0);
    double y = Gamma(b, 1.0);
    return x / (x + y);
  }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace tailor

#endif  // TAILOR_COMMON_RANDOM_H_
