// Model factory: creates an unfitted model by name, so the CLI, the jobs
// queue and LoadModel() share one list of model kinds.
//
//   absl::StatusOr<std::unique_ptr<tailor::recsys::Model>> m = tailor::recsys::CreateModel("ials");
#ifndef TAILOR_MODELS_RECSYS_MODEL_FACTORY_H_
#define TAILOR_MODELS_RECSYS_MODEL_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/recsys/model.h"

namespace tailor::recsys {

// NotFound for an unknown name.
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const std::string& name);

// Every name CreateModel accepts: popularity, itemknn, rp3beta, ease, ials, blend.
std::vector<std::string> ModelNames();

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_MODEL_FACTORY_H_
