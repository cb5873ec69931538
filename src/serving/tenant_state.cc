#include "serving/tenant_state.h"

#include <algorithm>
#include <cmath>

namespace tailor::serving {

namespace {

int32_t HourOf(absl::Time t) { return static_cast<int32_t>(absl::ToUnixSeconds(t) / 3600); }

// The entry for `item` in a vector sorted by item, inserted when absent.
recsys::HistoryEntry& EntryFor(std::vector<recsys::HistoryEntry>& sums, int32_t item) {
  auto it = std::lower_bound(sums.begin(), sums.end(), item,
                             [](const recsys::HistoryEntry& e, int32_t i) { return e.item < i; });
  if (it == sums.end() || it->item != item) it = sums.insert(it, {item, 0.0f});
  return *it;
}

}  // namespace

bool ItemInfo::HasCategory(std::string_view category) const {
  return std::find(categories.begin(), categories.end(), category) != categories.end();
}

bool UserHistory::Consumed(int32_t item) const {
  auto it = std::lower_bound(preferences.begin(), preferences.end(), item,
                             [](const recsys::HistoryEntry& e, int32_t i) { return e.item < i; });
  if (it != preferences.end() && it->item == item) return true;
  return std::binary_search(negatives.begin(), negatives.end(), item);
}

TenantState::TenantState(EventWeights weights, const Clock& clock)
    : weights_(std::move(weights)), clock_(clock) {}

int32_t TenantState::ItemIndexLocked(std::string_view item_id) {
  auto it = item_index_.find(item_id);
  if (it != item_index_.end()) return it->second;
  int32_t index = static_cast<int32_t>(items_.size());
  items_.emplace_back();
  items_.back().id = std::string(item_id);
  trend_.emplace_back();
  popularity_.push_back(0.0f);
  item_index_.emplace(std::string(item_id), index);
  return index;
}

void TenantState::UpsertItem(const domain::Item& item) {
  absl::WriterMutexLock lock(&mu_);
  ItemInfo& info = items_[ItemIndexLocked(item.id)];
  info.title = item.title;
  info.categories = item.categories;
  info.tags = item.tags;
  info.in_catalog = true;
  info.available = item.available;
  info.expires_at = item.expires_at;
}

void TenantState::WithItem(std::string_view item_id,
                           const std::function<void(const ItemInfo&)>& fn) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = item_index_.find(item_id);
  if (it != item_index_.end()) fn(items_[it->second]);
}

void TenantState::RemoveItem(std::string_view item_id) {
  absl::WriterMutexLock lock(&mu_);
  auto it = item_index_.find(item_id);
  if (it != item_index_.end()) items_[it->second].in_catalog = false;
}

void TenantState::ApplyEvent(const EventView& event) {
  absl::WriterMutexLock lock(&mu_);
  ApplyLocked(event);
}

void TenantState::ApplyEvents(const std::vector<domain::Event>& events) {
  absl::WriterMutexLock lock(&mu_);
  for (const domain::Event& e : events) {
    ApplyLocked({e.user_id, e.item_id, e.type, e.value, e.timestamp});
  }
}

void TenantState::ApplyLocked(const EventView& event) {
  ++events_applied_;
  auto [uit, inserted] =
      user_index_.try_emplace(event.user_id, static_cast<int32_t>(users_.size()));
  if (inserted) {
    users_.emplace_back();
    users_.back().id = std::string(event.user_id);
  }
  UserData& user = users_[uit->second];
  ++user.num_events;
  if (event.timestamp > newest_event_) newest_event_ = std::min(event.timestamp, clock_.Now());
  if (event.item_id.empty()) return;
  float weight = weights_.Weight(event.type, event.value);
  if (weight == 0.0f) return;
  int32_t item = ItemIndexLocked(event.item_id);
  EntryFor(user.sums, item).weight += weight;
  if (weight <= 0.0f) return;
  auto r = std::find(user.recent.begin(), user.recent.end(), item);
  if (r != user.recent.end()) user.recent.erase(r);
  user.recent.push_back(item);
  if (user.recent.size() > kRecentItems) user.recent.erase(user.recent.begin());
  popularity_[item] += weight;
  // Hourly trending buckets; events arrive nearly in time order, so the
  // bucket is almost always the last one.
  std::vector<TrendBucket>& buckets = trend_[item];
  int32_t hour = HourOf(event.timestamp);
  auto b = std::lower_bound(buckets.begin(), buckets.end(), hour,
                            [](const TrendBucket& x, int32_t h) { return x.hour < h; });
  if (b != buckets.end() && b->hour == hour) {
    b->weight += weight;
  } else {
    buckets.insert(b, {hour, weight});
  }
  int32_t oldest = HourOf(newest_event_) - kTrendingHours;
  if (!buckets.empty() && buckets.front().hour < oldest) {
    auto keep = std::lower_bound(buckets.begin(), buckets.end(), oldest,
                                 [](const TrendBucket& x, int32_t h) { return x.hour < h; });
    buckets.erase(buckets.begin(), keep);
  }
}

