#include "serving/engine.h"

#include <filesystem>
#include <variant>

#include "common/strings.h"
#include "spdlog/spdlog.h"
#include "storage/stored_doc.h"

namespace tailor::serving {

std::optional<double> EventSentiment(const text::SentimentAnalyzer* analyzer,
                                     const domain::Event& event) {
  if (analyzer == nullptr || event.text.empty()) return std::nullopt;
  text::SentimentResult r = analyzer->Analyze(event.text);
  if (!r.supported) return std::nullopt;
  return r.scores.compound;
}

Engine::Engine(storage::Store& store, EngineOptions options)
    : store_(store), options_(std::move(options)) {}

absl::Status Engine::LoadAll() {
  absl::StatusOr<std::vector<domain::Tenant>> tenants = store_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  for (const domain::Tenant& t : *tenants) {
    if (absl::StatusOr<TenantRuntime*> r = Tenant(t.id); !r.ok()) return r.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<TenantRuntime*> Engine::Tenant(domain::TenantId id) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok()) return r.status();
  return r->first;
}

absl::StatusOr<std::pair<TenantRuntime*, bool>> Engine::TenantLoaded(domain::TenantId id) {
  absl::MutexLock lock(&mu_);
  auto it = tenants_.find(id);
  if (it != tenants_.end()) return std::make_pair(it->second.get(), false);
  std::string dir;
  if (!options_.config_dir.empty()) {
    dir = (std::filesystem::path(options_.config_dir) / std::to_string(id)).string();
  }
  absl::StatusOr<TenantConfig> config =
      LoadTenantConfig(store_, id, dir, options_.weights, options_.insights);
  if (!config.ok()) return config.status();
  auto runtime = std::make_unique<TenantRuntime>(
      id, std::move(config->weights), &store_, options_.ann_min_items,
      options_.clock != nullptr ? *options_.clock : Clock::Real());
  runtime->SetInsightsOptions(config->insights);
  if (absl::Status s = LoadFromStore(*runtime); !s.ok()) return s;
  if (absl::Status s = LoadContent(*runtime); !s.ok()) return s;
  TenantRuntime* out = runtime.get();
  tenants_.emplace(id, std::move(runtime));
  return std::make_pair(out, true);
}

absl::Status Engine::LoadFromStore(TenantRuntime& runtime) {
  if (absl::Status s = store_.ForEachItem(
          runtime.id, [&](const domain::Item& item) { runtime.state.UpsertItem(item); });
      !s.ok()) {
    return s;
  }
  std::string cursor;
  do {
    absl::StatusOr<storage::Page<domain::User>> page = store_.ListUsers(runtime.id, cursor, 1000);
    if (!page.ok()) return page.status();
    for (const domain::User& u : page->rows) runtime.profiles.UpsertUser(u);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  std::vector<domain::Event> chunk;
  auto flush = [&] {
    Apply(runtime, chunk);
    chunk.clear();
  };
  absl::StatusOr<int64_t> scan = store_.ScanEventsAt(runtime.id, [&](const domain::Event& e) {
    chunk.push_back(e);
    if (chunk.size() >= 4096) flush();
    return true;
  });
  if (!scan.ok()) return scan.status();
  flush();
  runtime.loaded_position = *scan;
  if (absl::Status s = runtime.registry.Load(); !s.ok()) {
    spdlog::warn("tenant {}: models not loaded: {}", runtime.id, std::string(s.message()));
  }
  // Persisted models count as trained on the events they saw; the content
  // index is not persisted, so it is rebuilt from the catalogue.
  int64_t seen = 0;
  std::shared_ptr<const ModelSet> set = runtime.registry.Current();
  for (const auto& [name, m] : set->models) seen = std::max(seen, m->record.num_events);
  runtime.events_at_last_training = seen;
  spdlog::info("tenant {}: {} items, {} events, {} models loaded", runtime.id,
               runtime.state.num_items(), runtime.state.events_applied(),
               runtime.registry.Current()->models.size());
  return absl::OkStatus();
}

absl::Status Engine::LoadContent(TenantRuntime& runtime) {
  int64_t since = runtime.content.Generation();
  std::vector<text::ContentDocument> docs(runtime.state.num_items());
  absl::Status listed = store_.ForEachItem(runtime.id, [&](const domain::Item& item) {
    std::optional<int32_t> index = runtime.state.ItemIndex(item.id);
    if (!index) return;
    if (static_cast<size_t>(*index) >= docs.size()) docs.resize(*index + 1);
    docs[*index] = ContentDocumentOf(item);
  });
  if (!listed.ok()) return listed;
  runtime.content.Replace(std::move(docs), since);
  return absl::OkStatus();
}

std::vector<TenantRuntime*> Engine::Tenants() const {
  absl::MutexLock lock(&mu_);
  std::vector<TenantRuntime*> out;
  for (const auto& [id, r] : tenants_) out.push_back(r.get());
  return out;
}

void Engine::OnEventsCommitted(domain::TenantId id, const std::vector<domain::Event>& events,
                               const std::vector<int64_t>& duplicates) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok()) {
    spdlog::error("tenant {}: serving state not updated: {}", id,
                  std::string(r.status().message()));
    return;
  }
  auto [runtime, just_loaded] = *r;
  if (just_loaded) return;  // the load read these events from the store
  if (duplicates.empty()) {
    Apply(*runtime, events);
    return;
  }
  std::vector<domain::Event> fresh;
  size_t d = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (d < duplicates.size() && duplicates[d] == static_cast<int64_t>(i)) {
      ++d;
      continue;
    }
    fresh.push_back(events[i]);
  }
  Apply(*runtime, fresh);
}

