#include "serving/model_registry.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "domain/validation.h"
#include "models/recsys/ials_model.h"
#include "serving/served_model.h"
#include "spdlog/spdlog.h"

namespace tailor::serving {

namespace json = boost::json;
namespace fs = std::filesystem;

json::object ModelRecord::ToJson() const {
  return {{"name", name},
          {"version", version},
          {"params", params},
          {"trained_at", domain::FormatRfc3339(trained_at)},
          {"training_seconds", training_seconds},
          {"num_users", num_users},
          {"num_items", num_items},
          {"num_interactions", num_interactions},
          {"num_events", num_events},
          {"metrics", metrics},
          {"insufficient_data",
           insufficient_data.empty() ? json::value(nullptr) : json::value(insufficient_data)},
          {"file", file}};
}

absl::StatusOr<ModelRecord> ModelRecord::FromJson(const json::value& value) {
  const json::object* obj = value.if_object();
  if (obj == nullptr) return absl::DataLossError("model record is not an object");
  ModelRecord r;
  try {
    r.name = json::value_to<std::string>(obj->at("name"));
    r.version = obj->at("version").to_number<int64_t>();
    r.params = obj->at("params").as_object();
    absl::StatusOr<absl::Time> t =
        domain::ParseRfc3339(std::string_view(obj->at("trained_at").as_string()));
    if (!t.ok()) return absl::DataLossError("model record has a bad trained_at");
    r.trained_at = *t;
    r.training_seconds = obj->at("training_seconds").to_number<double>();
    r.num_users = obj->at("num_users").to_number<int32_t>();
    r.num_items = obj->at("num_items").to_number<int32_t>();
    r.num_interactions = obj->at("num_interactions").to_number<int64_t>();
    r.num_events = obj->at("num_events").to_number<int64_t>();
    r.metrics = obj->at("metrics").as_object();
    r.file = json::value_to<std::string>(obj->at("file"));
    // Null when the data sufficed; absent in records from before the field.
    if (const json::value* v = obj->if_contains("insufficient_data"); v && !v->is_null()) {
      r.insufficient_data = json::value_to<std::string>(*v);
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(StrCat("model record is malformed: ", e.what()));
  }
  return r;
}

const ServingModel* ModelSet::Find(const std::string& name) const {
  auto it = models.find(name);
  return it == models.end() ? nullptr : it->second.get();
}

const ServingModel* ModelSet::Best() const {
  const ServingModel* best = nullptr;
  double best_ndcg = -1.0;
  for (const auto& [name, m] : models) {
    if (name == "popularity" || !Served(m->record)) continue;
    const json::value* v = m->record.metrics.if_contains("ndcg@10");
    double ndcg = v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
    if (ndcg > best_ndcg) {
      best_ndcg = ndcg;
      best = m.get();
    }
  }
  return best;
}

ModelRegistry::ModelRegistry(std::string dir, TenantState& state, int32_t ann_min_items)
    : dir_(std::move(dir)),
      state_(state),
      ann_min_items_(ann_min_items),
      current_(std::make_shared<const ModelSet>()) {}

absl::Status ModelRegistry::Adopt(recsys::Model& model) const {
  if (model.item_ids().size() != static_cast<size_t>(model.num_items())) {
    return absl::FailedPreconditionError(
        "the model does not record which items its indexes stand for (a file written before "
        "model identity); it is retrained");
  }
  ItemMapping mapping = state_.MapItems(model.item_ids());
  if (mapping.identity) return absl::OkStatus();  // trained on this state: nothing to move
  return model.Reindex(mapping.to, std::move(mapping.ids));
}

std::shared_ptr<const ServingModel> ModelRegistry::MakeServing(
    ModelRecord record, std::shared_ptr<const recsys::Model> model) const {
  auto serving = std::make_shared<ServingModel>();
  serving->record = std::move(record);
  if (const auto* ials = dynamic_cast<const recsys::IalsModel*>(model.get());
      ials != nullptr && ials->num_items() >= ann_min_items_) {
    serving->ann = AnnIndex::Build(ials->item_factors().cast<float>());
  }
  if (const auto* sim = dynamic_cast<const recsys::ItemSimilarityModel*>(model.get())) {
    serving->supporters = sim->similarity().transpose();
  }
  serving->model = std::move(model);
  return serving;
}

absl::Status ModelRegistry::Load() {
  if (dir_.empty()) return absl::OkStatus();
  fs::path path = fs::path(dir_) / "registry.json";
  std::ifstream in(path);
  if (!in) return absl::OkStatus();
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec || !doc.is_array()) {
    return absl::DataLossError(StrCat(path.string(), " is not a JSON array of model records"));
  }
  std::vector<ModelRecord> records;
  for (const json::value& v : doc.get_array()) {
    absl::StatusOr<ModelRecord> r = ModelRecord::FromJson(v);
    if (!r.ok()) return r.status();
    records.push_back(std::move(*r));
  }
  auto set = std::make_shared<ModelSet>();
  // Newest record of each name that loads.
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (set->models.contains(it->name) || it->file.empty()) continue;
    absl::StatusOr<std::unique_ptr<recsys::Model>> model =
        recsys::LoadModel((fs::path(dir_) / it->file).string());
    absl::Status adopted = model.ok() ? Adopt(**model) : model.status();
    if (!adopted.ok()) {
      spdlog::warn("model {} version {} not loaded: {}", it->name, it->version,
                   std::string(adopted.message()));
      continue;
    }
    set->models[it->name] = MakeServing(*it, std::shared_ptr<const recsys::Model>(std::move(*model)));
  }
  std::lock_guard lock(mu_);
  set->content = current_->content;
  records_ = std::move(records);
  current_ = std::move(set);
  return absl::OkStatus();
}

