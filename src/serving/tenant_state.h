// TenantState: one tenant's live, in-memory view for serving — dense item and
// user indexes, the catalogue facts filters need, every user's summed
// preference per item, and hourly interaction counts for trending. Events and
// catalogue changes are applied right after they commit, so the next answer
// already reflects them; models read histories from here instead of from SQL.
//
//   TenantState state;                       // default EventWeights
//   state.UpsertItem(item);
//   state.ApplyEvent({.user_id = "u1", .item_id = "i9", .type = "click", .timestamp = now});
//   UserHistory h = state.User("u1");        // h.preferences == {{idx(i9), 2}}
//
// Indexes are dense and never reused: an item or user keeps its index for the
// life of the state, deleted ones are marked, so model snapshots trained on
// an older state stay valid (newer indexes are simply out of their range).
// Indexes are private to one state: they follow arrival order while the
// server runs and store order when the state is rebuilt, so anything that
// outlives the state (a model file) keeps item ids, and MapItems() maps them
// back onto this state's indexes.
// Thread-safety: every method may be called concurrently (one shared mutex:
// readers share it, writers take it exclusively, briefly).
#ifndef TAILOR_SERVING_TENANT_STATE_H_
#define TAILOR_SERVING_TENANT_STATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/strings.h"
#include "domain/event.h"
#include "domain/item.h"
#include "models/recsys/interaction_matrix.h"
#include "serving/event_weights.h"

namespace tailor::serving {

// What filters and explanations need to know about an item.
struct ItemInfo {
  std::string id;
  std::string title;
  std::vector<std::string> categories;
  std::vector<std::string> tags;
  bool in_catalog = false;  // false: only named by events, or deleted
  bool available = true;
  std::optional<absl::Time> expires_at;

  bool ShowableAt(absl::Time now) const {
    return in_catalog && available && (!expires_at || *expires_at > now);
  }
  bool HasCategory(std::string_view category) const;
};

// A user's taste as models consume it.
struct UserHistory {
  bool known = false;              // the user has at least one event
  recsys::History preferences;     // positive summed weights, by item index
  std::vector<int32_t> negatives;  // items with a non-positive sum (sorted)
  std::vector<int32_t> recent;     // latest positively weighted items, newest last
  int64_t num_events = 0;

  bool Consumed(int32_t item) const;  // in preferences or negatives
};

// The fields of an event that serving state uses.
struct EventView {
  std::string_view user_id;
  std::string_view item_id;
  std::string_view type;
  std::optional<double> value;
  absl::Time timestamp;
};

struct ScoredIndex {
  int32_t item;
  float score;
};

// Interactions for a training run, with one held-out interaction per user
// for offline metrics (the most recent positive item of users with at least
// `min_positives_for_holdout` positives; it is absent from `train`).
struct TrainingSnapshot {
  int32_t num_users = 0;
  int32_t num_items = 0;
  std::vector<std::string> item_ids;  // item_ids[j]: the id of item column j
  std::vector<recsys::Triplet> train;
  std::vector<std::pair<int32_t, int32_t>> holdout;  // (user, item)
  int64_t num_events = 0;                            // events applied when the snapshot was taken
};

using StringIndex = StringMap<int32_t>;

// Where the items of another index space (a model's) sit in a state.
struct ItemMapping {
  std::vector<int32_t> to;  // to[j]: the state's index of the j-th id
  bool identity = false;    // to[j] == j for every j: nothing to move
  // Unless identity: the state's ids of indexes [0, max(to) + 1).
  std::vector<std::string> ids;
};

class TenantState {
 public:
  static constexpr size_t kRecentItems = 20;
  // Trending keeps this many hours of counts per item.
  static constexpr int32_t kTrendingHours = 90 * 24;
  static constexpr absl::Duration kTrendingCacheTtl = absl::Seconds(30);

  // `clock` bounds the tenant's "now": an event stamped in the future counts
  // as happening at clock.Now() for trending's anchor and pruning, so one
  // future event cannot age out hours of real counts.
  explicit TenantState(EventWeights weights = EventWeights(), const Clock& clock = Clock::Real());

