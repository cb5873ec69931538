#include "eval/search.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/recsys/model_factory.h"

namespace tailor::eval {

SearchSpace DefaultSearchSpace(const std::string& model) {
  using V = std::vector<boost::json::value>;
  if (model == "itemknn") {
    return {{"topk", V{20, 50, 100, 200, 400, 800}},
            {"shrink", V{0.0, 10.0, 50.0, 200.0, 1000.0}},
            {"weighting", V{"none", "tfidf"}}};
  }
  if (model == "rp3beta") {
    return {{"topk", V{50, 100, 200, 500}},
            {"alpha", V{0.0, 0.5, 1.0}},
            {"beta", V{0.0, 0.2, 0.4, 0.6}}};
  }
  if (model == "ease") {
    return {{"l2", V{1.0, 10.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 3000.0, 1e4, 1e5, 1e6, 1e7}}};
  }
  if (model == "ials") {
    return {{"factors", V{32, 64, 128}},
            {"reg", V{0.001, 0.01, 0.1, 1.0, 10.0}},
            {"alpha", V{1.0, 5.0, 20.0, 50.0}},
            {"confidence", V{"linear", "log"}}};
  }
  return {};
}

absl::StatusOr<double> Objective(const MetricList& metrics, const std::string& target) {
  double sum = 0;
  int n = 0;
  for (absl::string_view name : absl::StrSplit(target, ',', absl::SkipEmpty())) {
    absl::StatusOr<double> v = FindMetric(metrics, std::string(absl::StripAsciiWhitespace(name)));
    if (!v.ok()) return v.status();
    sum += *v;
    ++n;
  }
  if (n == 0) return absl::InvalidArgumentError("empty search target");
  return sum / n;
}

absl::StatusOr<SearchSpace> ParseSearchSpace(const boost::json::object& space) {
  SearchSpace out;
  for (const auto& [key, values] : space) {
    if (!values.is_array() || values.get_array().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("search space: \"", std::string(key), "\" must be a non-empty array of values"));
    }
    out.emplace_back(std::string(key),
                     std::vector<boost::json::value>(values.get_array().begin(), values.get_array().end()));
  }
  return out;
}

absl::StatusOr<SearchResult> Search(const std::string& model, const boost::json::object& base,
                                    const EvalSplit& validation, const EvalOptions& eval_options,
                                    const SearchOptions& options, Random& rng) {
  const SearchSpace space = options.space.empty() ? DefaultSearchSpace(model) : options.space;
  std::vector<std::vector<size_t>> picks;  // value index per dimension
  size_t grid_size = 1;
  for (const auto& d : space) grid_size *= d.second.size();
  if (options.mode == "grid") {
    for (size_t g = 0; g < grid_size; ++g) {
      std::vector<size_t> p;
      size_t rest = g;
      for (const auto& d : space) {
        p.push_back(rest % d.second.size());
        rest /= d.second.size();
      }
      picks.push_back(std::move(p));
    }
  } else if (options.mode == "random") {
    std::set<std::vector<size_t>> seen;
    const size_t want = std::min(grid_size, static_cast<size_t>(std::max(1, options.trials)));
    while (picks.size() < want) {
      std::vector<size_t> p;
      for (const auto& d : space) p.push_back(rng.UniformInt(d.second.size()));
      if (seen.insert(p).second) picks.push_back(std::move(p));
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown search mode '", options.mode, "'"));
  }
  SearchResult result;
  bool have_best = false;
  for (const auto& p : picks) {
    boost::json::object params = base;
    for (size_t d = 0; d < space.size(); ++d) params[space[d].first] = space[d].second[p[d]];
    absl::StatusOr<std::unique_ptr<recsys::Model>> m = recsys::CreateModel(model);
    if (!m.ok()) return m.status();
    if (absl::Status s = (*m)->Fit(validation.train.ToMatrix(), params); !s.ok()) return s;
    absl::StatusOr<MetricList> metrics = Evaluate(**m, validation, eval_options);
    if (!metrics.ok()) return metrics.status();
    absl::StatusOr<double> v = Objective(*metrics, options.target);
    if (!v.ok()) return v.status();
    result.trials.push_back({params, *v});
    if (!have_best || *v > result.best_value) {
      have_best = true;
      result.best_value = *v;
      result.best_params = params;
    }
  }
  return result;
}

}  // namespace tailor::eval
