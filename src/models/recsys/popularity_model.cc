#include "models/recsys/popularity_model.h"

#include "models/recsys/params.h"

namespace tailor::recsys {

absl::Status PopularityModel::Fit(const InteractionMatrix& train, const boost::json::object& params) {
  ParamReader r(params);
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  std::vector<int32_t> counts = ColumnCounts(train);
  counts_.resize(static_cast<Eigen::Index>(counts.size()));
  for (size_t i = 0; i < counts.size(); ++i) counts_[static_cast<Eigen::Index>(i)] = static_cast<float>(counts[i]);
  fitted_ = true;
  return absl::OkStatus();
}

void PopularityModel::WritePayload(BinaryWriter& out) const {
  out.FloatVector(std::vector<float>(counts_.data(), counts_.data() + counts_.size()));
}

absl::Status PopularityModel::ReadPayload(BinaryReader& in, const boost::json::object& params) {
  std::vector<float> v = in.FloatVector();
  counts_ = Eigen::Map<Eigen::VectorXf>(v.data(), static_cast<Eigen::Index>(v.size()));
  return in.status();
}

void PopularityModel::ReindexItems(const std::vector<int32_t>& to, int32_t num_items) {
  Eigen::VectorXf moved = Eigen::VectorXf::Zero(num_items);
  for (size_t j = 0; j < to.size(); ++j) moved[to[j]] = counts_[static_cast<Eigen::Index>(j)];
  counts_ = std::move(moved);
}

}  // namespace tailor::recsys
