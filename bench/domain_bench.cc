// Costs on the ingest path that run on the I/O threads, before the writer:
// JSON parsing and validation of one event, and encoding a batch for the store.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "absl/time/clock.h"
#include "domain/event.h"
#include "storage/write_batch.h"

namespace {

constexpr char kEvent[] =
    R"({"event_id":"e-123456","user_id":"user-42","item_id":"item-7","type":"click",)"
    R"("timestamp":"2024-05-01T12:00:00Z","context":{"channel":"push","decision_id":"d-9"}})";

void BM_ParseAndValidateEvent(benchmark::State& state) {
  absl::Time now = absl::Now();
  for (auto _ : state) {
    boost::json::value v = boost::json::parse(kEvent);
    auto e = tailor::domain::ParseEvent(v, now);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndValidateEvent);

void BM_EncodeBatchOf1000(benchmark::State& state) {
  auto e = *tailor::domain::ParseEvent(boost::json::parse(kEvent), absl::Now());
  for (auto _ : state) {
    std::vector<tailor::domain::Event> events(1000, e);
    tailor::storage::WriteBatch batch;
    batch.AppendEvents(std::move(events));
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_EncodeBatchOf1000);

}  // namespace
