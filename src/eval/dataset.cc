#include "eval/dataset.h"

#include <algorithm>
#include <map>

namespace tailor::eval {

recsys::InteractionMatrix Dataset::ToMatrix() const {
  std::vector<recsys::Triplet> t;
  t.reserve(interactions.size());
  for (const Interaction& x : interactions) t.emplace_back(x.user, x.item, x.value);
  return recsys::BuildInteractionMatrix(num_users, num_items, t);
}

int32_t IdMap::Intern(std::string_view id) {
  auto [it, inserted] = index_.try_emplace(std::string(id), static_cast<int32_t>(ids_.size()));
  if (inserted) ids_.emplace_back(id);
  return it->second;
}

void FilterAndBinarize(Dataset& d, std::optional<double> min_value, bool binarize) {
  if (min_value.has_value()) {
    std::erase_if(d.interactions, [&](const Interaction& x) { return x.value < *min_value; });
  }
  if (binarize) {
    for (Interaction& x : d.interactions) x.value = 1.0f;
  }
}

void MergeDuplicates(Dataset& d) {
  std::map<std::pair<int32_t, int32_t>, size_t> first;
  std::vector<Interaction> out;
  out.reserve(d.interactions.size());
  for (const Interaction& x : d.interactions) {
    auto [it, inserted] = first.try_emplace({x.user, x.item}, out.size());
    if (inserted) {
      out.push_back(x);
    } else {
      Interaction& kept = out[it->second];
      kept.value = std::max(kept.value, x.value);
      kept.timestamp = std::max(kept.timestamp, x.timestamp);
    }
  }
  d.interactions = std::move(out);
}

}  // namespace tailor::eval
