#include "serving/model_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "models/recsys/ials_model.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/model_io.h"
#include "storage/temp_store_for_test.h"

namespace tailor::serving {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<recsys::Model> FittedModel(const std::string& name) {
  std::vector<recsys::Triplet> t = {{0, 0, 1}, {0, 1, 1}, {1, 1, 1},
                                    {1, 2, 1}, {2, 0, 1}, {2, 2, 1}};
  recsys::InteractionMatrix x = recsys::BuildInteractionMatrix(3, 3, t);
  std::unique_ptr<recsys::Model> m = *recsys::CreateModel(name);
  EXPECT_TRUE(m->Fit(x, {}).ok());
  EXPECT_TRUE(m->SetItemIds({"a", "b", "c"}).ok());
  return m;
}

ModelRecord Record(const std::string& name, double ndcg) {
  ModelRecord r;
  r.name = name;
  r.metrics = {{"ndcg@10", ndcg}};
  r.trained_at = absl::FromUnixSeconds(1'700'000'000);
  return r;
}

class ModelRegistryTest : public ::testing::Test {
 protected:
  // Writes the stored record of model `name`, version 1, naming `blob`, as
  // a publish would (with its history record when `history`).
  void PutVersion1(const std::string& name, const std::string& blob, bool history) {
    ModelRecord record = Record(name, 0.1);
    record.version = 1;
    record.blob = blob;
    const std::string doc = boost::json::serialize(record.ToJson());
    storage::WriteBatch batch;
    batch.PutRecord(kModelsCollection, name, doc, record.trained_at);
    if (history)
      batch.PutRecord(kModelVersionsCollection, name + "/000000000001", doc, record.trained_at);
    db_.Write(std::move(batch));
  }
  storage::TempStoreForTest db_{"registry"};
  storage::Store* const store_ = &db_.store();
  const domain::TenantId tenant_ = db_.tenant();
  TenantState state_;
};

TEST_F(ModelRegistryTest, PublishVersionsPersistsAndReloads) {
  {
    ModelRegistry registry(store_, tenant_, state_);
    ASSERT_TRUE(registry.Load().ok());  // nothing yet
    EXPECT_EQ(registry.Current()->Best(), nullptr);
    absl::StatusOr<ModelRecord> r1 =
        registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.2));
    ASSERT_TRUE(r1.ok()) << r1.status();
    EXPECT_EQ(r1->version, 1);
    absl::StatusOr<ModelRecord> r2 =
        registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.3));
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->version, 2);
    ASSERT_TRUE(registry.Publish(FittedModel("ease"), Record("ease", 0.4)).ok());
    ASSERT_TRUE(registry.Publish(FittedModel("popularity"), Record("popularity", 0.9)).ok());
    EXPECT_EQ(registry.Current()->Best()->record.name, "ease");  // popularity never "best"
    EXPECT_EQ(registry.Records().size(), 4u);
  }
  ModelRegistry again(store_, tenant_, state_);
  ASSERT_TRUE(again.Load().ok());
  std::shared_ptr<const ModelSet> set = again.Current();
  ASSERT_EQ(set->models.size(), 3u);
  EXPECT_EQ(set->Find("itemknn")->record.version, 2);
  EXPECT_DOUBLE_EQ(set->Find("itemknn")->record.metrics.at("ndcg@10").as_double(), 0.3);
  Eigen::VectorXf s = set->Find("itemknn")->model->Score({{0, 1.0f}});
  EXPECT_EQ(s.size(), 3);
  EXPECT_EQ(again.Records().size(), 4u);
}

TEST_F(ModelRegistryTest, ModelsWithInsufficientDataAreListedButNeverBest) {
  {
    ModelRegistry registry(store_, tenant_, state_);
    ModelRecord tiny = Record("ease", 0.9);
    tiny.insufficient_data = "trained on 1 user and 1 item";
    ASSERT_TRUE(registry.Publish(FittedModel("ease"), tiny).ok());
    EXPECT_EQ(registry.Current()->Best(), nullptr);
    ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
    EXPECT_EQ(registry.Current()->Best()->record.name, "itemknn");
  }
  // The reason is persisted with the record.
  ModelRegistry again(store_, tenant_, state_);
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.Current()->Find("ease")->record.insufficient_data,
            "trained on 1 user and 1 item");
  EXPECT_TRUE(again.Current()->Find("itemknn")->record.insufficient_data.empty());
  EXPECT_EQ(again.Current()->Best()->record.name, "itemknn");
}

