#include "recommend/explanations.h"

#include "common/strings.h"

namespace tailor::recommend {

namespace {

// The recent item whose content is closest to `item` (not `item` itself).
Reason ContentReason(const ExplainContext& c, int32_t item) {
  int32_t best = -1;
  float best_sim = 0.0f;
  int looked = 0;
  for (auto it = c.history.recent.rbegin(); c.content != nullptr && it != c.history.recent.rend() && looked < 10;
       ++it, ++looked) {
    if (*it == item) continue;
    std::vector<float> sim = c.content->ScoreProfile({{*it, 1.0f}});
    if (item < static_cast<int32_t>(sim.size()) && sim[item] > best_sim) {
      best_sim = sim[item];
      best = *it;
    }
  }
  if (best < 0 || best >= static_cast<int32_t>(c.items.size())) {
    return {"similar_content", "", "similar in content to what you engaged with"};
  }
  return {"similar_content", c.items[best].id, StrCat("similar in content to ", Quote(c.items[best]))};
}

// Row `item` of W^T lists the items supporting it, sorted like the history:
// one merge finds the strongest supporter the user has.
Reason ModelReason(const ExplainContext& c, int32_t item) {
  int32_t best = -1;
  float best_w = 0.0f;
  if (c.supporters != nullptr && item < c.supporters->rows()) {
    auto h = c.history.preferences.begin();
    for (recsys::SimilarityMatrix::InnerIterator it(*c.supporters, item); it; ++it) {
      while (h != c.history.preferences.end() && h->item < it.col()) ++h;
      if (h == c.history.preferences.end()) break;
      if (h->item == it.col() && it.value() > best_w) {
        best_w = it.value();
        best = h->item;
      }
    }
  }
  if (best >= 0 && best < static_cast<int32_t>(c.items.size())) {
    return {"because_you", c.items[best].id, StrCat("because you engaged with ", Quote(c.items[best]))};
  }
  return {"collaborative", "", "people with tastes like yours engaged with this"};
}

}  // namespace

std::string Quote(const serving::ItemInfo& item) {
  return StrCat("\u201c", item.title.empty() ? item.id : item.title, "\u201d");
}

Reason TrendingReason(const std::string& category) {
  return {"trending", "", category.empty() ? "trending now" : StrCat("trending in ", category)};
}

Reason ExplainItem(const ExplainContext& context, Strategy strategy, int32_t item) {
  switch (strategy) {
    case Strategy::kModel:
      return ModelReason(context, item);
    case Strategy::kContent:
      return ContentReason(context, item);
    case Strategy::kTrending:
      return TrendingReason(context.category);
    case Strategy::kPopularity:
      return {"popular", "", "popular with everyone"};
    case Strategy::kNone:
      break;
  }
  return {"none", "", "nothing is known about this item for you yet"};
}

}  // namespace tailor::recommend
