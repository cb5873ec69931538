#include "models/recsys/blend_model.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"

namespace tailor::recsys {
namespace {

boost::json::array DefaultComponents() {
  return {boost::json::object{{"model", "itemknn"}, {"weight", 1.0},
                              {"params", boost::json::object{{"topk", 100}, {"shrink", 10.0}}}},
          boost::json::object{
              {"model", "ials"},
              {"weight", 1.0},
              {"params", boost::json::object{{"factors", 64}, {"reg", 0.1}, {"alpha", 5.0}, {"epochs", 15}}}}};
}

}  // namespace

absl::Status BlendModel::ReadParams(const boost::json::object& params) {
  ParamReader r(params);
  boost::json::array components = r.Array("components", DefaultComponents());
  std::string normalize = r.String("normalize", "max");
  int64_t threads = r.Int("num_threads", 2);
  int64_t seed = r.Int("seed", 42);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (normalize != "max" && normalize != "std" && normalize != "none") {
    return absl::InvalidArgumentError("normalize must be \"max\", \"std\" or \"none\"");
  }
  if (threads < 1 || threads > 256) return absl::InvalidArgumentError("num_threads must be in [1, 256]");
  if (components.empty()) return absl::InvalidArgumentError("components must not be empty");
  std::vector<Component> parsed;
  double total_weight = 0;
  for (size_t c = 0; c < components.size(); ++c) {
    const std::string where = absl::StrCat("components[", c, "]");
    if (!components[c].is_object()) return absl::InvalidArgumentError(where + " must be an object");
    ParamReader cr(components[c].get_object());
    std::string kind = cr.String("model", "");
    double weight = cr.Double("weight", 1.0);
    boost::json::object component_params = cr.Object("params", boost::json::object{});
    if (absl::Status s = cr.Finish(); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
    }
    if (kind == "blend") return absl::InvalidArgumentError(where + ": a blend cannot contain a blend");
    absl::StatusOr<std::unique_ptr<Model>> model = CreateModel(kind);
    if (!model.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", model.status().message()));
    if (!(weight >= 0) || !std::isfinite(weight)) return absl::InvalidArgumentError(where + ".weight must be >= 0");
    Component comp;
    comp.params = std::move(component_params);
    const boost::json::object defaults = (*model)->Params();
    if (defaults.contains("num_threads") && !comp.params.contains("num_threads")) comp.params["num_threads"] = threads;
    if (defaults.contains("seed") && !comp.params.contains("seed")) comp.params["seed"] = seed;
    comp.model = std::move(*model);
    comp.weight = weight;
    total_weight += weight;
    parsed.push_back(std::move(comp));
  }
  if (!(total_weight > 0)) return absl::InvalidArgumentError("at least one component weight must be > 0");
  components_ = std::move(parsed);
  normalize_ = normalize;
  num_threads_ = static_cast<int>(threads);
  seed_ = static_cast<uint64_t>(seed);
  return absl::OkStatus();
}

absl::Status BlendModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  fitted_ = false;
  if (absl::Status s = ReadParams(params); !s.ok()) return s;
  for (Component& c : components_) {
    if (absl::Status s = c.model->Fit(train, c.params); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(c.model->Name(), " in blend: ", s.message()));
    }
    c.params = c.model->Params();
  }
  num_items_ = static_cast<int32_t>(train.cols());
  seen_items_ = num_items_;
  fitted_ = true;
  return absl::OkStatus();
}

boost::json::object BlendModel::Params() const {
  boost::json::array components;
  for (const Component& c : components_) {
    components.push_back(boost::json::object{{"model", c.model->Name()}, {"weight", c.weight}, {"params", c.params}});
  }
  if (components_.empty()) components = DefaultComponents();
  return {{"components", components}, {"normalize", normalize_}, {"num_threads", num_threads_}, {"seed", seed_}};
}

Eigen::VectorXf BlendModel::Normalized(Eigen::VectorXf scores) const {
  if (scores.size() == 0 || normalize_ == "none") return scores;
  double norm = 0;
  if (normalize_ == "max") {
    norm = scores.cwiseAbs().maxCoeff();
  } else {
    // Over the items the components were fitted on: items reindexed in later
    // score 0 in every component, so they add nothing to either sum.
    const Eigen::ArrayXd s = scores.cast<double>().array();
    const double n = std::max<int32_t>(seen_items_, 1);
    const double mean = s.sum() / n;
    norm = std::sqrt(std::max(0.0, s.square().sum() / n - mean * mean));
  }
  if (!(norm > 0) || !std::isfinite(norm)) return Eigen::VectorXf::Zero(scores.size());
  return scores / static_cast<float>(norm);
}

Eigen::VectorXf BlendModel::Combine(const std::vector<Eigen::VectorXf>& scores) const {
  Eigen::VectorXf out = Eigen::VectorXf::Zero(num_items_);
  for (size_t c = 0; c < components_.size(); ++c) {
    if (components_[c].weight == 0) continue;
    out += static_cast<float>(components_[c].weight) * Normalized(scores[c]);
  }
  return out;
}

Eigen::VectorXf BlendModel::Score(const History& history) const {
  std::vector<Eigen::VectorXf> scores;
  for (const Component& c : components_) {
    scores.push_back(c.weight == 0 ? Eigen::VectorXf() : c.model->Score(history));
  }
  return Combine(scores);
}

Eigen::VectorXf BlendModel::ScoreKnownUser(int32_t user, const History& history) const {
  std::vector<Eigen::VectorXf> scores;
  for (const Component& c : components_) {
    scores.push_back(c.weight == 0 ? Eigen::VectorXf() : c.model->ScoreKnownUser(user, history));
  }
  return Combine(scores);
}

void BlendModel::WritePayload(BinaryWriter& out) const {
  out.I64(num_items_);
  out.I64(seen_items_);
  for (const Component& c : components_) WriteModelRecord(*c.model, out, /*with_ids=*/false);
}

absl::Status BlendModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  if (absl::Status s = ReadParams(params); !s.ok()) return absl::DataLossError(s.message());
  const int64_t items = in.I64();
  const int64_t seen = in.I64();
  if (!in.status().ok()) return in.status();
  if (items < 0 || items > INT32_MAX || seen < 0 || seen > items) {
    return absl::DataLossError("blend: bad item count");
  }
  num_items_ = static_cast<int32_t>(items);
  seen_items_ = static_cast<int32_t>(seen);
  for (Component& c : components_) {
    absl::StatusOr<std::unique_ptr<Model>> m = ReadModelRecord(in, /*with_ids=*/false);
    if (!m.ok()) return m.status();
    if ((*m)->Name() != c.model->Name() || (*m)->num_items() != num_items_) {
      return absl::DataLossError("blend: stored component does not match its params");
    }
    c.model = std::move(*m);
  }
  return absl::OkStatus();
}

void BlendModel::ReindexItems(const std::vector<int32_t>& to, int32_t num_items) {
  for (Component& c : components_) ReindexItemsOf(*c.model, to, num_items);
  num_items_ = num_items;
}

}  // namespace tailor::recsys
