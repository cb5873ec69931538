#include "jobs/insights_job.h"

#include <memory>

#include "spdlog/spdlog.h"

namespace tailor::jobs {

absl::Status FitInsights(serving::TenantRuntime& tenant, storage::Store& store,
                         const text::SentimentAnalyzer* sentiment, Clock& clock,
                         const insights::ActivityModelOptions& options) {
  // Never ahead of the wall clock, whatever the newest event's time stamp.
  const absl::Time now = tenant.profiles.as_of();
  if (now == absl::InfinitePast()) return absl::FailedPreconditionError("the tenant has no events");
  insights::ActivityReplay replay =
      insights::ActivityReplay::ForModels(now, options, tenant.profiles.num_users());
  const serving::EventWeights& weights = tenant.state.weights();
  absl::Status scan = store.ScanEvents(tenant.id, [&](const domain::Event& e) {
    if (!replay.Keeps(e.user_id)) return true;
    insights::ActivityEvent a = insights::ActivityFromEvent(e, weights.Weight(e.type, e.value));
    a.sentiment = serving::EventSentiment(sentiment, e);
    replay.Add(e.user_id, a);
    return true;
  });
  if (!scan.ok()) return scan;
  std::vector<behavior::CustomerRfm> customers = tenant.profiles.PurchaseSummaries(now);
  auto models = std::make_shared<insights::ActivityModels>(
      insights::FitActivityModels(replay, customers, now, clock.Now(), options));
  for (const std::string& note : models->notes) spdlog::info("tenant {}: insights: {}", tenant.id, note);
  tenant.profiles.SetModels(std::move(models));
  return absl::OkStatus();
}

}  // namespace tailor::jobs