TEST_F(ModelRegistryTest, OldModelBlobsArePruned) {
  ModelRegistry registry(store_, tenant_, state_);
  for (int i = 0; i < 4; ++i) {
    ModelRecord r = Record("itemknn", 0.1);
    r.trained_at += absl::Seconds(i);
    ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), r).ok());
  }
  std::vector<ModelRecord> records = registry.Records();
  ASSERT_EQ(records.size(), 4u);
  int stored = 0;
  for (const ModelRecord& r : records) {
    ASSERT_FALSE(r.blob.empty());
    stored += store_->GetBlob(tenant_, r.blob).ok();
  }
  EXPECT_EQ(stored, ModelRegistry::kKeepBlobsPerModel);
  EXPECT_TRUE(store_->GetBlob(tenant_, records.back().blob).ok());
  ModelRegistry again(store_, tenant_, state_);
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.Current()->Find("itemknn")->record.version, 4);
}

// Large models are stored in chunks, read back whole, and pruned whole.
TEST_F(ModelRegistryTest, LargeModelsAreStoredInChunks) {
  ModelRegistry registry(store_, tenant_, state_);
  registry.SetBlobChunkBytes(100);
  std::vector<ModelRecord> published;
  for (int i = 0; i < 3; ++i) {
    ModelRecord r = Record("ease", 0.1);
    r.trained_at += absl::Seconds(i);
    absl::StatusOr<ModelRecord> p = registry.Publish(FittedModel("ease"), r);
    ASSERT_TRUE(p.ok()) << p.status();
    published.push_back(*p);
  }
  const ModelRecord& newest = published.back();
  ASSERT_GT(newest.blob_chunks, 1);
  EXPECT_TRUE(store_->GetBlob(tenant_, newest.blob + "/0").ok());
  EXPECT_TRUE(
      store_->GetBlob(tenant_, newest.blob + "/" + std::to_string(newest.blob_chunks - 1)).ok());
  EXPECT_FALSE(
      store_->GetBlob(tenant_, newest.blob + "/" + std::to_string(newest.blob_chunks)).ok());
  // The oldest version's chunks went with it.
  EXPECT_FALSE(store_->GetBlob(tenant_, published[0].blob + "/0").ok());
  TenantState other;
  ModelRegistry again(store_, tenant_, other);
  ASSERT_TRUE(again.Load().ok());
  ASSERT_NE(again.Current()->Find("ease"), nullptr);
  EXPECT_EQ(again.Current()->Find("ease")->record.blob_chunks, newest.blob_chunks);
  Eigen::VectorXf a = registry.Current()->Find("ease")->model->Score({{0, 1.0f}});
  Eigen::VectorXf b = again.Current()->Find("ease")->model->Score({{0, 1.0f}});
  ASSERT_EQ(a.size(), b.size());
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-6);
}

// Two nodes share one store: versions are issued by the store, a publish on
// one is served by the other once it applies the record (the change feed),
// and racing publishers all land with distinct versions.
TEST_F(ModelRegistryTest, VersionsComeFromTheStoreAndOtherNodesLoadThem) {
  TenantState other_state;
  ModelRegistry a(store_, tenant_, state_);
  ModelRegistry b(store_, tenant_, other_state);
  ASSERT_TRUE(a.Publish(FittedModel("itemknn"), Record("itemknn", 0.2)).ok());
  absl::StatusOr<ModelRecord> on_b = b.Publish(FittedModel("itemknn"), Record("itemknn", 0.3));
  ASSERT_TRUE(on_b.ok()) << on_b.status();
  EXPECT_EQ(on_b->version, 2);  // b had served nothing, yet the store said 1 was taken
  EXPECT_EQ(a.Current()->Find("itemknn")->record.version, 1);
  absl::StatusOr<storage::Record> stored = store_->GetRecord(tenant_, kModelsCollection, "itemknn");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 2);
  ASSERT_TRUE(a.Apply(*stored).ok());
  EXPECT_EQ(a.Current()->Find("itemknn")->record.version, 2);
  EXPECT_DOUBLE_EQ(a.Current()->Find("itemknn")->record.metrics.at("ndcg@10").as_double(), 0.3);
  // An older record arriving late changes nothing.
  storage::Record old = *stored;
  old.version = 1;
  ASSERT_TRUE(a.Apply(old).ok());
  EXPECT_EQ(a.Current()->Find("itemknn")->record.version, 2);

  std::vector<std::thread> racers;
  std::vector<int64_t> versions(4);
  for (int i = 0; i < 4; ++i) {
    racers.emplace_back([&, i] {
      ModelRecord r = Record("ease", 0.1);
      r.trained_at += absl::Seconds(i);
      absl::StatusOr<ModelRecord> p = (i % 2 == 0 ? a : b).Publish(FittedModel("ease"), r);
      versions[i] = p.ok() ? p->version : -1;
    });
  }
  for (std::thread& t : racers) t.join();
  std::sort(versions.begin(), versions.end());
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2, 3, 4}));
  ASSERT_TRUE(b.Refresh().ok());
  EXPECT_EQ(b.Current()->Find("ease")->record.version, 4);
}

