// TrainingScheduler: one low-priority worker thread that runs queued jobs
// (on demand, whatever the background setting) and, with background
// training on, also queues each tenant's work itself: at once for a tenant
// without models, then when its data grew by a ratio, after a count of new
// events, or when its models are old. It never blocks requests.
//
// In a cluster, recommendation models are trained by one node at a time per
// tenant: a job that fits one holds the tenant's "trainer" lease in the
// store (storage::Leases), renewed by a second thread every third of its
// ttl while the fit runs, and released when the node's last such job ends.
// A scheduled round starts only on the node that wins the lease, and only if
// the models the store holds (another node may have just published) are
// still due; an on-demand job waits, queued, while another node trains.
// When the trainer dies its lease lapses after the ttl and the next node
// whose pass finds the models due takes over (within ttl + poll). The
// insights models and the content index are per node (cheap, rebuilt from
// the store) and are refreshed on every node on its own schedule.
//
//   TrainingScheduler scheduler(engine, clock, {.node_id = "node-a"});
//   scheduler.Start();                                     // the worker
//   scheduler.Enqueue(tenant, "ials", {{"factors", 32}});  // POST /v1/models/ials/train
//
// Thread-safety: every method may be called from any thread.
#ifndef TAILOR_JOBS_TRAINING_SCHEDULER_H_
#define TAILOR_JOBS_TRAINING_SCHEDULER_H_

#include <boost/json.hpp>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "serving/engine.h"
#include "storage/lease.h"

namespace tailor::jobs {

// The lease a node holds while it trains a tenant's models.
inline constexpr char kTrainerLease[] = "trainer";

struct SchedulerOptions {
  // Whether the worker queues trainings itself (ScheduleDue). Off, it runs
  // only the jobs queued through Enqueue.
  bool background = true;
  // This process's name in the trainer lease (unique in the cluster).
  std::string node_id = "local";
  // How long a trainer lease lasts without renewal: a dead trainer's
  // tenants are taken over after at most this (plus one poll).
  absl::Duration lease_ttl = absl::Seconds(20);
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
  // Why a queued job waits (another node holds the tenant's trainer lease).
  std::string waiting;
  std::optional<serving::ModelRecord> record;
  absl::Time queued_at;
  absl::Time finished_at;
  // Queued by ScheduleDue under the trainer lease it took (not on demand).
  bool scheduled = false;

  boost::json::object ToJson() const;
};

class TrainingScheduler {
 public:
  TrainingScheduler(serving::Engine& engine, Clock& clock, SchedulerOptions options);
  ~TrainingScheduler();

  void Start();
  // Finishes the running job, drops the queue, joins the threads.
  void Stop();
  // Stop(), but gives up waiting after `grace` and returns false while a fit
  // is still running (the thread then keeps running; see tailor serve).
  bool StopWithin(absl::Duration grace);

  // Queues one model for the tenant. NotFound for an unknown model.
  absl::StatusOr<Job> Enqueue(domain::TenantId tenant, const std::string& model,
                              boost::json::object params);
  // The tenant's recent jobs on this node, newest first (the last 50 kept).
  std::vector<Job> Jobs(domain::TenantId tenant) const;
  // Runs every queued job on the calling thread (CLI and tests); returns
  // when the queue is empty or holds only jobs waiting for another node.
  void RunQueued();
  // Queues, for every tenant that is due (see SchedulerOptions): insights
  // and the content index (this node's), and the recommendation models
  // when this node wins the tenant's trainer lease and the stored models
  // are still due. The worker calls it when the queue is empty and
  // background is on; tests call it with RunQueued. Returns how many
  // tenants got jobs.
  int ScheduleDue();

 private:
  // Whether a tenant that applied `applied` events, last trained (or was
  // last queued) at `last`, with models trained at the latest at `newest`
  // (none: `never`), is due.
  bool Due(int64_t applied, int64_t last, bool never, absl::Time newest) const;
  // Holds the tenant's trainer lease for one more job of this node (taking
  // it from the store for the first); false when another node holds it.
  bool HoldTrainer(domain::TenantId tenant);
  void UnholdTrainer(domain::TenantId tenant);
  // Renews every lease this node holds, every third of the ttl.
  void RenewLoop();
  void Loop();
  // Runs one job; false when it must wait (requeued) for another node.
  bool RunJob(int64_t id);
  bool IsModel(const std::string& name) const;
  // Enqueue; a `scheduled` job takes one more hold of the tenant's trainer
  // lease, which the caller holds.
  absl::StatusOr<Job> Push(domain::TenantId tenant, const std::string& model,
                           boost::json::object params, bool scheduled);

  serving::Engine& engine_;
  Clock& clock_;
  const SchedulerOptions options_;
  storage::Leases leases_;
  // Serialises taking, renewing and releasing the trainer lease with the
  // hold counts they follow; before mu_.
  absl::Mutex lease_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool loop_done_ ABSL_GUARDED_BY(mu_) = false;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::deque<int64_t> queue_ ABSL_GUARDED_BY(mu_);
  std::deque<Job> jobs_ ABSL_GUARDED_BY(mu_);  // newest last
  // Jobs of this node holding each tenant's trainer lease.
  std::map<domain::TenantId, int> held_ ABSL_GUARDED_BY(mu_);
  // events_applied() when this node last queued a tenant's models.
  std::map<domain::TenantId, int64_t> models_queued_at_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
  std::thread renewer_;
};

}  // namespace tailor::jobs

#endif  // TAILOR_JOBS_TRAINING_SCHEDULER_H_
