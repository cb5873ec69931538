#include "models/recsys/item_similarity.h"

#include <algorithm>

#include "models/recsys/parallel.h"

namespace tailor::recsys {

void ForEachProductRow(const SparseD& a, const SparseD& b, int num_threads, const ProductRowFn& fn) {
  const int threads = std::max(1, num_threads);
  std::vector<std::vector<double>> acc(threads, std::vector<double>(b.cols(), 0.0));
  std::vector<std::vector<int32_t>> touched(threads);
  std::vector<std::vector<char>> mark(threads, std::vector<char>(b.cols(), 0));
  ParallelFor(a.rows(), threads, [&](int64_t row, int thread) {
    const int32_t t = static_cast<int32_t>(row);
    std::vector<double>& ac = acc[thread];
    std::vector<int32_t>& tc = touched[thread];
    std::vector<char>& mk = mark[thread];
    for (SparseD::InnerIterator au(a, t); au; ++au) {
      const double av = au.value();
      for (SparseD::InnerIterator bj(b, au.col()); bj; ++bj) {
        const int32_t j = bj.col();
        if (!mk[j]) {
          mk[j] = 1;
          tc.push_back(j);
        }
        ac[j] += av * bj.value();
      }
    }
    fn(t, ac, tc, thread);
    for (int32_t j : tc) {
      ac[j] = 0.0;
      mk[j] = 0;
    }
    tc.clear();
  });
}

std::vector<Neighbor> TopK(const std::vector<double>& acc, const std::vector<int32_t>& touched,
                           int k, int32_t exclude) {
  std::vector<Neighbor> out;
  out.reserve(touched.size());
  for (int32_t j : touched) {
    if (j != exclude && acc[j] != 0.0) out.push_back({j, acc[j]});
  }
  auto better = [](const Neighbor& x, const Neighbor& y) {
    return x.weight > y.weight || (x.weight == y.weight && x.item < y.item);
  };
  if (k >= 0 && static_cast<size_t>(k) < out.size()) {
    std::nth_element(out.begin(), out.begin() + k, out.end(), better);
    out.resize(static_cast<size_t>(k));
  }
  std::sort(out.begin(), out.end(), better);
  return out;
}

SimilarityMatrix FromNeighborLists(int32_t n, const std::vector<std::vector<Neighbor>>& lists,
                                   bool lists_are_columns) {
  std::vector<Triplet> t;
  size_t total = 0;
  for (const auto& l : lists) total += l.size();
  t.reserve(total);
  for (size_t target = 0; target < lists.size(); ++target) {
    for (const Neighbor& nb : lists[target]) {
      if (lists_are_columns) {
        t.emplace_back(nb.item, static_cast<int32_t>(target), static_cast<float>(nb.weight));
      } else {
        t.emplace_back(static_cast<int32_t>(target), nb.item, static_cast<float>(nb.weight));
      }
    }
  }
  return BuildInteractionMatrix(n, n, t);
}

SimilarityMatrix KeepTopKPerColumn(const SimilarityMatrix& w, int k) {
  std::vector<std::vector<Neighbor>> cols(static_cast<size_t>(w.cols()));
  for (int32_t i = 0; i < w.rows(); ++i) {
    for (SimilarityMatrix::InnerIterator it(w, i); it; ++it) {
      cols[static_cast<size_t>(it.col())].push_back({i, it.value()});
    }
  }
  auto better = [](const Neighbor& x, const Neighbor& y) {
    return x.weight > y.weight || (x.weight == y.weight && x.item < y.item);
  };
  for (auto& c : cols) {
    if (static_cast<size_t>(k) < c.size()) {
      std::nth_element(c.begin(), c.begin() + k, c.end(), better);
      c.resize(static_cast<size_t>(k));
    }
  }
  return FromNeighborLists(static_cast<int32_t>(w.rows()), cols, /*lists_are_columns=*/true);
}

Eigen::VectorXf ScoreWithSimilarity(const SimilarityMatrix& w, const History& history) {
  Eigen::VectorXf s = Eigen::VectorXf::Zero(w.cols());
  for (const HistoryEntry& h : history) {
    if (h.item < 0 || h.item >= w.rows()) continue;
    for (SimilarityMatrix::InnerIterator it(w, h.item); it; ++it) s[it.col()] += h.weight * it.value();
  }
  return s;
}

SimilarityMatrix ReindexSimilarity(const SimilarityMatrix& w, const std::vector<int32_t>& to,
                                   int32_t num_items) {
  std::vector<Triplet> t;
  t.reserve(static_cast<size_t>(w.nonZeros()));
  for (int32_t i = 0; i < w.rows(); ++i) {
    for (SimilarityMatrix::InnerIterator it(w, i); it; ++it) {
      t.emplace_back(to[i], to[it.col()], it.value());
    }
  }
  return BuildInteractionMatrix(num_items, num_items, t);
}

SparseD ToDouble(const InteractionMatrix& m) { return m.cast<double>(); }

SparseD TransposeD(const SparseD& m) {
  SparseD t = m.transpose();
  t.makeCompressed();
  return t;
}

}  // namespace tailor::recsys