TEST_F(ModelRegistryTest, ReadersKeepTheirSnapshotAcrossASwap) {
  ModelRegistry registry(nullptr, tenant_, state_);
  ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
  std::shared_ptr<const ModelSet> before = registry.Current();
  ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
  EXPECT_EQ(before->Find("itemknn")->record.version, 1);
  EXPECT_EQ(registry.Current()->Find("itemknn")->record.version, 2);
}

TEST_F(ModelRegistryTest, CorruptOrMissingStoredModelsAreSkipped) {
  PutVersion1("ease", "models/ease/gone", /*history=*/false);
  storage::WriteBatch batch;
  batch.PutRecord(kModelsCollection, "itemknn", "{not json", absl::FromUnixSeconds(1));
  db_.Write(std::move(batch));
  ModelRegistry registry(store_, tenant_, state_);
  ASSERT_TRUE(registry.Load().ok());
  EXPECT_TRUE(registry.Current()->models.empty());
  // The next publish replaces them.
  ASSERT_TRUE(registry.Publish(FittedModel("ease"), Record("ease", 0.4)).ok());
  EXPECT_EQ(registry.Current()->Find("ease")->record.version, 2);
}

// A small catalogue of two tastes, posted in `order` (item ids m0..m9), then
// the same clicks whatever that order.
void Fill(TenantState& state, const std::vector<int>& order) {
  for (int i : order) {
    domain::Item item;
    item.id = "m" + std::to_string(i);
    item.title = item.id;
    state.UpsertItem(item);
  }
  const std::vector<std::vector<int>> users = {{0, 1, 2, 3}, {1, 2, 3},    {0, 2, 4}, {5, 6, 7},
                                               {6, 7, 8, 9}, {5, 8, 9, 2}, {0, 1, 9}, {4, 5, 6}};
  absl::Time t = absl::FromUnixSeconds(1'700'000'000);
  for (size_t u = 0; u < users.size(); ++u) {
    for (int i : users[u]) {
      std::string user = "u" + std::to_string(u), item = "m" + std::to_string(i);
      state.ApplyEvent(
          {.user_id = user, .item_id = item, .type = "click", .value = {}, .timestamp = t});
      t += absl::Minutes(1);
    }
  }
}

// What TrainModel does: fit on the state's snapshot, record its item ids.
std::unique_ptr<recsys::Model> TrainOn(const TenantState& state, const std::string& name) {
  TrainingSnapshot snap = state.Snapshot(/*min_positives_for_holdout=*/1000);
  recsys::InteractionMatrix x =
      recsys::BuildInteractionMatrix(snap.num_users, snap.num_items, snap.train);
  std::unique_ptr<recsys::Model> m = *recsys::CreateModel(name);
  boost::json::object params;
  if (name == "ials") params = {{"factors", 4}, {"epochs", 4}, {"num_threads", 1}};
  EXPECT_TRUE(m->Fit(x, params).ok()) << name;
  EXPECT_TRUE(m->SetItemIds(std::move(snap.item_ids)).ok());
  return m;
}

// The model's score of every item id for the user's history, through the
// state's indexes.
std::map<std::string, float> ScoresById(const TenantState& state, const ServingModel& served,
                                        const std::string& user) {
  Eigen::VectorXf s = served.model->Score(state.User(user).preferences);
  std::map<std::string, float> out;
  state.ReadCatalog([&](const std::vector<ItemInfo>& items) {
    for (size_t j = 0; j < items.size(); ++j) {
      out[items[j].id] =
          static_cast<Eigen::Index>(j) < s.size() ? s[static_cast<Eigen::Index>(j)] : 0.0f;
    }
  });
  return out;
}

class ModelIdentityTest : public ModelRegistryTest,
                          public ::testing::WithParamInterface<std::string> {};

// A model file trained where items arrived in one order, loaded where they
// arrived in another (a restart rebuilds in store order; another node sees
// its own order) and where one item is not known yet: every id keeps its
// score, and the ANN index and `supporters` speak the loading state's indexes.
TEST_P(ModelIdentityTest, AModelFileScoresTheSameItemIdsWhereIndexesDiffer) {
  TenantState trained_here;
  Fill(trained_here, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  ModelRegistry here(store_, tenant_, trained_here, /*ann_min_items=*/1);
  ASSERT_TRUE(here.Publish(TrainOn(trained_here, GetParam()), Record(GetParam(), 0.5)).ok());

  TenantState elsewhere;
  domain::Item newer;
  newer.id = "new";
  elsewhere.UpsertItem(newer);  // an item the model never saw, at index 0
  Fill(elsewhere, {9, 7, 5, 3, 1, 8, 6, 4, 2, 0});
  ModelRegistry there(store_, tenant_, elsewhere, /*ann_min_items=*/1);
  ASSERT_TRUE(there.Load().ok());
  const ServingModel* a = here.Current()->Find(GetParam());
  const ServingModel* b = there.Current()->Find(GetParam());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->model->item_ids().size(), static_cast<size_t>(b->model->num_items()));
  for (int32_t j = 0; j < b->model->num_items(); ++j) {
    std::optional<int32_t> index = elsewhere.ItemIndex(b->model->item_ids()[j]);
    ASSERT_TRUE(index.has_value());
    EXPECT_EQ(*index, j);  // served in the loading state's index space
  }
  for (int u = 0; u < 8; ++u) {
    std::string user = "u" + std::to_string(u);
    std::map<std::string, float> sa = ScoresById(trained_here, *a, user);
    std::map<std::string, float> sb = ScoresById(elsewhere, *b, user);
    bool any = false;
    for (const auto& [id, score] : sa) {
      EXPECT_NEAR(sb.at(id), score, 1e-5f * std::max(1.0f, std::abs(score))) << user << " " << id;
      any = any || score != 0.0f;
    }
    EXPECT_TRUE(any) << user;
    EXPECT_EQ(sb.at("new"), 0.0f);
  }
  if (a->ann != nullptr) {
    ASSERT_NE(b->ann, nullptr);
    const auto& ials_a = dynamic_cast<const recsys::IalsModel&>(*a->model);
    const auto& ials_b = dynamic_cast<const recsys::IalsModel&>(*b->model);
    auto top = [](const TenantState& state, const recsys::IalsModel& m, const AnnIndex& ann) {
      Eigen::VectorXf user = m.FoldIn(state.User("u0").preferences).cast<float>();
      std::vector<std::string> ids;
      for (const ScoredIndex& s : ann.Search(user, 3)) ids.push_back(m.item_ids()[s.item]);
      return ids;
    };
    EXPECT_EQ(top(trained_here, ials_a, *a->ann), top(elsewhere, ials_b, *b->ann));
  }
  if (a->supporters.nonZeros() > 0) {
    auto row = [](const TenantState& state, const ServingModel& m, const std::string& id) {
      std::map<std::string, float> out;
      int32_t i = *state.ItemIndex(id);
      for (recsys::SimilarityMatrix::InnerIterator it(m.supporters, i); it; ++it) {
        out[m.model->item_ids()[it.col()]] = it.value();
      }
      return out;
    };
    for (int i = 0; i < 10; ++i) {
      std::string id = "m" + std::to_string(i);
      EXPECT_EQ(row(trained_here, *a, id), row(elsewhere, *b, id)) << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllModels, ModelIdentityTest,
                         ::testing::Values("popularity", "itemknn", "rp3beta", "ease", "ials"));

TEST_F(ModelRegistryTest, AModelWithoutItemIdsIsNotServed) {
  // Publishing needs the ids.
  std::vector<recsys::Triplet> t = {{0, 0, 1}, {0, 1, 1}, {1, 1, 1}};
  std::unique_ptr<recsys::Model> bare = *recsys::CreateModel("popularity");
  ASSERT_TRUE(bare->Fit(recsys::BuildInteractionMatrix(2, 2, t), {}).ok());
  ModelRegistry registry(store_, tenant_, state_);
  EXPECT_EQ(registry.Publish(std::move(bare), Record("popularity", 0.1)).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Version 1 bytes (indexes only), as earlier builds wrote them.
  std::string bytes;
  {
    recsys::BinaryWriter w(&bytes);
    const char magic[8] = {'T', 'A', 'I', 'L', 'O', 'R', 'M', '\0'};
    w.Bytes(magic, sizeof magic);
    w.U32(1);
    w.String("popularity");
    w.String("{}");
    w.FloatVector({3.0f, 1.0f});
    ASSERT_TRUE(w.Close().ok());
  }
  absl::StatusOr<std::unique_ptr<recsys::Model>> v1 = recsys::ParseModel(bytes);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_TRUE((*v1)->item_ids().empty());
  ASSERT_TRUE(store_->PutBlob(tenant_, "models/popularity/v1", bytes).ok());
  PutVersion1("popularity", "models/popularity/v1", /*history=*/true);
  ModelRegistry reloaded(store_, tenant_, state_);
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_EQ(reloaded.Current()->Find("popularity"), nullptr);
  EXPECT_EQ(reloaded.Records().size(), 1u);
}

}  // namespace
}  // namespace tailor::serving