std::shared_ptr<const ModelSet> ModelRegistry::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

absl::Status ModelRegistry::WriteRecordsLocked() const {
  json::array arr;
  for (const ModelRecord& r : records_) arr.push_back(r.ToJson());
  fs::path path = fs::path(dir_) / "registry.json";
  fs::path tmp = fs::path(dir_) / "registry.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json::serialize(arr) << "\n";
    out.flush();
    if (!out) return absl::InternalError(StrCat("cannot write ", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(StrCat("cannot replace ", path.string(), ": ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<ModelRecord> ModelRegistry::Publish(std::unique_ptr<recsys::Model> model,
                                                   ModelRecord record) {
  if (model == nullptr) return absl::InvalidArgumentError("no model to publish");
  if (absl::Status s = Adopt(*model); !s.ok()) return s;
  // The ANN graph (large catalogues) is built before taking the lock.
  std::shared_ptr<const recsys::Model> shared(std::move(model));
  std::shared_ptr<const ServingModel> serving = MakeServing(record, shared);
  std::lock_guard lock(mu_);
  int64_t version = 0;
  for (const ModelRecord& r : records_) {
    if (r.name == record.name) version = std::max(version, r.version);
  }
  record.version = version + 1;
  if (!dir_.empty()) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return absl::InternalError(StrCat("cannot create ", dir_, ": ", ec.message()));
    record.file = StrCat(record.name, "-", record.version, ".model");
    if (absl::Status s = shared->Save((fs::path(dir_) / record.file).string()); !s.ok()) return s;
    records_.push_back(record);
    if (absl::Status s = WriteRecordsLocked(); !s.ok()) {
      records_.pop_back();
      return s;
    }
    // Files of versions older than the newest kKeepFilesPerModel go.
    int kept = 0;
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
      if (it->name != record.name || it->file.empty()) continue;
      if (++kept > kKeepFilesPerModel) fs::remove(fs::path(dir_) / it->file, ec);
    }
  } else {
    records_.push_back(record);
  }
  auto updated = std::make_shared<ServingModel>(*serving);
  updated->record = record;  // with its version and file
  auto set = std::make_shared<ModelSet>(*current_);
  set->models[record.name] = std::move(updated);
  current_ = std::move(set);
  return record;
}

void ModelRegistry::SetContent(std::shared_ptr<const text::TfidfIndex> content) {
  std::lock_guard lock(mu_);
  auto set = std::make_shared<ModelSet>(*current_);
  set->content = std::move(content);
  current_ = std::move(set);
}

std::vector<ModelRecord> ModelRegistry::Records() const {
  std::lock_guard lock(mu_);
  return records_;
}

}  // namespace tailor::serving
