#include "serving/served_model.h"

namespace tailor::serving {

bool Served(const ModelRecord& record) { return record.insufficient_data.empty(); }

const ServingModel* ServedModel(const ModelSet& set, const std::string& name) {
  const ServingModel* m = set.Find(name);
  return m != nullptr && Served(m->record) ? m : nullptr;
}

}  // namespace tailor::serving
