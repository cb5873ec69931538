#include "common/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CounterAndHistogramRenderInPrometheusFormat) {
  MetricsRegistry registry;
  registry.GetCounter("requests_total", "Requests", {{"route", "/v1/users"}, {"status", "200"}})
      .Increment(3);
  Histogram& h = registry.GetHistogram("latency_seconds", "Latency", {{"route", "/x"}}, {0.1, 1.0});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5.0);
  std::string text = registry.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# TYPE requests_total counter"));
  EXPECT_THAT(text, HasSubstr("requests_total{route=\"/v1/users\",status=\"200\"} 3"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{route=\"/x\",le=\"1\"} 2"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_count{route=\"/x\"} 3"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_sum{route=\"/x\"} 5.55"));
}

TEST(MetricsTest, SameLabelsReturnSameCounter) {
  MetricsRegistry registry;
  Counter& a = registry.GetCounter("c", "h", {{"k", "v"}});
  Counter& b = registry.GetCounter("c", "h", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  a.Increment();
  EXPECT_EQ(b.value(), 1u);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.GetCounter("c", "h", {{"k", "a\"b\\c"}}).Increment();
  EXPECT_THAT(registry.RenderPrometheus(), HasSubstr("c{k=\"a\\\"b\\\\c\"} 1"));
}

}  // namespace
}  // namespace tailor