void Engine::Apply(TenantRuntime& runtime, const std::vector<domain::Event>& events) {
  runtime.state.ApplyEvents(events);
  std::vector<std::string> categories, tags;
  for (const domain::Event& e : events) {
    const float weight = runtime.state.weights().Weight(e.type, e.value);
    const std::optional<double> sentiment = EventSentiment(options_.sentiment, e);
    categories.clear();
    tags.clear();
    // Copied out so the profile store's lock is never taken under the
    // catalogue's (a long profile scan must not hold up catalogue writes).
    if (!e.item_id.empty()) {
      runtime.state.WithItem(e.item_id, [&](const ItemInfo& item) {
        categories = item.categories;
        tags = item.tags;
      });
    }
    runtime.profiles.ApplyEvent(e, weight, categories, tags, sentiment);
  }
}

void Engine::OnUsersCommitted(domain::TenantId id, const std::vector<domain::User>& users) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok() || r->second) return;
  for (const domain::User& u : users) r->first->profiles.UpsertUser(u);
}

void Engine::OnItemsCommitted(domain::TenantId id, const std::vector<domain::Item>& items) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok() || r->second) return;
  for (const domain::Item& item : items) UpsertItem(*r->first, item);
}

void Engine::UpsertItem(TenantRuntime& runtime, const domain::Item& item) {
  runtime.state.UpsertItem(item);
  if (std::optional<int32_t> index = runtime.state.ItemIndex(item.id)) {
    runtime.content.Upsert(*index, ContentDocumentOf(item));
  }
}

void Engine::RemoveUser(TenantRuntime& runtime, const std::string& user_id) {
  runtime.state.RemoveUser(user_id);
  runtime.profiles.RemoveUser(user_id);
}

void Engine::OnItemDeleted(domain::TenantId id, const std::string& item_id) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok() || r->second) return;
  r->first->state.RemoveItem(item_id);
}

void Engine::ApplyChange(const storage::Change& change) {
  absl::StatusOr<TenantRuntime*> r = Tenant(change.tenant);
  if (!r.ok()) {
    spdlog::error("tenant {}: change {} not applied: {}", change.tenant, change.position,
                  std::string(r.status().message()));
    return;
  }
  TenantRuntime& runtime = **r;
  const bool events_loaded = change.position <= runtime.loaded_position;
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    if (const auto* put = std::get_if<storage::WriteBatch::PutDoc>(&op)) {
      if (put->is_user) {
        absl::StatusOr<domain::User> user =
            storage::DecodeStoredUser(put->id, put->doc, put->at_micros, put->at_micros);
        if (user.ok()) runtime.profiles.UpsertUser(*user);
      } else {
        absl::StatusOr<domain::Item> item =
            storage::DecodeStoredItem(put->id, put->doc, put->at_micros, put->at_micros);
        if (item.ok()) UpsertItem(runtime, *item);
      }
    } else if (const auto* del = std::get_if<storage::WriteBatch::DeleteDoc>(&op)) {
      if (del->is_user) {
        RemoveUser(runtime, del->id);
      } else {
        runtime.state.RemoveItem(del->id);
      }
    } else if (const auto* rec = std::get_if<storage::WriteBatch::PutRecordOp>(&op)) {
      if (rec->collection == kSettingsCollection && rec->id == kInsightsSetting) {
        ApplyInsightsSettings(runtime, rec->doc);
      }
    } else if (const auto* append = std::get_if<storage::WriteBatch::Append>(&op)) {
      if (events_loaded) continue;
      std::vector<domain::Event> events;
      events.reserve(append->events.size());
      for (const auto& se : append->events) events.push_back(se.event);
      Apply(runtime, events);
    }
  }
}

void Engine::ApplyInsightsSettings(TenantRuntime& runtime, const std::string& doc) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(doc, ec);
  absl::StatusOr<insights::ActivityModelOptions> options =
      ec || !v.is_object() ? absl::InvalidArgumentError("not a JSON object")
                           : ParseInsightsSettings(v.get_object(), options_.insights, "");
  if (!options.ok()) {
    spdlog::warn("tenant {}: insights settings ignored: {}", runtime.id,
                 std::string(options.status().message()));
    return;
  }
  runtime.SetInsightsOptions(*options);
}

void Engine::ApplyModelChange(const storage::Change& change) {
  bool any = false;
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op);
    any = any || (put != nullptr && put->collection == kModelsCollection);
  }
  if (!any) return;
  absl::StatusOr<TenantRuntime*> r = Tenant(change.tenant);
  if (!r.ok()) return;  // ApplyChange reports it
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op);
    if (put == nullptr || put->collection != kModelsCollection) continue;
    storage::Record record;
    record.id = put->id;
    record.doc = put->doc;
    record.version = put->version;
    if (absl::Status s = (*r)->registry.Apply(record); !s.ok()) {
      spdlog::warn("tenant {}: model {} version {} not loaded: {}", change.tenant, put->id,
                   put->version, std::string(s.message()));
    }
  }
}

void Engine::OnUserDeleted(domain::TenantId id, const std::string& user_id) {
  absl::StatusOr<std::pair<TenantRuntime*, bool>> r = TenantLoaded(id);
  if (!r.ok() || r->second) return;
  RemoveUser(*r->first, user_id);
}

}  // namespace tailor::serving
