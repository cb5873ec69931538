#include "models/recsys/model.h"

#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"

namespace tailor::recsys {
namespace {
constexpr char kMagic[8] = {'T', 'A', 'I', 'L', 'O', 'R', 'M', '\0'};

bool AllDistinct(const std::vector<std::string>& ids) {
  absl::flat_hash_set<std::string_view> seen;
  seen.reserve(ids.size());
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) return false;
  }
  return true;
}

}  // namespace

absl::Status Model::SetItemIds(std::vector<std::string> ids) {
  if (!fitted_) return absl::InvalidArgumentError("item ids need a fitted model");
  if (ids.size() != static_cast<size_t>(num_items())) {
    return absl::InvalidArgumentError(
        absl::StrCat(ids.size(), " item ids for a model of ", num_items(), " items"));
  }
  if (!AllDistinct(ids)) return absl::InvalidArgumentError("an item id appears twice");
  item_ids_ = std::move(ids);
  return absl::OkStatus();
}

absl::Status Model::Reindex(const std::vector<int32_t>& to, std::vector<std::string> ids) {
  if (!fitted_ || item_ids_.size() != static_cast<size_t>(num_items())) {
    return absl::InvalidArgumentError("reindexing needs a fitted model with known item ids");
  }
  if (to.size() != item_ids_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(to.size(), " new indexes for ", item_ids_.size(), " items"));
  }
  const int32_t n = static_cast<int32_t>(ids.size());
  std::vector<uint8_t> taken(ids.size(), 0);
  for (size_t j = 0; j < to.size(); ++j) {
    if (to[j] < 0 || to[j] >= n || taken[to[j]] || ids[to[j]] != item_ids_[j]) {
      return absl::InvalidArgumentError(
          absl::StrCat("item \"", item_ids_[j], "\" has no distinct matching new index"));
    }
    taken[to[j]] = 1;
  }
  bool identity = to.size() == ids.size();
  for (size_t j = 0; identity && j < to.size(); ++j) identity = to[j] == static_cast<int32_t>(j);
  if (!identity) ReindexItems(to, n);
  item_ids_ = std::move(ids);
  return absl::OkStatus();
}

absl::Status Model::Save(const std::string& path) const {
  absl::StatusOr<std::string> bytes = Serialize();
  if (!bytes.ok()) return bytes.status();
  BinaryWriter out(path);
  out.Bytes(bytes->data(), bytes->size());
  return out.Close();
}

absl::StatusOr<std::string> Model::Serialize() const {
  if (!fitted_) return absl::FailedPreconditionError("cannot serialize an unfitted model");
  std::string bytes;
  BinaryWriter out(&bytes);
  out.Bytes(kMagic, sizeof kMagic);
  out.U32(kModelFileVersion);
  WriteModelRecord(*this, out, /*with_ids=*/true);
  if (absl::Status s = out.Close(); !s.ok()) return s;
  return bytes;
}

void WriteModelRecord(const Model& model, BinaryWriter& out, bool with_ids) {
  out.String(model.Name());
  out.String(boost::json::serialize(model.Params()));
  if (with_ids) out.Strings(model.item_ids_);
  model.WritePayload(out);
}

absl::StatusOr<std::unique_ptr<Model>> ReadModelRecord(BinaryReader& in, bool with_ids) {
  std::string name = in.String();
  std::string params_text = in.String();
  std::vector<std::string> ids;
  if (with_ids) ids = in.Strings();
  if (!in.status().ok()) return in.status();
  absl::StatusOr<std::unique_ptr<Model>> model = CreateModel(name);
  if (!model.ok()) return absl::DataLossError(model.status().message());
  absl::StatusOr<boost::json::object> params = ParseParams(params_text);
  if (!params.ok()) return absl::DataLossError(params.status().message());
  absl::Status s = (*model)->ReadPayload(in, *params);
  if (s.ok()) s = in.status();
  if (!s.ok()) return s;
  (*model)->fitted_ = true;
  if (!ids.empty()) {
    if (absl::Status set = (*model)->SetItemIds(std::move(ids)); !set.ok()) {
      return absl::DataLossError(set.message());
    }
  }
  return model;
}

namespace {

// The header (magic, version) and the model record; `what` names the source
// in errors.
absl::StatusOr<std::unique_ptr<Model>> ReadModel(BinaryReader& in, const std::string& what) {
  char magic[8];
  in.Bytes(magic, sizeof magic);
  if (!in.status().ok()) return in.status();
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    return absl::DataLossError(absl::StrCat(what, " is not a Tailor model"));
  }
  uint32_t version = in.U32();
  if (version != 1 && version != kModelFileVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model file version ", version, " is not supported (expected ", kModelFileVersion, ")"));
  }
  // Version 1 files do not say which items their indexes stand for.
  absl::StatusOr<std::unique_ptr<Model>> model = ReadModelRecord(in, /*with_ids=*/version >= 2);
  if (!model.ok() && model.status().code() == absl::StatusCode::kDataLoss) {
    return absl::DataLossError(absl::StrCat(what, ": ", model.status().message()));
  }
  return model;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Model>> LoadModel(const std::string& path) {
  BinaryReader in(path);
  return ReadModel(in, path);
}

absl::StatusOr<std::unique_ptr<Model>> ParseModel(std::string_view bytes) {
  BinaryReader in(kInMemory, bytes);
  return ReadModel(in, "stored model");
}

}  // namespace tailor::recsys
