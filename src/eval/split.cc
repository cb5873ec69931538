#include "eval/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "absl/strings/str_cat.h"

namespace tailor::eval {
namespace {

std::vector<std::vector<size_t>> ByUser(const Dataset& d) {
  std::vector<std::vector<size_t>> rows(static_cast<size_t>(d.num_users));
  for (size_t k = 0; k < d.interactions.size(); ++k) rows[d.interactions[k].user].push_back(k);
  return rows;
}

void Shuffle(std::vector<size_t>& v, Random& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.UniformInt(i)]);
}

std::vector<int32_t> SortedUnique(std::vector<int32_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Weak generalization: cases for the given held-out items per user, history =
// the user's training row.
void AddWeakCases(EvalSplit& s, std::vector<std::vector<int32_t>>& heldout) {
  recsys::InteractionMatrix x = s.train.ToMatrix();
  for (int32_t u = 0; u < static_cast<int32_t>(heldout.size()); ++u) {
    if (heldout[u].empty()) continue;
    EvalCase c;
    c.user = u;
    c.history = recsys::RowHistory(x, u);
    c.relevant = SortedUnique(std::move(heldout[u]));
    s.cases.push_back(std::move(c));
  }
}

Dataset EmptyLike(const Dataset& d) {
  Dataset out;
  out.num_users = d.num_users;
  out.num_items = d.num_items;
  out.user_ids = d.user_ids;
  out.item_ids = d.item_ids;
  return out;
}

}  // namespace

absl::StatusOr<ProtocolSpec> ParseProtocol(const std::string& name, int num_negatives) {
  ProtocolSpec p;
  if (name == "loo") {
    p.kind = ProtocolKind::kLeaveLastOut;
    p.num_negatives = num_negatives;
  } else if (name == "loo-all") {
    p.kind = ProtocolKind::kLeaveLastOut;
    p.num_negatives = 0;
  } else if (name == "holdout") {
    p.kind = ProtocolKind::kRandomHoldout;
  } else if (name == "temporal") {
    p.kind = ProtocolKind::kTemporalHoldout;
  } else if (name == "strong") {
    p.kind = ProtocolKind::kStrongGeneralization;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown protocol '", name, "'"));
  }
  return p;
}

EvalSplit MakeSplit(const Dataset& data, const ProtocolSpec& spec, Random& rng) {
  EvalSplit s;
  s.train = EmptyLike(data);
  std::vector<std::vector<size_t>> rows = ByUser(data);
  std::vector<std::vector<int32_t>> heldout(static_cast<size_t>(data.num_users));
  auto by_time = [&](size_t a, size_t b) {
    return data.interactions[a].timestamp < data.interactions[b].timestamp ||
           (data.interactions[a].timestamp == data.interactions[b].timestamp && a < b);
  };

  if (spec.kind == ProtocolKind::kStrongGeneralization) {
    std::vector<size_t> users(static_cast<size_t>(data.num_users));
    std::iota(users.begin(), users.end(), 0);
    Shuffle(users, rng);
    const size_t n_out = static_cast<size_t>(std::llround(spec.heldout_users_fraction * users.size()));
    std::vector<char> is_out(users.size(), 0);
    for (size_t k = 0; k < n_out && k < users.size(); ++k) is_out[users[k]] = 1;
    for (size_t u = 0; u < rows.size(); ++u) {
      if (!is_out[u]) {
        for (size_t k : rows[u]) s.train.interactions.push_back(data.interactions[k]);
      }
    }
    for (size_t k = 0; k < n_out && k < users.size(); ++k) {  // shuffled order, deterministic
      std::vector<size_t> r = rows[users[k]];
      if (r.size() < 2) continue;
      Shuffle(r, rng);
      size_t n_test = std::clamp<size_t>(
          static_cast<size_t>(std::llround(spec.holdout_fraction * r.size())), 1, r.size() - 1);
      EvalCase c;
      std::vector<int32_t> rel;
      std::unordered_set<int32_t> test_items;
      for (size_t j = 0; j < n_test; ++j) {
        rel.push_back(data.interactions[r[j]].item);
        test_items.insert(data.interactions[r[j]].item);
      }
      for (size_t j = n_test; j < r.size(); ++j) {
        const Interaction& x = data.interactions[r[j]];
        if (!test_items.contains(x.item)) c.history.push_back({x.item, x.value});
      }
      c.relevant = SortedUnique(std::move(rel));
      s.cases.push_back(std::move(c));
    }
    return s;
  }

  for (size_t u = 0; u < rows.size(); ++u) {
    std::vector<size_t> r = rows[u];
    size_t n_test = 0;
    if (r.size() >= 2) {
      if (spec.kind == ProtocolKind::kRandomHoldout) {
        Shuffle(r, rng);
      } else {
        std::sort(r.begin(), r.end(), by_time);
        std::reverse(r.begin(), r.end());  // latest first
      }
      n_test = spec.kind == ProtocolKind::kLeaveLastOut
                   ? 1
                   : std::clamp<size_t>(static_cast<size_t>(std::llround(spec.holdout_fraction * r.size())),
                                        1, r.size() - 1);
    }
    std::unordered_set<int32_t> test_items;
    for (size_t j = 0; j < n_test; ++j) {
      heldout[u].push_back(data.interactions[r[j]].item);
      test_items.insert(data.interactions[r[j]].item);
    }
    // A repeated pair stays on the test side only (data should be merged first).
    for (size_t j = n_test; j < r.size(); ++j) {
      if (!test_items.contains(data.interactions[r[j]].item)) s.train.interactions.push_back(data.interactions[r[j]]);
    }
  }
  std::sort(s.train.interactions.begin(), s.train.interactions.end(),
            [](const Interaction& a, const Interaction& b) {
              return a.user < b.user || (a.user == b.user && a.timestamp < b.timestamp);
            });
  AddWeakCases(s, heldout);

  if (spec.kind == ProtocolKind::kLeaveLastOut && spec.num_negatives > 0) {
    for (EvalCase& c : s.cases) {
      std::unordered_set<int32_t> seen;
      for (size_t k : rows[c.user]) seen.insert(data.interactions[k].item);
      const int64_t available = static_cast<int64_t>(data.num_items) - static_cast<int64_t>(seen.size());
      const int64_t want = std::min<int64_t>(spec.num_negatives, available);
      std::unordered_set<int32_t> chosen;
      while (static_cast<int64_t>(chosen.size()) < want) {
        int32_t i = static_cast<int32_t>(rng.UniformInt(static_cast<uint64_t>(data.num_items)));
        if (!seen.contains(i) && chosen.insert(i).second) c.candidates.push_back(i);
      }
      c.candidates.insert(c.candidates.end(), c.relevant.begin(), c.relevant.end());
    }
  }
  return s;
}

EvalSplit MakeGivenSplit(const SplitData& data) {
  EvalSplit s;
  s.train = data.train;
  std::vector<std::vector<int32_t>> heldout(static_cast<size_t>(data.train.num_users));
  for (const Interaction& x : data.test) heldout[x.user].push_back(x.item);
  AddWeakCases(s, heldout);
  for (EvalCase& c : s.cases) {
    if (static_cast<size_t>(c.user) < data.negatives.size() && !data.negatives[c.user].empty()) {
      c.candidates = data.negatives[c.user];
      c.candidates.insert(c.candidates.end(), c.relevant.begin(), c.relevant.end());
    }
  }
  return s;
}

EvalSplit MakeValidationSplit(const EvalSplit& split, const ProtocolSpec& spec, Random& rng) {
  return MakeSplit(split.train, spec, rng);
}

}  // namespace tailor::eval
