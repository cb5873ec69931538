#include "models/recsys/model.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"

namespace tailor::recsys {
namespace {
constexpr char kMagic[8] = {'T', 'A', 'I', 'L', 'O', 'R', 'M', '\0'};
}  // namespace

absl::Status Model::Save(const std::string& path) const {
  if (!fitted_) return absl::FailedPreconditionError("cannot save an unfitted model");
  BinaryWriter out(path);
  out.Bytes(kMagic, sizeof kMagic);
  out.U32(kModelFileVersion);
  out.String(Name());
  out.String(boost::json::serialize(Params()));
  WritePayload(out);
  return out.Close();
}

absl::StatusOr<std::unique_ptr<Model>> LoadModel(const std::string& path) {
  BinaryReader in(path);
  char magic[8];
  in.Bytes(magic, sizeof magic);
  if (!in.status().ok()) return in.status();
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    return absl::DataLossError(absl::StrCat(path, " is not a Tailor model file"));
  }
  uint32_t version = in.U32();
  if (version != kModelFileVersion) {
    return absl::FailedPreconditionError(absl::StrCat("model file version ", version,
                                                      " is not supported (expected ",
                                                      kModelFileVersion, ")"));
  }
  std::string name = in.String();
  std::string params_text = in.String();
  if (!in.status().ok()) return in.status();
  absl::StatusOr<std::unique_ptr<Model>> model = CreateModel(name);
  if (!model.ok()) return absl::DataLossError(model.status().message());
  absl::StatusOr<boost::json::object> params = ParseParams(params_text);
  if (!params.ok()) return absl::DataLossError(params.status().message());
  absl::Status s = (*model)->ReadPayload(in, *params);
  if (s.ok()) s = in.status();
  if (!s.ok()) return s;
  (*model)->fitted_ = true;
  return model;
}

}  // namespace tailor::recsys
