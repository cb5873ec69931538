// Model: the contract every recommendation model implements. A model is fit
// on a user x item InteractionMatrix, then scores all items for any history
// of (item index, weight) pairs — a known user's row or a brand-new user's
// few events — so serving never needs to retrain to react to a click.
//
//   auto model = tailor::recsys::CreateModel("ease");            // model_factory.h
//   RETURN_IF_ERROR((*model)->Fit(train, {{"l2", 500.0}}));
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
// - Save() writes a versioned binary file; LoadModel() reads any model kind
//   back and fails with DataLoss on a corrupt or foreign file and
//   FailedPrecondition on a version this build does not know.
#ifndef TAILOR_MODELS_RECSYS_MODEL_H_
#define TAILOR_MODELS_RECSYS_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>

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

  absl::Status Save(const std::string& path) const;

 protected:
  friend absl::StatusOr<std::unique_ptr<Model>> LoadModel(const std::string& path);
  // Model-specific state after the common header. ReadPayload must set the
  // reader's status (or return an error) on inconsistent data.
  virtual void WritePayload(BinaryWriter& out) const = 0;
  virtual absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) = 0;

  bool fitted_ = false;
};

// Reads a file written by Model::Save().
absl::StatusOr<std::unique_ptr<Model>> LoadModel(const std::string& path);

// Model file format version written by this build.
inline constexpr uint32_t kModelFileVersion = 1;

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_MODEL_H_
