// Costs of living profiles: folding one event into a profile (what every
// acknowledged write adds to ingest) and formatting one profile (the work of
// GET /v1/users/{id}/profile besides HTTP), on a store of 100,000 users with
// 20 events each over 30 days.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "insights/profile_store.h"

namespace {

using tailor::insights::ProfileStore;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);
const std::vector<std::string> kCategories = {"music", "jazz"};
const std::vector<std::string> kTags = {"vinyl"};
constexpr int kUsers = 100000;

tailor::domain::Event MakeEvent(int user, int k) {
  tailor::domain::Event e;
  e.user_id = "user-" + std::to_string(user);
  e.item_id = "item-" + std::to_string((user * 31 + k) % 5000);
  e.type = k % 5 == 0 ? "purchase" : "click";
  if (k % 5 == 0) e.value = 12.5;
  e.timestamp = kT0 + absl::Minutes((user * 7 + k * 2161) % (30 * 24 * 60));
  return e;
}

ProfileStore& Filled() {
  static ProfileStore* store = [] {
    auto* s = new ProfileStore();
    for (int u = 0; u < kUsers; ++u) {
      for (int k = 0; k < 20; ++k) s->ApplyEvent(MakeEvent(u, k), 2.0f, kCategories, kTags, std::nullopt);
    }
    return s;
  }();
  return *store;
}

void BM_ApplyEvent(benchmark::State& state) {
  ProfileStore& s = Filled();
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    tailor::domain::Event e = MakeEvent(i % kUsers, 20 + i / kUsers);
    state.ResumeTiming();
    s.ApplyEvent(e, 2.0f, kCategories, kTags, std::nullopt);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyEvent);

void BM_Profile(benchmark::State& state) {
  ProfileStore& s = Filled();
  benchmark::DoNotOptimize(s.Profile("user-0"));  // the percentile snapshot
  int i = 0;
  for (auto _ : state) {
    auto p = s.Profile("user-" + std::to_string((i++ * 7919) % kUsers));
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Profile);

void BM_ProfileSerialized(benchmark::State& state) {
  ProfileStore& s = Filled();
  int i = 0;
  for (auto _ : state) {
    std::string body = boost::json::serialize(*s.Profile("user-" + std::to_string((i++ * 7919) % kUsers)));
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProfileSerialized);

}  // namespace
