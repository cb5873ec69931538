#include "common/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tailor {
namespace {

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string RenderLabels(const MetricLabels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    absl::StrAppend(&out, out.empty() ? "" : ",", k, "=\"", EscapeLabelValue(v), "\"");
  }
  return out;
}

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return absl::StrCat(v);
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  if (value > 0) {
    sum_nanos_.fetch_add(static_cast<uint64_t>(value * 1e9), std::memory_order_relaxed);
  }
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

double Histogram::sum() const { return static_cast<double>(sum_nanos_.load()) / 1e9; }

std::vector<double> LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
          0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0, 2.5, 5.0, 10.0};
}

MetricsRegistry& MetricsRegistry::Default() {
  static MetricsRegistry* registry = new MetricsRegistry();
  return *registry;
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const MetricLabels& labels) {
  absl::MutexLock lock(&mu_);
  Family& family = families_[name];
  family.help = help;
  auto& slot = family.counters[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const MetricLabels& labels, std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  Family& family = families_[name];
  family.help = help;
  family.is_histogram = true;
  auto& slot = family.histograms[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

std::string MetricsRegistry::RenderPrometheus() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", family.help, "\n");
    absl::StrAppend(&out, "# TYPE ", name, family.is_histogram ? " histogram\n" : " counter\n");
    for (const auto& [labels, counter] : family.counters) {
      absl::StrAppend(&out, name, labels.empty() ? "" : "{", labels, labels.empty() ? "" : "}",
                      " ", counter->value(), "\n");
    }
    for (const auto& [labels, hist] : family.histograms) {
      std::vector<uint64_t> counts = hist->CumulativeCounts();
      std::string sep = labels.empty() ? "" : ",";
      for (size_t i = 0; i < counts.size(); ++i) {
        double le = i < hist->bounds().size() ? hist->bounds()[i] : INFINITY;
        absl::StrAppend(&out, name, "_bucket{", labels, sep, "le=\"", FormatDouble(le), "\"} ",
                        counts[i], "\n");
      }
      std::string braced = labels.empty() ? "" : absl::StrCat("{", labels, "}");
      absl::StrAppend(&out, name, "_sum", braced, " ", FormatDouble(hist->sum()), "\n");
      absl::StrAppend(&out, name, "_count", braced, " ", counts.back(), "\n");
    }
  }
  return out;
}

}  // namespace tailor
