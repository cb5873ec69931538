#include "serving/model_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "common/strings.h"
#include "domain/validation.h"
#include "models/recsys/ials_model.h"
#include "serving/served_model.h"
#include "spdlog/spdlog.h"

namespace tailor::serving {

namespace json = boost::json;

json::object ModelRecord::ToJson() const {
  return {{"name", name},
          {"version", version},
          {"params", params},
          {"trained_at", domain::FormatRfc3339(trained_at)},
          {"training_seconds", training_seconds},
          {"num_users", num_users},
          {"num_items", num_items},
          {"num_interactions", num_interactions},
          {"num_events", num_events},
          {"metrics", metrics},
          {"insufficient_data",
           insufficient_data.empty() ? json::value(nullptr) : json::value(insufficient_data)},
          {"blob", blob},
          {"blob_chunks", blob_chunks}};
}

absl::StatusOr<ModelRecord> ModelRecord::FromJson(const json::value& value) {
  const json::object* obj = value.if_object();
  if (obj == nullptr) return absl::DataLossError("model record is not an object");
  ModelRecord r;
  try {
    r.name = json::value_to<std::string>(obj->at("name"));
    r.version = obj->at("version").to_number<int64_t>();
    r.params = obj->at("params").as_object();
    absl::StatusOr<absl::Time> t =
        domain::ParseRfc3339(std::string_view(obj->at("trained_at").as_string()));
    if (!t.ok()) return absl::DataLossError("model record has a bad trained_at");
    r.trained_at = *t;
    r.training_seconds = obj->at("training_seconds").to_number<double>();
    r.num_users = obj->at("num_users").to_number<int32_t>();
    r.num_items = obj->at("num_items").to_number<int32_t>();
    r.num_interactions = obj->at("num_interactions").to_number<int64_t>();
    r.num_events = obj->at("num_events").to_number<int64_t>();
    r.metrics = obj->at("metrics").as_object();
    if (const json::value* v = obj->if_contains("blob"); v && v->is_string()) {
      r.blob = json::value_to<std::string>(*v);
    }
    if (const json::value* v = obj->if_contains("blob_chunks"); v && v->is_int64()) {
      r.blob_chunks = static_cast<int32_t>(v->as_int64());
    }
    // Null when the data sufficed; absent in records from before the field.
    if (const json::value* v = obj->if_contains("insufficient_data"); v && !v->is_null()) {
      r.insufficient_data = json::value_to<std::string>(*v);
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(StrCat("model record is malformed: ", e.what()));
  }
  return r;
}

const ServingModel* ModelSet::Find(const std::string& name) const {
  auto it = models.find(name);
  return it == models.end() ? nullptr : it->second.get();
}

const ServingModel* ModelSet::Best() const {
  const ServingModel* best = nullptr;
  double best_ndcg = -1.0;
  for (const auto& [name, m] : models) {
    if (name == "popularity" || !Served(m->record)) continue;
    const json::value* v = m->record.metrics.if_contains("ndcg@10");
    double ndcg = v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
    if (ndcg > best_ndcg) {
      best_ndcg = ndcg;
      best = m.get();
    }
  }
  return best;
}

namespace {

// "<name>/<version>", the version zero-padded so ids sort by version.
std::string VersionId(const std::string& name, int64_t version) {
  return fmt::format("{}/{:012d}", name, version);
}

absl::StatusOr<ModelRecord> ParseRecord(const storage::Record& stored) {
  boost::system::error_code ec;
  json::value doc = json::parse(stored.doc, ec);
  if (ec) return absl::DataLossError(StrCat("model record ", stored.id, " is not JSON"));
  return ModelRecord::FromJson(doc);
}

// The store keys of a model's bytes: the blob itself, or its chunks.
std::string ChunkKey(const ModelRecord& r, int32_t i) {
  return r.blob_chunks <= 1 ? r.blob : fmt::format("{}/{}", r.blob, i);
}

void DeleteBlobs(storage::Store& store, domain::TenantId tenant, const ModelRecord& r) {
  for (int32_t i = 0; i < std::max(r.blob_chunks, 1); ++i) {
    store.DeleteBlob(tenant, ChunkKey(r, i)).IgnoreError();
  }
}

bool Older(const ModelRecord& a, const ModelRecord& b) {
  return std::tie(a.name, a.version) < std::tie(b.name, b.version);
}

}  // namespace

ModelRegistry::ModelRegistry(storage::Store* store, domain::TenantId tenant, TenantState& state,
                             int32_t ann_min_items)
    : store_(store),
      tenant_(tenant),
      state_(state),
      ann_min_items_(ann_min_items),
      current_(std::make_shared<const ModelSet>()) {}

absl::Status ModelRegistry::Adopt(recsys::Model& model) const {
  if (model.item_ids().size() != static_cast<size_t>(model.num_items())) {
    return absl::FailedPreconditionError(
        "the model does not record which items its indexes stand for (written before model "
        "identity); it is retrained");
  }
  ItemMapping mapping = state_.MapItems(model.item_ids());
  if (mapping.identity) return absl::OkStatus();  // trained on this state: nothing to move
  return model.Reindex(mapping.to, std::move(mapping.ids));
}

std::shared_ptr<const ServingModel> ModelRegistry::MakeServing(
    ModelRecord record, std::shared_ptr<const recsys::Model> model) const {
  auto serving = std::make_shared<ServingModel>();
  serving->record = std::move(record);
  if (const auto* ials = dynamic_cast<const recsys::IalsModel*>(model.get());
      ials != nullptr && ials->num_items() >= ann_min_items_) {
    serving->ann = AnnIndex::Build(ials->item_factors().cast<float>());
  }
  if (const auto* sim = dynamic_cast<const recsys::ItemSimilarityModel*>(model.get())) {
    serving->supporters = sim->similarity().transpose();
  }
  serving->model = std::move(model);
  return serving;
}

absl::StatusOr<std::shared_ptr<const ServingModel>> ModelRegistry::LoadStored(
    ModelRecord record) const {
  if (record.blob.empty()) return absl::DataLossError("the record names no blob");
  if (record.blob_chunks < 1 || static_cast<size_t>(record.blob_chunks) > kMaxBlobChunks) {
    return absl::DataLossError("the record names a bad number of blob chunks");
  }
  std::string bytes;
  for (int32_t i = 0; i < record.blob_chunks; ++i) {
    absl::StatusOr<std::string> chunk = store_->GetBlob(tenant_, ChunkKey(record, i));
    if (!chunk.ok()) return chunk.status();
    bytes += *chunk;
  }
  absl::StatusOr<std::unique_ptr<recsys::Model>> model = recsys::ParseModel(bytes);
  if (!model.ok()) return model.status();
  if (absl::Status s = Adopt(**model); !s.ok()) return s;
  return MakeServing(std::move(record), std::shared_ptr<const recsys::Model>(std::move(*model)));
}

void ModelRegistry::Install(std::shared_ptr<const ServingModel> serving) {
  absl::MutexLock lock(&mu_);
  const ModelRecord& record = serving->record;
  auto at = std::lower_bound(records_.begin(), records_.end(), record, Older);
  if (at == records_.end() || at->name != record.name || at->version != record.version) {
    records_.insert(at, record);
  }
  const ServingModel* served = current_->Find(record.name);
  if (served != nullptr && served->record.version >= record.version) return;
  auto set = std::make_shared<ModelSet>(*current_);
  set->models[record.name] = std::move(serving);
  current_ = std::move(set);
}

absl::Status ModelRegistry::Load() {
  if (store_ == nullptr) return absl::OkStatus();
  std::vector<ModelRecord> history;
  absl::Status scanned =
      store_->ScanRecords(tenant_, kModelVersionsCollection, [&](const storage::Record& r) {
        absl::StatusOr<ModelRecord> record = ParseRecord(r);
        if (record.ok()) history.push_back(std::move(*record));
        return true;
      });
  if (!scanned.ok()) return scanned;
  std::sort(history.begin(), history.end(), Older);
  {
    absl::MutexLock lock(&mu_);
    records_ = std::move(history);
  }
  return Refresh();
}

absl::Status ModelRegistry::Refresh() {
  if (store_ == nullptr) return absl::OkStatus();
  std::vector<storage::Record> newest;
  absl::Status scanned =
      store_->ScanRecords(tenant_, kModelsCollection, [&](const storage::Record& r) {
        newest.push_back(r);
        return true;
      });
  if (!scanned.ok()) return scanned;
  for (const storage::Record& r : newest) {
    if (absl::Status s = Apply(r); !s.ok()) {
      spdlog::warn("tenant {}: model {} not loaded: {}", tenant_, r.id, std::string(s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status ModelRegistry::Apply(const storage::Record& stored) {
  if (store_ == nullptr) return absl::OkStatus();
  absl::StatusOr<ModelRecord> record = ParseRecord(stored);
  if (!record.ok()) return record.status();
  record->version = stored.version;  // the store's version is authoritative
  {
    absl::MutexLock lock(&mu_);
    const ServingModel* served = current_->Find(record->name);
    if (served != nullptr && served->record.version >= record->version) return absl::OkStatus();
  }
  absl::StatusOr<std::shared_ptr<const ServingModel>> serving = LoadStored(std::move(*record));
  if (!serving.ok()) return serving.status();
  Install(std::move(*serving));
  return absl::OkStatus();
}

std::shared_ptr<const ModelSet> ModelRegistry::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

absl::Status ModelRegistry::StoreRecord(ModelRecord& record) {
  // Compare-and-set on the name's record: the store issues versions, and two
  // nodes publishing at once both land, one after the other.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<storage::Record> current =
        store_->GetRecord(tenant_, kModelsCollection, record.name);
    if (!current.ok() && current.status().code() != absl::StatusCode::kNotFound) {
      return current.status();
    }
    const int64_t expected = current.ok() ? current->version : 0;
    record.version = expected + 1;
    const std::string doc = json::serialize(record.ToJson());
    storage::WriteBatch batch;
    batch.PutRecordIf(kModelsCollection, record.name, doc, record.trained_at, expected);
    batch.PutRecord(kModelVersionsCollection, VersionId(record.name, record.version), doc,
                    record.trained_at);
    absl::StatusOr<storage::WriteResult> written = store_->WriteSync(tenant_, std::move(batch));
    if (written.ok()) return absl::OkStatus();
    if (written.status().code() != absl::StatusCode::kAborted || attempt >= 10) {
      return written.status();
    }
  }
}

absl::StatusOr<ModelRecord> ModelRegistry::Publish(std::unique_ptr<recsys::Model> model,
                                                   ModelRecord record) {
  if (model == nullptr) return absl::InvalidArgumentError("no model to publish");
  if (absl::Status s = Adopt(*model); !s.ok()) return s;
  std::shared_ptr<const recsys::Model> shared(std::move(model));
  if (store_ != nullptr) {
    absl::StatusOr<std::string> bytes = shared->Serialize();
    if (!bytes.ok()) return bytes.status();
    // A key no other publish uses (the version is known only after the
    // record's compare-and-set): the training time, the bytes' hash and a
    // random part, so equal retrains on one clock still differ.
    uint64_t nonce;
    {
      absl::MutexLock lock(&nonce_mu_);
      nonce = nonce_rng_.engine()();
    }
    record.blob =
        fmt::format("models/{}/{}-{:016x}-{:016x}", record.name,
                    absl::ToUnixMicros(record.trained_at), std::hash<std::string>{}(*bytes), nonce);
    const size_t chunk = chunk_bytes_.load();
    const size_t chunks = std::max<size_t>(1, (bytes->size() + chunk - 1) / chunk);
    if (chunks > kMaxBlobChunks) {
      return absl::ResourceExhaustedError(StrCat("the model takes ", bytes->size(),
                                                 " bytes, more than ", kMaxBlobChunks,
                                                 " chunks of ", chunk));
    }
    record.blob_chunks = static_cast<int32_t>(chunks);
    absl::Status stored;
    for (int32_t i = 0; i < record.blob_chunks && stored.ok(); ++i) {
      stored = store_->PutBlob(tenant_, ChunkKey(record, i),
                               std::string_view(*bytes).substr(i * chunk, chunk));
    }
    if (stored.ok()) stored = StoreRecord(record);
    if (!stored.ok()) {
      // The record may have committed though its answer was lost (the
      // connection broke at COMMIT): then the bytes are in use.
      absl::StatusOr<storage::Record> now =
          store_->GetRecord(tenant_, kModelsCollection, record.name);
      absl::StatusOr<ModelRecord> named = now.ok() ? ParseRecord(*now) : now.status();
      if (!named.ok() || named->blob != record.blob) {
        DeleteBlobs(*store_, tenant_, record);
        return stored;
      }
      record.version = now->version;
    }
  } else {
    absl::MutexLock lock(&mu_);
    int64_t version = 0;
    for (const ModelRecord& r : records_) {
      if (r.name == record.name) version = std::max(version, r.version);
    }
    record.version = version + 1;
  }
  // The ANN graph (large catalogues) is built before taking the lock.
  Install(MakeServing(record, std::move(shared)));
  if (store_ != nullptr) {
    // Blobs of versions older than the newest kKeepBlobsPerModel go.
    std::vector<ModelRecord> drop;
    {
      absl::MutexLock lock(&mu_);
      int kept = 0;
      for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
        if (it->name != record.name || it->blob.empty()) continue;
        if (++kept == kKeepBlobsPerModel + 1) drop.push_back(*it);  // older ones went before
      }
    }
    for (const ModelRecord& old : drop) DeleteBlobs(*store_, tenant_, old);
  }
  return record;
}

void ModelRegistry::SetContent(std::shared_ptr<const text::TfidfIndex> content) {
  absl::MutexLock lock(&mu_);
  auto set = std::make_shared<ModelSet>(*current_);
  set->content = std::move(content);
  current_ = std::move(set);
}

std::vector<ModelRecord> ModelRegistry::Records() const {
  absl::MutexLock lock(&mu_);
  return records_;
}

}  // namespace tailor::serving
