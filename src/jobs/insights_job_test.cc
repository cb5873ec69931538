#include "jobs/insights_job.h"

#include <gtest/gtest.h>

#include "domain/validation.h"
#include "storage/temp_store_for_test.h"

namespace tailor::jobs {
namespace {

const absl::Time kT0 = absl::FromCivil(absl::CivilDay(2025, 1, 1), absl::UTCTimeZone());

TEST(InsightsJobTest, FitsFromTheStoreAndPublishesToProfiles) {
  storage::TempStoreForTest db("insights_job");
  // 300 users; user u is active every (u % 7 + 1) days until day 30 + u % 90.
  std::vector<domain::Event> events;
  for (int u = 0; u < 300; ++u) {
    for (int d = 0; d < 30 + u % 90; d += u % 7 + 1) {
      domain::Event e;
      e.user_id = "u" + std::to_string(u);
      e.item_id = "i" + std::to_string(d % 13);
      e.type = d % 5 == 0 ? "purchase" : "view";
      if (e.type == "purchase") e.value = 10.0 + u % 3;
      e.timestamp = kT0 + absl::Hours(24 * d + u % 24);
      events.push_back(std::move(e));
    }
  }
  absl::Time newest = absl::InfinitePast();
  for (const domain::Event& e : events) newest = std::max(newest, e.timestamp);
  db.WriteEvents(events);
  serving::Engine engine(db.store(), {});
  ASSERT_TRUE(engine.LoadAll().ok());
  serving::TenantRuntime* t = *engine.Tenant(db.tenant());
  EXPECT_EQ(t->profiles.num_users(), 300);
  EXPECT_EQ(t->profiles.models(), nullptr);

  ManualClock clock(kT0 + absl::Hours(24 * 200));
  ASSERT_TRUE(FitInsights(*t, db.store(), nullptr, clock, {}).ok());
  std::shared_ptr<const insights::ActivityModels> m = t->profiles.models();
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->churn.has_value()) << (m->notes.empty() ? "" : m->notes.front());
  ASSERT_TRUE(m->engage.has_value());
  ASSERT_TRUE(m->ltv.has_value());
  EXPECT_EQ(m->fitted_at, clock.Now());
  EXPECT_EQ(m->now, newest);
  boost::json::object p = *t->profiles.Profile("u0");
  EXPECT_FALSE(p.at("predictive_scores").at("churn_risk").at("probability").is_null());
  EXPECT_FALSE(p.at("predictive_scores").at("lifetime_value").at("value").is_null());
}

// One event stamped a day ahead of the server's clock does not move the
// models' "now" (and every profile's) past that clock.
TEST(InsightsJobTest, FutureEventDoesNotMoveNowPastTheClock) {
  storage::TempStoreForTest db("insights_job");
  ManualClock clock(kT0 + absl::Hours(24 * 60));
  std::vector<domain::Event> events;
  for (int u = 0; u < 100; ++u) {
    for (int d = u % 5; d < 60; d += u % 4 + 1) {
      domain::Event e;
      e.user_id = "u" + std::to_string(u);
      e.item_id = "i1";
      e.type = "view";
      e.timestamp = kT0 + absl::Hours(24 * d + u % 24);
      events.push_back(std::move(e));
    }
  }
  domain::Event ahead;
  ahead.user_id = "u0";
  ahead.item_id = "i1";
  ahead.type = "view";
  ahead.timestamp = clock.Now() + absl::Hours(23);
  events.push_back(ahead);
  db.WriteEvents(events);
  serving::EngineOptions options;
  options.clock = &clock;
  serving::Engine engine(db.store(), options);
  ASSERT_TRUE(engine.LoadAll().ok());
  serving::TenantRuntime* t = *engine.Tenant(db.tenant());
  EXPECT_EQ(t->profiles.newest_event(), ahead.timestamp);
  ASSERT_TRUE(FitInsights(*t, db.store(), nullptr, clock, {}).ok());
  std::shared_ptr<const insights::ActivityModels> m = t->profiles.models();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->now, clock.Now());
  EXPECT_EQ(t->profiles.Profile("u1")->at("metadata").at("as_of").as_string(),
            domain::FormatRfc3339(clock.Now()));
}

TEST(InsightsJobTest, EmptyTenantIsAPreconditionFailure) {
  storage::TempStoreForTest db("insights_job");
  serving::Engine engine(db.store(), {});
  ASSERT_TRUE(engine.LoadAll().ok());
  ManualClock clock(kT0);
  EXPECT_EQ(FitInsights(**engine.Tenant(db.tenant()), db.store(), nullptr, clock, {}).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tailor::jobs
