#include "recommend/diversify.h"

#include <algorithm>
#include <limits>

#include "serving/served_model.h"

namespace tailor::recommend {

const recsys::SimilarityMatrix* KnnMatrix(const serving::ModelSet& set) {
  const serving::ServingModel* knn = serving::ServedModel(set, "itemknn");
  if (knn == nullptr) return nullptr;
  const auto* m = dynamic_cast<const recsys::ItemSimilarityModel*>(knn->model.get());
  return m == nullptr ? nullptr : &m->similarity();
}

float Coeff(const recsys::SimilarityMatrix& w, int32_t row, int32_t col) {
  if (row < 0 || col < 0 || row >= w.rows() || col >= w.cols()) return 0.0f;
  const int32_t* begin = w.innerIndexPtr() + w.outerIndexPtr()[row];
  const int32_t* end = w.innerIndexPtr() + w.outerIndexPtr()[row + 1];
  const int32_t* it = std::lower_bound(begin, end, col);
  if (it == end || *it != col) return 0.0f;
  return w.valuePtr()[it - w.innerIndexPtr()];
}

float CategoryOverlap(const serving::ItemInfo& a, const serving::ItemInfo& b) {
  if (a.categories.empty() || b.categories.empty()) return 0.0f;
  int shared = 0;
  for (const std::string& c : a.categories) shared += b.HasCategory(c);
  size_t total = a.categories.size() + b.categories.size() - shared;
  return static_cast<float>(shared) / static_cast<float>(total);
}

std::vector<serving::ScoredIndex> Diversify(const std::vector<serving::ScoredIndex>& pool,
                                            size_t k, double diversity,
                                            const std::function<float(int32_t, int32_t)>& sim) {
  std::vector<serving::ScoredIndex> chosen;
  if (pool.empty()) return chosen;
  float hi = pool.front().score;
  float lo = pool.back().score;
  float range = hi > lo ? hi - lo : 1.0f;
  double lambda = 1.0 - diversity;
  std::vector<bool> used(pool.size(), false);
  while (chosen.size() < k && chosen.size() < pool.size()) {
    size_t best = 0;
    double best_value = -std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < pool.size(); ++c) {
      if (used[c]) continue;
      double redundancy = 0.0;
      for (const serving::ScoredIndex& s : chosen) {
        redundancy = std::max(redundancy, static_cast<double>(sim(pool[c].item, s.item)));
      }
      double relevance = (pool[c].score - lo) / range;
      double value = lambda * relevance - (1.0 - lambda) * redundancy;
      if (value > best_value) {
        best_value = value;
        best = c;
      }
    }
    used[best] = true;
    chosen.push_back(pool[best]);
  }
  return chosen;
}

}  // namespace tailor::recommend