  void UpsertItem(const domain::Item& item);
  void RemoveItem(std::string_view item_id);
  void ApplyEvent(const EventView& event);
  void ApplyEvents(const std::vector<domain::Event>& events);
  void RemoveUser(std::string_view user_id);

  const EventWeights& weights() const { return weights_; }
  // Calls fn with the item's catalogue facts under the read lock; not at all
  // for an item the state has never seen. fn must not call this state (the
  // lock is not reentrant).
  void WithItem(std::string_view item_id, const std::function<void(const ItemInfo&)>& fn) const;

  std::optional<int32_t> ItemIndex(std::string_view item_id) const;
  // The state's index of each of `ids`, interning the ids it has never seen
  // (as items known only by id: not in the catalogue, never shown), and the
  // state's ids of every index up to the largest one, in one critical
  // section. Duplicate ids map to the same index.
  ItemMapping MapItems(const std::vector<std::string>& ids);
  std::optional<int32_t> UserIndex(std::string_view user_id) const;
  // Unknown user: an empty history with known == false.
  UserHistory User(std::string_view user_id) const;
  // Calls fn with the catalogue (indexed by item index) under the read lock;
  // fn must not call this state (the lock is not reentrant).
  void ReadCatalog(const std::function<void(const std::vector<ItemInfo>&)>& fn) const;
  int32_t num_items() const;
  int64_t events_applied() const;

  // The `limit` items with the most time-decayed interaction weight within
  // `window` before the newest event (not the wall clock, so an imported
  // history still has a "now"; a future event counts as now), optionally in one category; only
  // items showable at `now`. Decay halves weight every window / 4. The ranking per (window,
  // category) is cached and recomputed when the newest event moves to another hour, when 1 % more
  // events arrived (at least one), or after kTrendingCacheTtl; showability is checked on every
  // call, so an item made unavailable disappears at once.
  std::vector<ScoredIndex> Trending(absl::Duration window, std::string_view category,
                                    absl::Time now, size_t limit) const;
  // All-time interaction weight per item (size num_items()).
  std::vector<float> Popularity() const;

  TrainingSnapshot Snapshot(int min_positives_for_holdout = 3) const;

 private:
  struct UserData {
    std::string id;
    std::vector<recsys::HistoryEntry> sums;  // by item index, any sign
    std::vector<int32_t> recent;
    int64_t num_events = 0;
  };
  struct TrendBucket {
    int32_t hour;
    float weight;
  };

  struct TrendingEntry {
    bool valid = false;
    int32_t anchor_hour = 0;
    int64_t events = 0;
    absl::Time computed_at;
    std::vector<ScoredIndex> ranked;  // every item with weight, best first
  };
  // Computes the ranking for (window, category).
  std::vector<ScoredIndex> RankTrendingLocked(absl::Duration window, std::string_view category,
                                              int32_t end_hour) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  int32_t ItemIndexLocked(std::string_view item_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets mapping.identity and, when it is not the identity, mapping.ids.
  void FinishMappingLocked(ItemMapping& mapping) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void ApplyLocked(const EventView& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  EventWeights weights_;
  mutable absl::Mutex mu_ ABSL_ACQUIRED_BEFORE(trending_mu_);
  std::vector<ItemInfo> items_ ABSL_GUARDED_BY(mu_);
  StringIndex item_index_ ABSL_GUARDED_BY(mu_);
  std::vector<UserData> users_ ABSL_GUARDED_BY(mu_);
  StringIndex user_index_ ABSL_GUARDED_BY(mu_);
  // Per item, by increasing hour.
  std::vector<std::vector<TrendBucket>> trend_ ABSL_GUARDED_BY(mu_);
  std::vector<float> popularity_ ABSL_GUARDED_BY(mu_);
  const Clock& clock_;
  // Never after clock_.Now() when set.
  absl::Time newest_event_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t events_applied_ ABSL_GUARDED_BY(mu_) = 0;
  mutable absl::Mutex trending_mu_;
  mutable std::map<std::pair<int64_t, std::string>, TrendingEntry> trending_cache_
      ABSL_GUARDED_BY(trending_mu_);
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_TENANT_STATE_H_
