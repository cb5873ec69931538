#include "models/behavior/logistic_model.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"

namespace tailor::behavior {
namespace {

void Quiet(const char*) {}

double Sigmoid(double z) {
  return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

absl::StatusOr<std::vector<double>> DoubleArray(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return absl::InvalidArgumentError(absl::StrCat(key, " missing"));
  std::vector<double> out;
  for (const boost::json::value& x : v->as_array()) {
    if (!x.is_number()) return absl::InvalidArgumentError(absl::StrCat(key, " holds a non-number"));
    out.push_back(x.to_number<double>());
  }
  return out;
}

}  // namespace

double LogisticModel::Standardised(int j, double value) const {
  if (static_cast<size_t>(j) < lower.size() && static_cast<size_t>(j) < upper.size()) {
    value = std::clamp(value, lower[j], upper[j]);
  }
  return (value - mean[j]) / scale[j];
}

double LogisticModel::LogOdds(std::span<const double> features) const {
  double z = bias;
  for (size_t j = 0; j < weight.size(); ++j) z += weight[j] * Standardised(static_cast<int>(j), features[j]);
  return z;
}

double LogisticModel::Probability(std::span<const double> features) const {
  return Sigmoid(LogOdds(features));
}

std::vector<double> LogisticModel::Contributions(std::span<const double> features) const {
  std::vector<double> out(weight.size());
  for (size_t j = 0; j < weight.size(); ++j) out[j] = weight[j] * Standardised(static_cast<int>(j), features[j]);
  return out;
}

boost::json::object LogisticModel::ToJson() const {
  auto array = [](const std::vector<double>& v) { return boost::json::array(v.begin(), v.end()); };
  return {{"mean", array(mean)},   {"scale", array(scale)}, {"weight", array(weight)},
          {"bias", bias},          {"lower", array(lower)}, {"upper", array(upper)}};
}

absl::StatusOr<LogisticModel> LogisticModel::FromJson(const boost::json::value& json) {
  if (!json.is_object()) return absl::InvalidArgumentError("logistic model must be an object");
  const boost::json::object& o = json.as_object();
  LogisticModel m;
  absl::StatusOr<std::vector<double>> mean = DoubleArray(o, "mean");
  absl::StatusOr<std::vector<double>> scale = DoubleArray(o, "scale");
  absl::StatusOr<std::vector<double>> weight = DoubleArray(o, "weight");
  if (!mean.ok()) return mean.status();
  if (!scale.ok()) return scale.status();
  if (!weight.ok()) return weight.status();
  const boost::json::value* bias = o.if_contains("bias");
  if (bias == nullptr || !bias->is_number()) return absl::InvalidArgumentError("bias missing");
  if (mean->size() != weight->size() || scale->size() != weight->size()) {
    return absl::InvalidArgumentError("mean, scale and weight sizes differ");
  }
  for (double s : *scale) {
    if (!(s > 0)) return absl::InvalidArgumentError("scale must be positive");
  }
  m.mean = *std::move(mean);
  m.scale = *std::move(scale);
  m.weight = *std::move(weight);
  m.bias = bias->to_number<double>();
  if (o.contains("lower") || o.contains("upper")) {
    absl::StatusOr<std::vector<double>> lower = DoubleArray(o, "lower");
    absl::StatusOr<std::vector<double>> upper = DoubleArray(o, "upper");
    if (!lower.ok()) return lower.status();
    if (!upper.ok()) return upper.status();
    if (lower->size() != m.weight.size() || upper->size() != m.weight.size()) {
      return absl::InvalidArgumentError("lower and upper must have one value per feature");
    }
    for (size_t j = 0; j < lower->size(); ++j) {
      if (!((*lower)[j] <= (*upper)[j])) return absl::InvalidArgumentError("lower above upper");
    }
    m.lower = *std::move(lower);
    m.upper = *std::move(upper);
  }
  return m;
}

absl::StatusOr<LogisticModel> FitLogistic(std::span<const double> rows, int num_features,
                                          std::span<const uint8_t> labels,
                                          const LogisticFitOptions& options) {
  const size_t n = labels.size();
  if (n == 0 || num_features <= 0) return absl::InvalidArgumentError("no training rows");
  if (rows.size() != n * static_cast<size_t>(num_features)) {
    return absl::InvalidArgumentError("rows and labels disagree in size");
  }
  size_t positives = 0;
  for (bool y : labels) positives += y ? 1 : 0;
  if (positives == 0 || positives == n) {
    return absl::InvalidArgumentError("training rows hold only one class");
  }
  LogisticModel m;
  m.mean.assign(num_features, 0.0);
  m.scale.assign(num_features, 0.0);
  m.lower.assign(num_features, std::numeric_limits<double>::infinity());
  m.upper.assign(num_features, -std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < n; ++i) {
    for (int j = 0; j < num_features; ++j) {
      const double v = rows[i * num_features + j];
      if (!std::isfinite(v)) return absl::InvalidArgumentError("feature value is not finite");
      m.mean[j] += v;
      m.lower[j] = std::min(m.lower[j], v);
      m.upper[j] = std::max(m.upper[j], v);
    }
  }
  for (double& v : m.mean) v /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    for (int j = 0; j < num_features; ++j) {
      const double d = rows[i * num_features + j] - m.mean[j];
      m.scale[j] += d * d;
    }
  }
  for (double& s : m.scale) {
    s = std::sqrt(s / static_cast<double>(n));
    if (!(s > 1e-12)) s = 1.0;
  }

  // liblinear wants sparse rows terminated by index -1, 1-based indexes,
  // and the bias as an extra feature of value problem.bias.
  const int stride = num_features + 2;
  std::vector<feature_node> nodes(n * stride);
  std::vector<feature_node*> x(n);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    feature_node* row = &nodes[i * stride];
    for (int j = 0; j < num_features; ++j) {
      row[j] = {j + 1, (rows[i * num_features + j] - m.mean[j]) / m.scale[j]};
    }
    row[num_features] = {num_features + 1, 1.0};
    row[num_features + 1] = {-1, 0.0};
    x[i] = row;
    y[i] = labels[i] ? 1.0 : 0.0;
  }
  problem prob{};
  prob.l = static_cast<int>(n);
  prob.n = num_features + 1;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = options.eps;
  param.C = options.c;
  if (const char* error = check_parameter(&prob, &param); error != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("liblinear: ", error));
  }
  static std::once_flag quiet;
  std::call_once(quiet, [] { set_print_string_function(&Quiet); });
  model* fitted = train(&prob, &param);
  // For two classes liblinear keeps one weight vector whose positive side is
  // label[0].
  const double sign = fitted->label[0] == 1 ? 1.0 : -1.0;
  m.weight.resize(num_features);
  for (int j = 0; j < num_features; ++j) m.weight[j] = sign * fitted->w[j];
  m.bias = sign * fitted->w[num_features] * prob.bias;
  free_and_destroy_model(&fitted);
  return m;
}

}  // namespace tailor::behavior