void TenantState::RemoveUser(std::string_view user_id) {
  absl::WriterMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end()) return;
  UserData& user = users_[it->second];
  user.sums.clear();
  user.recent.clear();
  user.num_events = 0;
  // The index stays reserved; the id map forgets it so a returning user
  // starts fresh under a new index.
  user_index_.erase(it);
}

std::optional<int32_t> TenantState::ItemIndex(std::string_view item_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = item_index_.find(item_id);
  if (it == item_index_.end()) return std::nullopt;
  return it->second;
}

void TenantState::FinishMappingLocked(ItemMapping& mapping) const {
  int32_t top = -1;
  bool identity = true;
  for (size_t j = 0; j < mapping.to.size(); ++j) {
    top = std::max(top, mapping.to[j]);
    identity = identity && mapping.to[j] == static_cast<int32_t>(j);
  }
  mapping.identity = identity;
  if (identity) return;
  mapping.ids.reserve(static_cast<size_t>(top + 1));
  for (int32_t i = 0; i <= top; ++i) mapping.ids.push_back(items_[i].id);
}

ItemMapping TenantState::MapItems(const std::vector<std::string>& ids) {
  ItemMapping out;
  out.to.assign(ids.size(), -1);
  bool missing = false;
  {
    // Usually every id is known: readers keep going meanwhile.
    absl::ReaderMutexLock lock(&mu_);
    for (size_t j = 0; j < ids.size(); ++j) {
      auto it = item_index_.find(ids[j]);
      if (it == item_index_.end()) {
        missing = true;
      } else {
        out.to[j] = it->second;
      }
    }
    if (!missing) {
      FinishMappingLocked(out);
      return out;
    }
  }
  absl::WriterMutexLock lock(&mu_);  // indexes found above stay valid: never reused
  for (size_t j = 0; j < ids.size(); ++j) {
    if (out.to[j] < 0) out.to[j] = ItemIndexLocked(ids[j]);
  }
  FinishMappingLocked(out);
  return out;
}

std::optional<int32_t> TenantState::UserIndex(std::string_view user_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end()) return std::nullopt;
  return it->second;
}

UserHistory TenantState::User(std::string_view user_id) const {
  UserHistory out;
  absl::ReaderMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end()) return out;
  const UserData& user = users_[it->second];
  out.known = true;
  out.num_events = user.num_events;
  out.recent = user.recent;
  out.preferences.reserve(user.sums.size());
  for (const recsys::HistoryEntry& e : user.sums) {
    if (e.weight > 0.0f) {
      out.preferences.push_back(e);
    } else {
      out.negatives.push_back(e.item);
    }
  }
  // `recent` only lists items still liked.
  std::erase_if(out.recent, [&](int32_t i) {
    return std::binary_search(out.negatives.begin(), out.negatives.end(), i);
  });
  return out;
}

void TenantState::ReadCatalog(const std::function<void(const std::vector<ItemInfo>&)>& fn) const {
  absl::ReaderMutexLock lock(&mu_);
  fn(items_);
}

int32_t TenantState::num_items() const {
  absl::ReaderMutexLock lock(&mu_);
  return static_cast<int32_t>(items_.size());
}

