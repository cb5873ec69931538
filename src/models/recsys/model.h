// Model: the contract every recommendation model implements. A model is fit
// on a user x item InteractionMatrix, then scores all items for any history
// of (item index, weight) pairs — a known user's row or a brand-new user's
// few events — so serving never needs to retrain to react to a click.
//
//   auto model = tailor::recsys::CreateModel("ease");            // model_factory.h
//   RETURN_IF_ERROR((*model)->Fit(train, {{"l2", 500.0}}));
//   RETURN_IF_ERROR((*model)->SetItemIds(ids_of_train_columns));
//   Eigen::VectorXf scores = (*model)->Score({{12, 1.0f}, {40, 1.0f}});
//   RETURN_IF_ERROR((*model)->Save("/var/lib/tailor/ease.bin"));
//   auto loaded = tailor::recsys::LoadModel("/var/lib/tailor/ease.bin");
//
// Contracts:
// - Fit() replaces any previous state. Params are a JSON object; missing keys
//   take defaults, unknown keys or wrong types give InvalidArgument and leave
//   the model unfitted. Params() returns every effective value (defaults
//   filled in), so Fit(x, Params()) reproduces the model.
// - Score() requires a fitted model; returns one score per item
//   (size num_items()), higher is better. History entries whose item index is
//   outside [0, num_items()) are ignored (serving may know newer items). The
//   history's own items are scored like any other: filtering them is the
//   caller's decision. Score() is const and safe to call from many threads.
// - Identity: item indexes are only meaningful with the ids they stand for.
//   item_ids()[j] is the client id of index j (SetItemIds after Fit); the
//   file carries them, so a model scores the same items after a restart or
//   on another machine whose id -> index map differs. Reindex() moves the
//   model into such another index space once, so scoring stays a plain
//   index lookup. Empty item_ids() means the identity is unknown (a model
//   fit on a bare matrix, or a file of version 1): such a model must not be
//   served (serving::ModelRegistry refuses it).
// - Save() writes a versioned binary file; LoadModel() reads any model kind
//   back and fails with DataLoss on a corrupt or foreign file and
//   FailedPrecondition on a version this build does not know. Version 1
//   files (no item ids) are read with an empty item_ids().
#ifndef TAILOR_MODELS_RECSYS_MODEL_H_
#define TAILOR_MODELS_RECSYS_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <boost/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/recsys/interaction_matrix.h"
#include "models/recsys/model_io.h"

namespace tailor::recsys {

class Model {
 public:
  virtual ~Model() = default;

  // Stable identifier used by the factory and in model files ("ease", ...).
  virtual std::string Name() const = 0;

  virtual absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) = 0;

  virtual Eigen::VectorXf Score(const History& history) const = 0;

  // Scores for user `user` of the training matrix whose history is `history`.
  // Models with per-user state (iALS) use it; the default calls Score().
  virtual Eigen::VectorXf ScoreKnownUser(int32_t user, const History& history) const {
    return Score(history);
  }

  virtual boost::json::object Params() const = 0;
  virtual int32_t num_items() const = 0;
  bool fitted() const { return fitted_; }

  // The ids of the model's item indexes; empty when unknown. Fit() does not
  // set them (it sees only a matrix).
  const std::vector<std::string>& item_ids() const { return item_ids_; }
  // Requires a fitted model and ids.size() == num_items() with no id twice;
  // InvalidArgument otherwise.
  absl::Status SetItemIds(std::vector<std::string> ids);

  // Moves the model into the index space whose ids are `ids`: old index j
  // becomes to[j]. Requires a fitted model with known item_ids(),
  // to.size() == num_items(), the to[j] distinct and in [0, ids.size()), and
  // ids[to[j]] == item_ids()[j] (InvalidArgument otherwise, the model
  // unchanged). Indexes no old item moves to are items the model has not
  // seen: it scores them 0 and ignores them in histories, as if they were
  // newer than the model. Afterwards num_items() == ids.size() and every
  // score is the one the item had before (up to float summation order).
  absl::Status Reindex(const std::vector<int32_t>& to, std::vector<std::string> ids);

  absl::Status Save(const std::string& path) const;
  // The same bytes as a file written by Save() (models kept in the store).
  absl::StatusOr<std::string> Serialize() const;

 protected:
  friend void WriteModelRecord(const Model& model, BinaryWriter& out, bool with_ids);
  friend absl::StatusOr<std::unique_ptr<Model>> ReadModelRecord(BinaryReader& in, bool with_ids);
  // Model-specific state after the common header. ReadPayload must set the
  // reader's status (or return an error) on inconsistent data.
  virtual void WritePayload(BinaryWriter& out) const = 0;
  virtual absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) = 0;
  // The model-specific part of Reindex(), called with validated arguments.
  virtual void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) = 0;
  // ReindexItems() of another model (for models made of models).
  static void ReindexItemsOf(Model& part, const std::vector<int32_t>& to, int32_t num_items) {
    part.ReindexItems(to, num_items);
  }

  bool fitted_ = false;

 private:
  std::vector<std::string> item_ids_;
};

// Reads a file written by Model::Save().
absl::StatusOr<std::unique_ptr<Model>> LoadModel(const std::string& path);
// Reads bytes made by Model::Serialize() (or a Save()d file's contents).
absl::StatusOr<std::unique_ptr<Model>> ParseModel(std::string_view bytes);

// One model as Save() stores it after the file header: name, params, the item
// ids when `with_ids`, payload. Models made of models (BlendModel) store their
// parts with these, without ids (the whole carries them once).
// ReadModelRecord returns a fitted model, or DataLoss on inconsistent data.
void WriteModelRecord(const Model& model, BinaryWriter& out, bool with_ids);
absl::StatusOr<std::unique_ptr<Model>> ReadModelRecord(BinaryReader& in, bool with_ids);

// Model file format version written by this build.
// Version 2 added the item ids after the parameters.
inline constexpr uint32_t kModelFileVersion = 2;

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_MODEL_H_
