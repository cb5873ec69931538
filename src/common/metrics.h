// Metrics: counters and histograms rendered in the Prometheus text format at
// GET /metrics. Families are created on first use and live for the process.
//
//   auto& registry = MetricsRegistry::Default();
//   registry.GetCounter("tailor_events_ingested_total", "Events stored").Increment(n);
//   registry.GetHistogram("tailor_store_commit_seconds", "Commit latency", {})
//       .Observe(seconds);
//
// Thread-safe. Increment/Observe are lock-free; Get* takes a mutex, so hot
// paths keep the returned reference when the labels are fixed.
#ifndef TAILOR_COMMON_METRICS_H_
#define TAILOR_COMMON_METRICS_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tailor {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Increment(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `bounds` are the inclusive upper bounds of the buckets, ascending.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Cumulative counts per bound, then the +Inf count; and the sum.
  std::vector<uint64_t> CumulativeCounts() const;
  double sum() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<uint64_t> sum_nanos_{0};               // sum in 1e-9 units
};

// Latency buckets in seconds, from 50 µs to 10 s.
std::vector<double> LatencyBuckets();

class MetricsRegistry {
 public:
  static MetricsRegistry& Default();

  Counter& GetCounter(const std::string& name, const std::string& help,
                      const MetricLabels& labels = {});
  Histogram& GetHistogram(const std::string& name, const std::string& help,
                          const MetricLabels& labels, std::vector<double> bounds = LatencyBuckets());
  std::string RenderPrometheus() const;

 private:
  struct Family {
    std::string help;
    bool is_histogram = false;
    std::map<std::string, std::unique_ptr<Counter>> counters;      // by rendered labels
    std::map<std::string, std::unique_ptr<Histogram>> histograms;  // by rendered labels
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Family> families_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tailor

#endif  // TAILOR_COMMON_METRICS_H_
