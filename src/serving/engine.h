// Engine: every tenant's serving state and model registry, built from the
// store on first use (catalogue, all events, the models stored there), then
// kept current by the change feed (ApplyChange, ApplyModelChange) or, without
// one, by the On*Committed hooks after each commit. This is what makes a
// click change the next recommendation without retraining.
//
//   Engine engine(store, {.config_dir = "var/models"});
//   RETURN_IF_ERROR(engine.LoadAll());                 // at startup
//   TenantRuntime& t = *engine.Tenant(tenant_id);
//   UserHistory h = t.state.User("u1");
//   feed.Subscribe("serving", [&](const Change& c) { engine.ApplyChange(c); });
//   feed.Subscribe("models", [&](const Change& c) { engine.ApplyModelChange(c); });
//
// Thread-safety: all methods may be called concurrently. A TenantRuntime
// lives as long as the Engine.
#ifndef TAILOR_SERVING_ENGINE_H_
#define TAILOR_SERVING_ENGINE_H_

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/event.h"
#include "domain/item.h"
#include "domain/tenant.h"
#include "domain/user.h"
#include "insights/profile_store.h"
#include "models/text/sentiment_analyzer.h"
#include "serving/content_corpus.h"
#include "serving/event_weights.h"
#include "serving/model_registry.h"
#include "serving/tenant_config.h"
#include "serving/tenant_state.h"
#include "storage/store.h"

namespace tailor::serving {

struct TenantRuntime {
  // `store` (null: models in memory only) keeps the tenant's models.
  TenantRuntime(domain::TenantId id, EventWeights weights, storage::Store* store,
                int32_t ann_min_items = kAnnMinItems, const Clock& clock = Clock::Real())
      : id(id),
        state(std::move(weights), clock),
        registry(store, id, state, ann_min_items),
        profiles(clock) {}

  const domain::TenantId id;
  TenantState state;
  ModelRegistry registry;
  // The documents of registry's content index, updated by item writes.
  ContentCorpus content{registry};
  insights::ProfileStore profiles;
  // Horizons and sizes of this tenant's insights models (the tenant's
  // settings; a change reaches a running node through the change feed).
  insights::ActivityModelOptions InsightsOptions() const {
    absl::MutexLock lock(&config_mu);
    return insights_options;
  }
  void SetInsightsOptions(const insights::ActivityModelOptions& options) {
    absl::MutexLock lock(&config_mu);
    insights_options = options;
  }
  // events_applied() when the last scheduled training took its snapshot.
  std::atomic<int64_t> events_at_last_training{0};
  // The change-log position of the store snapshot whose events the load
  // read (set before the runtime is published, then constant).
  int64_t loaded_position = 0;

 private:
  mutable absl::Mutex config_mu;
  insights::ActivityModelOptions insights_options ABSL_GUARDED_BY(config_mu);
};

struct EngineOptions {
  // Per-tenant configuration directories are <config_dir>/<tenant id>
  // (empty: none). A tenant's directory may hold event_weights.json
  // (EventWeights::FromJson) overriding `weights` for that tenant; it is read
  // when the tenant is loaded (at start). Models live in the store.
  std::string config_dir;
  EventWeights weights = EventWeights();
  // iALS models of catalogues this large get an ANN index (see ann_index.h).
  int32_t ann_min_items = kAnnMinItems;
  // Churn / engagement horizons for every tenant, unless the tenant's
  // directory holds insights.json (ReadTenantInsightsOptions).
  insights::ActivityModelOptions insights;
  // Scores the text of events (feedback, reviews) for profiles' sentiment;
  // null leaves profile sentiment empty. Must outlive the engine.
  const text::SentimentAnalyzer* sentiment = nullptr;
  // The wall clock profiles read: a tenant's "now" never runs ahead of it.
  // Null is Clock::Real(); otherwise it must outlive the engine.
  const Clock* clock = nullptr;
};

// The compound sentiment of the event's text, when it has text in a
// language the analyzer supports.
std::optional<double> EventSentiment(const text::SentimentAnalyzer* analyzer,
                                     const domain::Event& event);

class Engine {
 public:
  Engine(storage::Store& store, EngineOptions options);

  // Loads every tenant the store knows. Fails on a store error.
  absl::Status LoadAll();
  // The tenant's runtime, loaded from the store when first asked for.
  absl::StatusOr<TenantRuntime*> Tenant(domain::TenantId id);
  std::vector<TenantRuntime*> Tenants() const;

  // Applies one committed change from the store's change log (the server's
  // ChangeFeed calls it, in commit order, for this node's writes and other
  // nodes' alike). Loads the tenant when needed; events of changes the load
  // already read (position <= TenantRuntime::loaded_position) are skipped,
  // document writes are idempotent and always applied.
  void ApplyChange(const storage::Change& change);
  // Loads the models a change published (records of "models": another
  // node's training, or this node's). On its own feed subscriber: reading a
  // large model must not hold up the events behind it.
  void ApplyModelChange(const storage::Change& change);

  // Write hooks for callers without a change feed (the simulator, tests),
  // called after the store acknowledged the write; they only touch memory.
  // `duplicates` lists the positions of events the store dropped as retries
  // (WriteResult::duplicate_events).
  void OnEventsCommitted(domain::TenantId id, const std::vector<domain::Event>& events,
                         const std::vector<int64_t>& duplicates);
  void OnItemsCommitted(domain::TenantId id, const std::vector<domain::Item>& items);
  void OnItemDeleted(domain::TenantId id, const std::string& item_id);
  void OnUserDeleted(domain::TenantId id, const std::string& user_id);
  void OnUsersCommitted(domain::TenantId id, const std::vector<domain::User>& users);

  const text::SentimentAnalyzer* sentiment() const { return options_.sentiment; }

  storage::Store& store() { return store_; }

 private:
  // Returns the runtime and whether this call loaded it (its state then
  // already holds every committed event).
  absl::StatusOr<std::pair<TenantRuntime*, bool>> TenantLoaded(domain::TenantId id);
  absl::Status LoadFromStore(TenantRuntime& runtime);
  // The catalogue's documents into runtime.content (built on first use).
  absl::Status LoadContent(TenantRuntime& runtime);
  // Serving state and profiles, for events the store committed once.
  void Apply(TenantRuntime& runtime, const std::vector<domain::Event>& events);
  // One item into the catalogue and the content index; one user out of the
  // serving state and the profiles (for the hooks and ApplyChange alike).
  static void UpsertItem(TenantRuntime& runtime, const domain::Item& item);
  static void RemoveUser(TenantRuntime& runtime, const std::string& user_id);
  // A stored change of the tenant's insights settings (see tenant_config.h).
  void ApplyInsightsSettings(TenantRuntime& runtime, const std::string& doc);

  storage::Store& store_;
  EngineOptions options_;
  mutable absl::Mutex mu_;  // also serialises loading
  std::map<domain::TenantId, std::unique_ptr<TenantRuntime>> tenants_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_ENGINE_H_
