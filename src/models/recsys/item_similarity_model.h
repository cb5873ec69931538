// ItemSimilarityModel: the shared shape of models that score a user as
// history · S for a sparse item-item matrix S (item-kNN, RP3beta). Subclasses
// fill `similarity_` in Fit/ReadPayload; scoring and saving are common.
#ifndef TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_MODEL_H_
#define TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_MODEL_H_

#include "models/recsys/item_similarity.h"
#include "models/recsys/model.h"

namespace tailor::recsys {

class ItemSimilarityModel : public Model {
 public:
  Eigen::VectorXf Score(const History& history) const override {
    return ScoreWithSimilarity(similarity_, history);
  }
  int32_t num_items() const override { return static_cast<int32_t>(similarity_.cols()); }
  const SimilarityMatrix& similarity() const { return similarity_; }

 protected:
  void WritePayload(BinaryWriter& out) const override { out.SparseMatrix(similarity_); }
  void ReindexItems(const std::vector<int32_t>& to, int32_t num_items) override {
    similarity_ = ReindexSimilarity(similarity_, to, num_items);
  }

  SimilarityMatrix similarity_;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_ITEM_SIMILARITY_MODEL_H_
