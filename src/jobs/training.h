// Training jobs: fit a recommendation model on a tenant's live state, measure
// it offline, publish it to the tenant's registry (persisted, hot-swapped),
// and the scheduler whose one low-priority worker thread runs queued jobs
// (on demand, whatever the background setting) and, with background
// training on, also queues the tenant's models itself: at once for a tenant
// without models, then when its data grew by a ratio, after a count of new
// events, or when its models are old. It never blocks requests.
//
//   absl::StatusOr<ModelRecord> r = TrainModel(*runtime, "ease", {}, clock);
//   TrainingScheduler scheduler(engine, clock, {.retrain_after_events = 10000});
//   scheduler.Start();                                  // the worker
//   scheduler.Enqueue(tenant, "ials", {{"factors", 32}});  // POST /v1/models/ials/train
//
// Offline metrics: the most recent positive item of every user with at least
// three positives is held out of training; the fitted model scores each such
// user's remaining history and the held-out item is ranked against all items
// the user has not consumed (HR@10, NDCG@10, over up to kMetricUsers users
// drawn with a fixed seed). The served model is that same fit: serving scores
// from live histories, so the held-out interaction still counts at serving.
#ifndef TAILOR_JOBS_TRAINING_H_
#define TAILOR_JOBS_TRAINING_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

struct SchedulerOptions {
  // Whether the worker queues trainings itself (ScheduleDue). Off, it runs
  // only the jobs queued through Enqueue.
  bool background = true;
  // Retrain a tenant whose state changed when its newest model is this old...
  absl::Duration interval = absl::Hours(6);
  // ...or as soon as this many events arrived since the last training...
  int64_t retrain_after_events = 10000;
  // ...or once the events since the last training reach this multiple of
  // the events that training saw (1: the data doubled) and at least
  // retrain_min_events. So a tenant whose first model was fitted on a
  // handful of events is refitted as its data grows, while the cost of
  // retraining stays proportional to the data (geometric growth). > 0.
  double retrain_growth = 1.0;
  int64_t retrain_min_events = 100;
  std::vector<std::string> models = {"popularity", "itemknn", "ease", "ials"};
  absl::Duration poll = absl::Seconds(1);
  int nice = 10;  // the training thread's scheduling niceness
};

struct Job {
  int64_t id = 0;
  domain::TenantId tenant = 0;
  std::string model;  // a model name, "content" or "insights"
  boost::json::object params;
  std::string state = "queued";  // queued, running, succeeded, failed
  std::string error;
  std::optional<serving::ModelRecord> record;
  absl::Time queued_at;
  absl::Time finished_at;

  boost::json::object ToJson() const;
};

class TrainingScheduler {
 public:
  TrainingScheduler(serving::Engine& engine, Clock& clock, SchedulerOptions options);
  ~TrainingScheduler();

  void Start();
  // Finishes the running job, drops the queue, joins the thread.
  void Stop();
  // Stop(), but gives up waiting after `grace` and returns false while a fit
  // is still running (the thread then keeps running; see tailor serve).
  bool StopWithin(absl::Duration grace);

  // Queues one model for the tenant. InvalidArgument for an unknown model.
  absl::StatusOr<Job> Enqueue(domain::TenantId tenant, const std::string& model,
                              boost::json::object params);
  // The tenant's recent jobs, newest first (the last 50 kept per scheduler).
  std::vector<Job> Jobs(domain::TenantId tenant) const;
  // Runs every queued job on the calling thread (CLI and tests).
  void RunQueued();
  // Queues insights, the default models and the content index for every
  // tenant that is due (see SchedulerOptions): one that has events but no
  // model, or whose events grew enough since its last scheduled training,
  // or whose newest model is older than the interval. The worker calls it
  // when the queue is empty and background is on; tests call it with
  // RunQueued. Returns how many tenants were queued.
  int ScheduleDue();

 private:
  void Loop();
  void RunJob(int64_t id);

  serving::Engine& engine_;
  Clock& clock_;
  SchedulerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool loop_done_ = false;
  int64_t next_id_ = 1;
  std::deque<int64_t> queue_;
  std::deque<Job> jobs_;  // newest last
  std::thread thread_;
};

}  // namespace tailor::jobs

#endif  // TAILOR_JOBS_TRAINING_H_
