// Dataset: interactions read from a research data file, with users and items
// mapped to dense int32 indexes (in order of first appearance, or the file's
// own 0-based indexes for pre-indexed formats such as the NCF and CiteULike
// splits). The evaluator's splitters and readers exchange this type.
//
//   tailor::eval::Dataset d = *tailor::eval::ReadDelimited("u.data", {});
//   tailor::eval::FilterAndBinarize(d, /*min_value=*/4.0, /*binarize=*/true);
//   tailor::recsys::InteractionMatrix x = d.ToMatrix();
#ifndef TAILOR_EVAL_DATASET_H_
#define TAILOR_EVAL_DATASET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/recsys/interaction_matrix.h"

namespace tailor::eval {

struct Interaction {
  int32_t user;
  int32_t item;
  float value;        // rating, play count or 1 for plain implicit data
  int64_t timestamp;  // unix seconds, or the line number when the file has none
};

struct Dataset {
  int32_t num_users = 0;
  int32_t num_items = 0;
  std::vector<Interaction> interactions;
  // External ids by index; empty when the file's ids are the indexes.
  std::vector<std::string> user_ids;
  std::vector<std::string> item_ids;

  // Matrix of the values; duplicate (user, item) pairs are summed.
  recsys::InteractionMatrix ToMatrix() const;
};

// Maps external ids to dense indexes in order of first appearance.
class IdMap {
 public:
  int32_t Intern(std::string_view id);
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::unordered_map<std::string, int32_t> index_;
  std::vector<std::string> ids_;
};

// Keeps interactions with value >= min_value (when given), then sets every
// value to 1 when `binarize`. Indexes are not renumbered (users or items left
// without interactions simply have empty rows or columns).
void FilterAndBinarize(Dataset& d, std::optional<double> min_value, bool binarize);

// Collapses repeated (user, item) pairs into one, keeping the largest value
// and the latest timestamp, so a held-out item can never also be a training item.
void MergeDuplicates(Dataset& d);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_DATASET_H_
