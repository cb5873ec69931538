// Training: fit a recommendation model on a tenant's live state, measure it
// offline, publish it to the tenant's registry (stored, hot-swapped on every
// node). The scheduler that decides when is in training_scheduler.h.
//
//   absl::StatusOr<ModelRecord> r = TrainModel(*runtime, "ease", {}, clock);
//
// Offline metrics: the most recent positive item of every user with at least
// three positives is held out of training; the fitted model scores each such
// user's remaining history and the held-out item is ranked against all items
// the user has not consumed (HR@10, NDCG@10, over up to kMetricUsers users
// drawn with a fixed seed). The served model is that same fit: serving scores
// from live histories, so the held-out interaction still counts at serving.
#ifndef TAILOR_JOBS_TRAINING_H_
#define TAILOR_JOBS_TRAINING_H_

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "models/recsys/interaction_matrix.h"
#include "serving/engine.h"

namespace tailor::jobs {

inline constexpr int kMetricUsers = 2000;

// Catalogues above this size are not trained with EASE (its item x item
// matrix grows with the square of the catalogue).
inline constexpr int32_t kEaseMaxItems = 20000;

// A model is served only when its training data (after the offline
// hold-out) holds at least this many users and items with interactions:
// below that, "people who engaged with X also engaged with Y" rests on one
// or two people and a model's ranking is noise next to content similarity
// and popularity. Otherwise it is registered with
// ModelRecord::insufficient_data and requests use the fallback chain.
// The rule is on the data, not the model, so every model of one training
// round agrees, and a retrain on grown data (SchedulerOptions) lifts it.
inline constexpr int32_t kMinTrainingUsers = 10;
inline constexpr int32_t kMinTrainingItems = 5;

// Why a model fitted on `train` is too small to serve (a sentence naming
// the counts); empty when it is not.
std::string InsufficientData(const recsys::InteractionMatrix& train);

// The parameters serving uses for `model` when a request names none
// (merged under the caller's: the caller's keys win).
boost::json::object DefaultParams(const std::string& model);

// Fits, evaluates and publishes one model. InvalidArgument for an unknown
// model or bad params, FailedPrecondition when the tenant has no
// interactions or the catalogue is too large for the model.
absl::StatusOr<serving::ModelRecord> TrainModel(serving::TenantRuntime& tenant,
                                                const std::string& model,
                                                const boost::json::object& params, Clock& clock);

// Indexes the text of the store's catalogue (title, text, tags, categories)
// for content similarity and swaps it into the tenant's registry, through
// tenant.content (items written while the store is read are kept).
absl::Status BuildContentIndex(serving::TenantRuntime& tenant, storage::Store& store);
// Same from documents already indexed by item index (docs[i] is item i);
// they replace every document of tenant.content.
absl::Status BuildContentIndexFromDocs(serving::TenantRuntime& tenant,
                                       const std::vector<text::ContentDocument>& docs);

}  // namespace tailor::jobs

#endif  // TAILOR_JOBS_TRAINING_H_
