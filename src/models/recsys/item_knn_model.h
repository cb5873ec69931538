// ItemKnnModel: item-based nearest neighbours with cosine similarity.
// sim(i, j) = x_i . x_j / (|x_i| |x_j| + shrink + 1e-6) between item columns
// of the (optionally TF-IDF weighted) training matrix, in double precision,
// diagonal excluded; for every target item j only the `topk` largest non-zero
// sim(i, j) are kept. Score s(u, j) = sum_i r_ui W[i, j] over the history's
// own weights (the TF-IDF weighting only shapes the similarity). This is the
// definition of the reference code of Dacrema et al. (TOIS 2021).
//
// Params (JSON): topk (int, 100), shrink (number, 10), normalize (bool, true;
// false = plain dot product, divided by shrink when shrink != 0),
// weighting ("none" | "tfidf"; tfidf: w(i,u) = sqrt(r_ui) ln(n_items/(1+|I_u|))),
// num_threads (int, 2).
//
//   ItemKnnModel m;
//   m.Fit(train, {{"topk", 423}, {"shrink", 936}, {"weighting", "tfidf"}});
#ifndef TAILOR_MODELS_RECSYS_ITEM_KNN_MODEL_H_
#define TAILOR_MODELS_RECSYS_ITEM_KNN_MODEL_H_

#include "models/recsys/item_similarity_model.h"

namespace tailor::recsys {

class ItemKnnModel final : public ItemSimilarityModel {
 public:
  std::string Name() const override { return "itemknn"; }
  absl::Status Fit(const InteractionMatrix& train, const boost::json::object& params) override;
  boost::json::object Params() const override;

 protected:
  absl::Status ReadPayload(BinaryReader& in, const boost::json::object& params) override;

 private:
  absl::Status ReadParams(const boost::json::object& params);

  int topk_ = 100;
  double shrink_ = 10.0;
  bool normalize_ = true;
  std::string weighting_ = "none";
  int num_threads_ = 2;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_ITEM_KNN_MODEL_H_
