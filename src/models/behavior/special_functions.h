// Log-space special functions for the buy-till-you-die models (BG/NBD,
// Gamma-Gamma): digamma for analytic gradients, overflow-safe log-sum-exp,
// and the Gauss hypergeometric series that the BG/NBD conditional
// expectations need.
//
//   double g = tailor::behavior::Digamma(0.5);            // -1.9635...
//   double l = tailor::behavior::LogSumExp(-800.0, -801.0);
//   double f = tailor::behavior::Hyp2F1(1.0, 1.0, 2.0, 0.5);  // 2 ln 2
#ifndef TAILOR_MODELS_BEHAVIOR_SPECIAL_FUNCTIONS_H_
#define TAILOR_MODELS_BEHAVIOR_SPECIAL_FUNCTIONS_H_

namespace tailor::behavior {

// psi(x) = d/dx ln Gamma(x) for x > 0 (absolute error below 1e-13).
// Returns NaN for x <= 0 or NaN input.
double Digamma(double x);

// ln(e^a + e^b) without overflow; either argument may be -infinity.
double LogSumExp(double a, double b);

// ln(1 + e^x) without overflow.
double Log1pExp(double x);

// ln S where S(a, b, c, z) = sum_{n>=1} (a)_n (b)_n / ((c+1)_{n-1} n!) z^n,
// i.e. c * (2F1(a, b; c; z) - 1). Written this way because the BG/NBD
// expectations only ever need c * 2F1, which stays finite for every
// c > -1 (also c <= 0, where 2F1 alone is undefined or sign-changing).
// Preconditions: a > 0, b > 0, c > -1, 0 <= z < 1. Every term is positive
// and the sum is accumulated in log space, so large a, b (heavy buyers)
// cannot overflow. Returns -infinity for z == 0, NaN if a precondition
// fails or the series has not converged after 20 million terms (z within
// ~1e-6 of 1 with large a + b).
double LogHyp2F1Tail(double a, double b, double c, double z);

// Gauss hypergeometric 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1,
// from LogHyp2F1Tail. May overflow to +infinity for huge results.
double Hyp2F1(double a, double b, double c, double z);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_SPECIAL_FUNCTIONS_H_
