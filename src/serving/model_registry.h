// ModelRegistry: one tenant's trained models — every version with its
// parameters, data size, training time and offline metrics — and the set
// currently served. Models live in the shared store, so every node of a
// cluster serves the same versions: Publish() writes the model's bytes as a
// blob, then the record that names it with compare-and-set, and the record's
// store-issued version is the model's version; other nodes see the record
// in their change feed and load the blob (Apply). Readers take an immutable
// ModelSet snapshot (a shared_ptr copy) and never wait for training.
//
// Every served model speaks the tenant state's item indexes: a model carries
// the ids of its own index space (recsys::Model::item_ids), and loading maps
// them onto `state` (interning ids it does not know) and reindexes the model
// once when the two spaces differ — after a restart, which rebuilds the
// state in store order, or for a model trained on another node. So Score(),
// the ANN index, the similarity matrix and `supporters` all index the
// state's catalogue, and a model answers the same item ids whatever the
// order items arrived in. A model that does not know its ids is not served.
//
//   ModelRegistry registry(&store, tenant, state);
//   RETURN_IF_ERROR(registry.Load());                 // after a restart
//   absl::StatusOr<ModelRecord> r = registry.Publish(std::move(model), record);
//   registry.Apply(change_record);                    // another node published
//   std::shared_ptr<const ModelSet> set = registry.Current();
//   const ServingModel* best = set->Best();           // null before any training
//
// Store layout: collection "models" holds one record per model name (the
// newest version's ModelRecord with its blob key), "model_versions" one per
// version ("<name>/<version, 12 digits>"); blobs "models/<name>/<...>" hold
// the bytes of the newest kKeepBlobsPerModel versions. A null store keeps
// everything in memory (tests, `tailor eval`). Thread-safe.
#ifndef TAILOR_SERVING_MODEL_REGISTRY_H_
#define TAILOR_SERVING_MODEL_REGISTRY_H_

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/random.h"
#include "models/recsys/item_similarity_model.h"
#include "models/recsys/model.h"
#include "models/text/tfidf_index.h"
#include "serving/ann_index.h"
#include "serving/tenant_state.h"
#include "storage/store.h"

namespace tailor::serving {

struct ModelRecord {
  std::string name;
  int64_t version = 0;
  boost::json::object params;
  absl::Time trained_at = absl::UnixEpoch();
  double training_seconds = 0.0;
  int32_t num_users = 0;
  int32_t num_items = 0;
  int64_t num_interactions = 0;
  int64_t num_events = 0;       // tenant events applied when the data was taken
  boost::json::object metrics;  // e.g. {"hr@10": .., "ndcg@10": .., "users": ..}
  std::string blob;             // the store blob holding the model; empty in memory
  int32_t blob_chunks = 1;      // blobs "<blob>/<i>" when > 1 (large models)
  // Why the training data was too small for the model to be worth serving
  // (jobs::InsufficientData); empty when it sufficed. Such a model stays
  // registered and listed, but requests are answered by the fallback chain
  // (content, trending, popularity) instead, and Best() never picks it.
  std::string insufficient_data;

  boost::json::object ToJson() const;
  static absl::StatusOr<ModelRecord> FromJson(const boost::json::value& json);
};

struct ServingModel {
  ModelRecord record;
  std::shared_ptr<const recsys::Model> model;
  // For iALS on catalogues of at least the registry's ann_min_items items.
  std::shared_ptr<const AnnIndex> ann;
  // For item-similarity models (W[i, j]: i supports j): W transposed, so the
  // supporters of one item are one row (explanations).
  recsys::SimilarityMatrix supporters;
};

// What requests read: the newest version of every model, and the content
// index over the catalogue for cold items.
struct ModelSet {
  std::map<std::string, std::shared_ptr<const ServingModel>> models;
  std::shared_ptr<const text::TfidfIndex> content;  // null until built

  const ServingModel* Find(const std::string& name) const;
  // The model with the highest offline ndcg@10 other than popularity and
  // models whose record names insufficient_data; null when there is none.
  const ServingModel* Best() const;
};

inline constexpr char kModelsCollection[] = "models";
inline constexpr char kModelVersionsCollection[] = "model_versions";

class ModelRegistry {
 public:
  static constexpr int kKeepBlobsPerModel = 2;
  // Models larger than this are stored in chunks of this size (a blob stays
  // well below SQLite's 1 GB value limit and PostgreSQL's parameter limit).
  static constexpr size_t kBlobChunkBytes = 64 << 20;
  static constexpr size_t kMaxBlobChunks = 1024;

  // `state` (the tenant's, outliving the registry) gives the index space
  // models are served in; `store` (null: memory only) outlives it too.
  ModelRegistry(storage::Store* store, domain::TenantId tenant, TenantState& state,
                int32_t ann_min_items = kAnnMinItems);

  // Reads the newest version of every model the store holds, in the state's
  // index space (load after the state is rebuilt), and the version history.
  // A model whose blob fails to load or does not record its item ids is
  // skipped with a warning (the next training replaces it).
  absl::Status Load();
  // Loads every model whose stored version is newer than the one served
  // (a node about to train reads what others published).
  absl::Status Refresh();

  std::shared_ptr<const ModelSet> Current() const;
  // Moves the model into the state's index space, stores its bytes, then
  // its record with the next version (compare-and-set, retried when another
  // node published meanwhile), then swaps the model in. Returns the record.
  // FailedPrecondition when the model's item ids are unknown.
  absl::StatusOr<ModelRecord> Publish(std::unique_ptr<recsys::Model> model, ModelRecord record);
  // A "models" record written anywhere (the change feed): loads that version
  // when it is newer than the one served. OK when it is not.
  absl::Status Apply(const storage::Record& record);
  void SetContent(std::shared_ptr<const text::TfidfIndex> content);
  // The chunk size for models stored from now on (kBlobChunkBytes unless
  // set; tests use small ones).
  void SetBlobChunkBytes(size_t bytes) { chunk_bytes_ = std::max<size_t>(bytes, 1); }
  // Every version ever published, oldest first.
  std::vector<ModelRecord> Records() const;

 private:
  // Moves the model into state_'s index space (see the file comment).
  absl::Status Adopt(recsys::Model& model) const;
  // Wraps a model for serving, with its ANN index when it qualifies.
  std::shared_ptr<const ServingModel> MakeServing(ModelRecord record,
                                                  std::shared_ptr<const recsys::Model> model) const;
  // Reads a stored record's model from its blob, ready to serve.
  absl::StatusOr<std::shared_ptr<const ServingModel>> LoadStored(ModelRecord record) const;
  // Serves `serving` unless a newer version of its name is already served;
  // records it in the history.
  void Install(std::shared_ptr<const ServingModel> serving);
  // Writes the record of a model whose blob is stored; assigns its version.
  absl::Status StoreRecord(ModelRecord& record);

  storage::Store* store_;
  const domain::TenantId tenant_;
  TenantState& state_;
  int32_t ann_min_items_;
  std::atomic<size_t> chunk_bytes_ = kBlobChunkBytes;
  absl::Mutex nonce_mu_;
  // Blob key nonces (uniqueness, not behaviour: seeded by the OS).
  Random nonce_rng_ ABSL_GUARDED_BY(nonce_mu_){std::random_device{}()};
  mutable absl::Mutex mu_;
  std::shared_ptr<const ModelSet> current_ ABSL_GUARDED_BY(mu_);
  std::vector<ModelRecord> records_ ABSL_GUARDED_BY(mu_);  // by (name, version)
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_MODEL_REGISTRY_H_