int64_t TenantState::events_applied() const {
  absl::ReaderMutexLock lock(&mu_);
  return events_applied_;
}

std::vector<ScoredIndex> TenantState::RankTrendingLocked(absl::Duration window,
                                                         std::string_view category,
                                                         int32_t end_hour) const {
  std::vector<ScoredIndex> out;
  double window_hours = std::max(1.0, absl::ToDoubleHours(window));
  int32_t start_hour = end_hour - static_cast<int32_t>(std::ceil(window_hours)) + 1;
  double decay = std::log(2.0) / std::max(1.0, window_hours / 4.0);
  for (size_t i = 0; i < items_.size(); ++i) {
    const std::vector<TrendBucket>& buckets = trend_[i];
    if (buckets.empty() || buckets.back().hour < start_hour) continue;
    if (!category.empty() && !items_[i].HasCategory(category)) continue;
    double score = 0.0;
    for (auto b = buckets.rbegin(); b != buckets.rend() && b->hour >= start_hour; ++b) {
      if (b->hour > end_hour) continue;
      score += b->weight * std::exp(-decay * (end_hour - b->hour));
    }
    if (score > 0.0) out.push_back({static_cast<int32_t>(i), static_cast<float>(score)});
  }
  // Equal weights are ordered by item id, not index: indexes differ between
  // a running state and one rebuilt at start, ids do not.
  std::sort(out.begin(), out.end(),
            [&](const ScoredIndex& a, const ScoredIndex& b) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
              return a.score != b.score ? a.score > b.score : items_[a.item].id < items_[b.item].id;
            });
  return out;
}

std::vector<ScoredIndex> TenantState::Trending(absl::Duration window, std::string_view category,
                                               absl::Time now, size_t limit) const {
  std::vector<ScoredIndex> out;
  absl::ReaderMutexLock lock(&mu_);
  if (newest_event_ == absl::InfinitePast()) return out;
  int32_t end_hour = HourOf(std::min(newest_event_, now));
  std::pair<int64_t, std::string> key(absl::ToInt64Seconds(window), std::string(category));
  absl::MutexLock cache_lock(&trending_mu_);
  TrendingEntry& entry = trending_cache_[key];
  int64_t tolerance = std::max<int64_t>(1, events_applied_ / 100);
  if (!entry.valid || entry.anchor_hour != end_hour ||
      events_applied_ - entry.events >= tolerance || now - entry.computed_at >= kTrendingCacheTtl ||
      now < entry.computed_at) {
    entry.ranked = RankTrendingLocked(window, category, end_hour);
    entry.anchor_hour = end_hour;
    entry.events = events_applied_;
    entry.computed_at = now;
    entry.valid = true;
  }
  for (const ScoredIndex& s : entry.ranked) {
    if (out.size() >= limit) break;
    if (items_[s.item].ShowableAt(now)) out.push_back(s);
  }
  return out;
}

std::vector<float> TenantState::Popularity() const {
  absl::ReaderMutexLock lock(&mu_);
  return popularity_;
}

TrainingSnapshot TenantState::Snapshot(int min_positives_for_holdout) const {
  TrainingSnapshot snap;
  absl::ReaderMutexLock lock(&mu_);
  snap.num_users = static_cast<int32_t>(users_.size());
  snap.num_items = static_cast<int32_t>(items_.size());
  snap.num_events = events_applied_;
  snap.item_ids.reserve(items_.size());
  for (const ItemInfo& item : items_) snap.item_ids.push_back(item.id);
  for (int32_t u = 0; u < snap.num_users; ++u) {
    const UserData& user = users_[u];
    int positives = 0;
    for (const recsys::HistoryEntry& e : user.sums) positives += e.weight > 0.0f;
    int32_t held = -1;
    if (positives >= min_positives_for_holdout && !user.recent.empty()) held = user.recent.back();
    for (const recsys::HistoryEntry& e : user.sums) {
      if (e.weight <= 0.0f) continue;
      if (e.item == held) {
        snap.holdout.emplace_back(u, e.item);
      } else {
        snap.train.emplace_back(u, e.item, e.weight);
      }
    }
  }
  return snap;
}

}  // namespace tailor::serving
