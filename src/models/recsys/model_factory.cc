#include "models/recsys/model_factory.h"

#include "absl/strings/str_cat.h"
#include "models/recsys/blend_model.h"
#include "models/recsys/ease_model.h"
#include "models/recsys/ials_model.h"
#include "models/recsys/item_knn_model.h"
#include "models/recsys/popularity_model.h"
#include "models/recsys/rp3beta_model.h"

namespace tailor::recsys {

absl::StatusOr<std::unique_ptr<Model>> CreateModel(const std::string& name) {
  if (name == "popularity") return std::make_unique<PopularityModel>();
  if (name == "itemknn") return std::make_unique<ItemKnnModel>();
  if (name == "rp3beta") return std::make_unique<Rp3BetaModel>();
  if (name == "ease") return std::make_unique<EaseModel>();
  if (name == "ials") return std::make_unique<IalsModel>();
  if (name == "blend") return std::make_unique<BlendModel>();
  return absl::NotFoundError(absl::StrCat("unknown model '", name, "'"));
}

std::vector<std::string> ModelNames() { return {"popularity", "itemknn", "rp3beta", "ease", "ials", "blend"}; }

}  // namespace tailor::recsys
