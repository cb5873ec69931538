// ModelRegistry: one tenant's trained models — every version with its
// parameters, data size, training time and offline metrics — and the set
// currently served. Publishing persists the model file and the record before
// the swap, so a restart loads what was served; readers take an immutable
// ModelSet snapshot (a shared_ptr copy) and never wait for training.
//
// Every served model speaks the tenant state's item indexes: a model carries
// the ids of its own index space (recsys::Model::item_ids), and Load() and
// Publish() map them onto `state` (interning ids it does not know) and
// reindex the model once when the two spaces differ — after a restart, which
// rebuilds the state in store order, or for a file trained on another node.
// So Score(), the ANN index, the similarity matrix and `supporters` all index
// the state's catalogue, and a model answers the same item ids whatever the
// order items arrived in. A model that does not know its ids (a version 1
// file) is not served.
//
//   ModelRegistry registry("/var/tailor/models/1", state);
//   RETURN_IF_ERROR(registry.Load());                 // after a restart
//   absl::StatusOr<ModelRecord> r = registry.Publish(std::move(model), record);
//   std::shared_ptr<const ModelSet> set = registry.Current();
//   const ServingModel* best = set->Best();           // null before any training
//
// Files: <dir>/registry.json (every record, newest last) and
// <dir>/<name>-<version>.model; older files beyond the newest
// kKeepFilesPerModel of a model are removed. An empty dir keeps everything
// in memory (tests, `tailor eval`). Thread-safe.
#ifndef TAILOR_SERVING_MODEL_REGISTRY_H_
#define TAILOR_SERVING_MODEL_REGISTRY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "models/recsys/item_similarity_model.h"
#include "models/recsys/model.h"
#include "models/text/tfidf_index.h"
#include "serving/ann_index.h"
#include "serving/tenant_state.h"

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
  std::string file;             // file name inside the registry dir; empty in memory
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

class ModelRegistry {
 public:
  static constexpr int kKeepFilesPerModel = 2;

  // `state` (the tenant's, outliving the registry) gives the index space
  // models are served in.
  ModelRegistry(std::string dir, TenantState& state, int32_t ann_min_items = kAnnMinItems);

  // Reads registry.json and the newest file of every model named in it, in
  // the state's index space (load after the state is rebuilt). A missing
  // registry is an empty one; a model file that fails to load or does not
  // record its item ids is skipped with a warning (the next training
  // replaces it).
  absl::Status Load();

  std::shared_ptr<const ModelSet> Current() const;
  // Assigns the next version of record.name, moves the model into the
  // state's index space, saves it, appends the record to registry.json, then
  // swaps the model in. Returns the record. FailedPrecondition when the
  // model's item ids are unknown.
  absl::StatusOr<ModelRecord> Publish(std::unique_ptr<recsys::Model> model, ModelRecord record);
  void SetContent(std::shared_ptr<const text::TfidfIndex> content);
  // Every version ever published, oldest first.
  std::vector<ModelRecord> Records() const;

 private:
  absl::Status WriteRecordsLocked() const;
  // Moves the model into state_'s index space (see the file comment).
  absl::Status Adopt(recsys::Model& model) const;
  // Wraps a model for serving, with its ANN index when it qualifies.
  std::shared_ptr<const ServingModel> MakeServing(ModelRecord record,
                                                  std::shared_ptr<const recsys::Model> model) const;

  std::string dir_;
  TenantState& state_;
  int32_t ann_min_items_;
  mutable std::mutex mu_;
  std::shared_ptr<const ModelSet> current_;
  std::vector<ModelRecord> records_;
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_MODEL_REGISTRY_H_
