#include "jobs/training.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "jobs/training_scheduler.h"
#include "storage/temp_store_for_test.h"

namespace tailor::jobs {
namespace {

namespace fs = std::filesystem;

absl::Time T(int64_t hours) { return absl::FromUnixSeconds(1'700'000'000 + hours * 3600); }

// Users in 4 taste groups of 12 items; each sees 8 items of their group.
void Fill(serving::TenantState& state, int users) {
  for (int u = 0; u < users; ++u) {
    int group = u % 4;
    for (int k = 0; k < 8; ++k) {
      int i = group * 12 + (u * 5 + k * 7) % 12;
      state.ApplyEvent(
          {"u" + std::to_string(u), "i" + std::to_string(i), "view", std::nullopt, T(k)});
    }
  }
}

TEST(TrainModelTest, RegistersParamsDataSizeAndOfflineMetrics) {
  serving::TenantRuntime t(1, {}, nullptr);
  Fill(t.state, 200);
  ManualClock clock(T(100));
  absl::StatusOr<serving::ModelRecord> knn = TrainModel(t, "itemknn", {{"topk", 20}}, clock);
  ASSERT_TRUE(knn.ok()) << knn.status();
  EXPECT_EQ(knn->version, 1);
  EXPECT_EQ(knn->params.at("topk").as_int64(), 20);
  EXPECT_EQ(knn->num_users, 200);
  EXPECT_EQ(knn->num_items, 48);
  EXPECT_EQ(knn->num_interactions, 200 * 7);  // one held out per user
  EXPECT_EQ(knn->metrics.at("users").as_int64(), 200);
  absl::StatusOr<serving::ModelRecord> pop = TrainModel(t, "popularity", {}, clock);
  ASSERT_TRUE(pop.ok());
  // Taste groups are learnable: item-kNN beats popularity by far.
  double knn_hr = knn->metrics.at("hr@10").as_double();
  double pop_hr = pop->metrics.at("hr@10").as_double();
  EXPECT_GT(knn_hr, 0.9);
  EXPECT_LT(pop_hr, 0.6);
  EXPECT_EQ(t.registry.Current()->Best()->record.name, "itemknn");
}

TEST(TrainModelTest, ModelsFittedOnTooLittleDataAreRecordedAsSuchAndNotBest) {
  serving::TenantRuntime t(1, {}, nullptr);
  ManualClock clock(T(100));
  t.state.ApplyEvent({"first", "i0", "view", std::nullopt, T(0)});
  absl::StatusOr<serving::ModelRecord> tiny = TrainModel(t, "itemknn", {}, clock);
  ASSERT_TRUE(tiny.ok()) << tiny.status();
  EXPECT_NE(tiny->insufficient_data.find("1 user and 1 item"), std::string::npos)
      << tiny->insufficient_data;
  EXPECT_EQ(t.registry.Current()->Best(), nullptr);

  // 9 users: one short of the rule, however many items.
  for (int u = 0; u < 8; ++u) {
    for (int k = 0; k < 2; ++k) {
      t.state.ApplyEvent({"v" + std::to_string(u), "i" + std::to_string((2 * u + k) % 10), "view",
                          std::nullopt, T(k)});
    }
  }
  absl::StatusOr<serving::ModelRecord> nine = TrainModel(t, "itemknn", {}, clock);
  ASSERT_TRUE(nine.ok());
  EXPECT_NE(nine->insufficient_data.find("9 users and 10 items"), std::string::npos)
      << nine->insufficient_data;
  EXPECT_EQ(t.registry.Current()->Best(), nullptr);

  // The tenth user, with two views as the others: served, though nobody
  // has the three positives a held-out evaluation needs.
  for (int k = 0; k < 2; ++k) {
    t.state.ApplyEvent({"v8", "i" + std::to_string(k), "view", std::nullopt, T(k)});
  }
  absl::StatusOr<serving::ModelRecord> ten = TrainModel(t, "itemknn", {}, clock);
  ASSERT_TRUE(ten.ok());
  EXPECT_EQ(ten->metrics.at("users").as_int64(), 0);
  EXPECT_EQ(ten->insufficient_data, "") << ten->insufficient_data;
  ASSERT_NE(t.registry.Current()->Best(), nullptr);
  EXPECT_EQ(t.registry.Current()->Best()->record.version, 3);
}

TEST(TrainModelTest, RejectsUnknownModelsBadParamsAndEmptyTenants) {
  serving::TenantRuntime t(1, {}, nullptr);
  ManualClock clock(T(0));
  EXPECT_EQ(TrainModel(t, "ease", {}, clock).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Fill(t.state, 20);
  EXPECT_EQ(TrainModel(t, "nope", {}, clock).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TrainModel(t, "ease", {{"l2", "big"}}, clock).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(t.registry.Current()->models.empty());
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<domain::Event> events;
    for (int u = 0; u < 60; ++u) {
      for (int k = 0; k < 6; ++k) {
        domain::Event e;
        e.user_id = "u" + std::to_string(u);
        e.item_id = "i" + std::to_string((u % 3) * 10 + (u + k * 3) % 10);
        e.type = "click";
        e.timestamp = T(k);
        events.push_back(e);
      }
    }
    db_.WriteEvents(std::move(events));
  }
  storage::TempStoreForTest db_{"sched"};
  const fs::path dir_ = db_.dir();
  storage::Store* const store_ = &db_.store();
  const domain::TenantId tenant_ = db_.tenant();
};

TEST_F(SchedulerTest, EnqueuedJobsRunAndAreListedNewestFirst) {
  serving::Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  ManualClock clock(T(10));
  TrainingScheduler scheduler(engine, clock, {});
  EXPECT_EQ(scheduler.Enqueue(tenant_, "nope", {}).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(scheduler.Enqueue(tenant_, "itemknn", {}).ok());
  ASSERT_TRUE(scheduler.Enqueue(tenant_, "ease", {{"l2", -1.0}}).ok());
  ASSERT_TRUE(scheduler.Enqueue(tenant_, "content", {}).ok());
  scheduler.RunQueued();
  std::vector<Job> jobs = scheduler.Jobs(tenant_);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].model, "content");
  EXPECT_EQ(jobs[0].state, "succeeded");
  EXPECT_EQ(jobs[1].state, "failed");  // negative l2
  EXPECT_FALSE(jobs[1].error.empty());
  EXPECT_EQ(jobs[2].state, "succeeded");
  EXPECT_EQ(jobs[2].record->name, "itemknn");
  EXPECT_TRUE(scheduler.Jobs(tenant_ + 1).empty());
  serving::TenantRuntime* t = *engine.Tenant(tenant_);
  EXPECT_NE(t->registry.Current()->content, nullptr);

  // A restarted engine serves the persisted model.
  serving::Engine restarted(*store_, {});
  ASSERT_TRUE(restarted.LoadAll().ok());
  EXPECT_NE((*restarted.Tenant(tenant_))->registry.Current()->Find("itemknn"), nullptr);
}

TEST_F(SchedulerTest, BackgroundThreadTrainsTenantsWithoutModels) {
  serving::Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  TrainingScheduler scheduler(
      engine, Clock::Real(), {.models = {"popularity", "itemknn"}, .poll = absl::Milliseconds(20)});
  scheduler.Start();
  serving::TenantRuntime* t = *engine.Tenant(tenant_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         (t->registry.Current()->models.size() < 2 || t->registry.Current()->content == nullptr)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  scheduler.Stop();
  EXPECT_EQ(t->registry.Current()->models.size(), 2u);
  EXPECT_NE(t->registry.Current()->content, nullptr);
  // The insights job ran first; six hours of history leave its models
  // unfitted, with notes saying why.
  std::vector<Job> jobs = scheduler.Jobs(tenant_);
  ASSERT_FALSE(jobs.empty());
  EXPECT_EQ(jobs.back().model, "insights");
  EXPECT_EQ(jobs.back().state, "succeeded");
  ASSERT_NE(t->profiles.models(), nullptr);
  EXPECT_FALSE(t->profiles.models()->churn.has_value());
  EXPECT_FALSE(t->profiles.models()->notes.empty());
}

TEST_F(SchedulerTest, OnDemandJobsRunWithBackgroundTrainingOff) {
  serving::Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  ManualClock clock(T(10));
  TrainingScheduler scheduler(engine, clock, {.background = false, .poll = absl::Milliseconds(5)});
  scheduler.Start();
  absl::StatusOr<Job> job = scheduler.Enqueue(tenant_, "itemknn", {});
  ASSERT_TRUE(job.ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         scheduler.Jobs(tenant_).at(0).state != "succeeded" &&
         scheduler.Jobs(tenant_).at(0).state != "failed") {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Many polls later the worker still has not queued anything itself,
  // though the tenant has events and no other model.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  scheduler.Stop();
  std::vector<Job> jobs = scheduler.Jobs(tenant_);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].state, "succeeded") << jobs[0].error;
  serving::TenantRuntime* t = *engine.Tenant(tenant_);
  EXPECT_EQ(t->registry.Current()->models.size(), 1u);
  EXPECT_NE(t->registry.Current()->Find("itemknn"), nullptr);
}

// `users` users from `first` on, each viewing `per_user` distinct items of
// their taste group (4 groups of 12 items).
std::vector<domain::Event> Views(int first, int users, int per_user, int64_t hour) {
  std::vector<domain::Event> out;
  for (int u = first; u < first + users; ++u) {
    for (int k = 0; k < per_user; ++k) {
      domain::Event e;
      e.user_id = "u" + std::to_string(u);
      e.item_id = "i" + std::to_string((u % 4) * 12 + (u * 5 + k * 7) % 12);
      e.type = "view";
      e.timestamp = T(hour) + absl::Minutes(k);
      out.push_back(e);
    }
  }
  return out;
}

TEST(SchedulerGrowthTest, ATinyFirstModelIsRetrainedWhenTheDataDoubles) {
  storage::TempStoreForTest db("growth");
  db.WriteEvents(Views(0, 1, 1, 0));  // a new tenant: 1 user x 1 item
  serving::Engine engine(db.store(), {});
  ASSERT_TRUE(engine.LoadAll().ok());
  serving::TenantRuntime* t = *engine.Tenant(db.tenant());
  auto add = [&](std::vector<domain::Event> events) {
    db.WriteEvents(events);
    engine.OnEventsCommitted(db.tenant(), events, {});
  };
  auto knn = [&] { return t->registry.Current()->Find("itemknn"); };
  // The clock never moves: nothing below is due to the 6-hour interval, and
  // nothing comes near retrain_after_events (10,000).
  ManualClock clock(T(10));
  TrainingScheduler scheduler(engine, clock, {.models = {"popularity", "itemknn"}});
  TrainingScheduler patient(engine, clock, {.retrain_growth = 3.0, .models = {"itemknn"}});

  ASSERT_EQ(scheduler.ScheduleDue(), 1);  // no model yet
  scheduler.RunQueued();
  ASSERT_NE(knn(), nullptr);
  EXPECT_EQ(knn()->record.version, 1);
  EXPECT_FALSE(knn()->record.insufficient_data.empty());
  EXPECT_EQ(scheduler.ScheduleDue(), 0);  // nothing new

  add(Views(1, 10, 5, 1));  // 50 new events: grown 50-fold, but below the floor of 100
  EXPECT_EQ(scheduler.ScheduleDue(), 0);
  add(Views(11, 10, 5, 2));  // 100 new events
  ASSERT_EQ(scheduler.ScheduleDue(), 1);
  scheduler.RunQueued();
  EXPECT_EQ(knn()->record.version, 2);
  EXPECT_EQ(knn()->record.num_events, 101);
  EXPECT_EQ(knn()->record.insufficient_data, "");

  add(Views(21, 20, 5, 3));  // 100 new events on 101: not yet doubled
  EXPECT_EQ(scheduler.ScheduleDue(), 0);
  add(Views(41, 1, 1, 4));              // 101: doubled
  EXPECT_EQ(patient.ScheduleDue(), 0);  // waits for 3x
  ASSERT_EQ(scheduler.ScheduleDue(), 1);
  scheduler.RunQueued();
  EXPECT_EQ(knn()->record.version, 3);
  EXPECT_EQ(knn()->record.num_events, 202);
  EXPECT_EQ(scheduler.ScheduleDue(), 0);
}

// Two nodes (engines) on one store: one trains a tenant at a time, the
// other serves what it publishes, and takes over once the first's lease
// lapses. Models are trained once per round across both.
TEST_F(SchedulerTest, OneNodeTrainsATenantAtATimeAndAnotherTakesOverWhenItsLeaseLapses) {
  serving::Engine a(*store_, {}), b(*store_, {});
  ASSERT_TRUE(a.LoadAll().ok());
  ASSERT_TRUE(b.LoadAll().ok());
  ManualClock clock(T(10));
  const SchedulerOptions options = {.lease_ttl = absl::Seconds(20),
                                    .models = {"popularity", "itemknn"}};
  SchedulerOptions on_a = options, on_b = options;
  on_a.node_id = "node-a";
  on_b.node_id = "node-b";
  TrainingScheduler sa(a, clock, on_a), sb(b, clock, on_b);

  // Node A is training (it holds the lease, as during a long fit).
  storage::Leases leases(*store_, clock);
  ASSERT_TRUE(*leases.TryAcquire(tenant_, kTrainerLease, "node-a", absl::Seconds(20)));
  ASSERT_EQ(sb.ScheduleDue(), 1);  // B's own insights and content index only
  for (const Job& j : sb.Jobs(tenant_)) EXPECT_TRUE(j.model == "insights" || j.model == "content");
  ASSERT_TRUE(sb.Enqueue(tenant_, "itemknn", {}).ok());  // on demand: waits for A
  sb.RunQueued();
  Job waiting = sb.Jobs(tenant_).at(0);
  EXPECT_EQ(waiting.state, "queued");
  EXPECT_EQ(waiting.waiting, "node node-a is training this tenant");
  serving::TenantRuntime* tb = *b.Tenant(tenant_);
  EXPECT_TRUE(tb->registry.Current()->models.empty());

  // A dies: its lease lapses after the ttl and B's next pass takes over.
  clock.Advance(absl::Seconds(21));
  ASSERT_EQ(sb.ScheduleDue(), 1);
  sb.RunQueued();
  ASSERT_NE(tb->registry.Current()->Find("popularity"), nullptr);
  ASSERT_NE(tb->registry.Current()->Find("itemknn"), nullptr);
  EXPECT_EQ(sb.Jobs(tenant_).back().state, "succeeded");
  // B released the lease when its last job ended.
  EXPECT_EQ(leases.Holder(tenant_, kTrainerLease).status().code(), absl::StatusCode::kNotFound);

  // A comes back: it finds B's models in the store and has nothing to train.
  serving::TenantRuntime* ta = *a.Tenant(tenant_);
  ASSERT_TRUE(ta->registry.Refresh().ok());
  EXPECT_EQ(ta->registry.Current()->Find("popularity")->record.version,
            tb->registry.Current()->Find("popularity")->record.version);
  sa.ScheduleDue();
  for (const Job& j : sa.Jobs(tenant_)) EXPECT_TRUE(j.model == "insights" || j.model == "content");
  sa.RunQueued();
  // One fit of each scheduled model plus the on-demand itemknn, all by B.
  int versions = 0;
  ASSERT_TRUE(store_
                  ->ScanRecords(tenant_, serving::kModelVersionsCollection,
                                [&](const storage::Record&) { return ++versions; })
                  .ok());
  EXPECT_EQ(versions, 3);
}

// A job waiting for another node's lease does not hold up this node's own
// background work (insights, content index).
TEST_F(SchedulerTest, AJobWaitingForAnotherNodeDoesNotStopBackgroundWork) {
  serving::Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  storage::Leases leases(*store_, Clock::Real());
  ASSERT_TRUE(*leases.TryAcquire(tenant_, kTrainerLease, "node-a", absl::Minutes(5)));
  TrainingScheduler scheduler(
      engine, Clock::Real(),
      {.node_id = "node-b", .models = {"itemknn"}, .poll = absl::Milliseconds(5)});
  ASSERT_TRUE(scheduler.Enqueue(tenant_, "itemknn", {}).ok());  // waits for node-a
  scheduler.Start();
  auto done = [&](const std::string& model) {
    for (const Job& j : scheduler.Jobs(tenant_)) {
      if (j.model == model && j.state == "succeeded") return true;
    }
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && !(done("insights") && done("content"))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(done("insights"));
  EXPECT_TRUE(done("content"));
  EXPECT_EQ(scheduler.Jobs(tenant_).back().state, "queued");  // the on-demand itemknn, oldest
  scheduler.Stop();
  // node-a's lease was never node-b's to release.
  EXPECT_EQ(leases.Holder(tenant_, kTrainerLease)->holder, "node-a");
}

TEST_F(SchedulerTest, StopWithinGivesUpOnARunningFitAndStopWaitsForIt) {
  serving::Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  TrainingScheduler scheduler(engine, Clock::Real(), {.models = {}, .poll = absl::Milliseconds(5)});
  ASSERT_TRUE(scheduler.Enqueue(tenant_, "ials", {{"epochs", 300}, {"factors", 32}}).ok());
  scheduler.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         scheduler.Jobs(tenant_).at(0).state == "queued") {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(scheduler.Jobs(tenant_).at(0).state, "running");
  EXPECT_FALSE(scheduler.StopWithin(absl::Milliseconds(1)));
  scheduler.Stop();  // joins once the fit ends
  EXPECT_EQ(scheduler.Jobs(tenant_).at(0).state, "succeeded");
}

}  // namespace
}  // namespace tailor::jobs
