// Which trained models may answer requests. A model fitted on too little data
// (ModelRecord::insufficient_data) is listed and kept but never served: the
// recommender's fallback chain (content, trending, popularity) answers
// instead. ModelSet::Best() and every consumer of a named model use this one
// rule.
//
//   const ServingModel* knn = ServedModel(*registry.Current(), "itemknn");
//   if (knn == nullptr) { /* not trained, or too small to serve */ }
//
// Thread-safe: pure functions of their arguments.
#ifndef TAILOR_SERVING_SERVED_MODEL_H_
#define TAILOR_SERVING_SERVED_MODEL_H_

#include <string>

#include "serving/model_registry.h"

namespace tailor::serving {

// True when the model behind `record` may answer requests.
bool Served(const ModelRecord& record);

// The set's model `name` when it is trained and Served(); null otherwise.
const ServingModel* ServedModel(const ModelSet& set, const std::string& name);

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_SERVED_MODEL_H_
