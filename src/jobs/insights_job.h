// The insights job: refits a tenant's ActivityModels (churn, 7-day
// engagement, lifetime value; see insights/activity_models.h) from the
// tenant's event history in the store and swaps them into its ProfileStore.
// The training scheduler runs it beside the recommendation models (job name
// "insights"): at start, and whenever the tenant is due for retraining.
//
//   absl::Status s = FitInsights(*runtime, engine.store(), engine.sentiment(), clock, {});
#ifndef TAILOR_JOBS_INSIGHTS_JOB_H_
#define TAILOR_JOBS_INSIGHTS_JOB_H_

#include "absl/status/status.h"
#include "common/clock.h"
#include "insights/activity_models.h"
#include "serving/engine.h"
#include "storage/store.h"

namespace tailor::jobs {

// FailedPrecondition when the tenant has no events yet. Models that cannot
// be fitted (too few users, one class) are left out with a note; the rest
// are still published.
absl::Status FitInsights(serving::TenantRuntime& tenant, storage::Store& store,
                         const text::SentimentAnalyzer* sentiment, Clock& clock,
                         const insights::ActivityModelOptions& options);

}  // namespace tailor::jobs

#endif  // TAILOR_JOBS_INSIGHTS_JOB_H_
