#include "serving/model_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "models/recsys/model_factory.h"

namespace tailor::serving {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<recsys::Model> FittedModel(const std::string& name) {
  std::vector<recsys::Triplet> t = {{0, 0, 1}, {0, 1, 1}, {1, 1, 1}, {1, 2, 1}, {2, 0, 1}, {2, 2, 1}};
  recsys::InteractionMatrix x = recsys::BuildInteractionMatrix(3, 3, t);
  std::unique_ptr<recsys::Model> m = *recsys::CreateModel(name);
  EXPECT_TRUE(m->Fit(x, {}).ok());
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
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("registry_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ModelRegistryTest, PublishVersionsPersistsAndReloads) {
  {
    ModelRegistry registry(dir_.string());
    ASSERT_TRUE(registry.Load().ok());  // nothing yet
    EXPECT_EQ(registry.Current()->Best(), nullptr);
    absl::StatusOr<ModelRecord> r1 = registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.2));
    ASSERT_TRUE(r1.ok()) << r1.status();
    EXPECT_EQ(r1->version, 1);
    absl::StatusOr<ModelRecord> r2 = registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.3));
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->version, 2);
    ASSERT_TRUE(registry.Publish(FittedModel("ease"), Record("ease", 0.4)).ok());
    ASSERT_TRUE(registry.Publish(FittedModel("popularity"), Record("popularity", 0.9)).ok());
    EXPECT_EQ(registry.Current()->Best()->record.name, "ease");  // popularity never "best"
    EXPECT_EQ(registry.Records().size(), 4u);
  }
  ModelRegistry again(dir_.string());
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
    ModelRegistry registry(dir_.string());
    ModelRecord tiny = Record("ease", 0.9);
    tiny.insufficient_data = "trained on 1 user and 1 item";
    ASSERT_TRUE(registry.Publish(FittedModel("ease"), tiny).ok());
    EXPECT_EQ(registry.Current()->Best(), nullptr);
    ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
    EXPECT_EQ(registry.Current()->Best()->record.name, "itemknn");
  }
  // The reason is persisted with the record.
  ModelRegistry again(dir_.string());
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.Current()->Find("ease")->record.insufficient_data,
            "trained on 1 user and 1 item");
  EXPECT_TRUE(again.Current()->Find("itemknn")->record.insufficient_data.empty());
  EXPECT_EQ(again.Current()->Best()->record.name, "itemknn");
}

TEST_F(ModelRegistryTest, OldModelFilesArePruned) {
  ModelRegistry registry(dir_.string());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.path().extension() == ".model";
  EXPECT_EQ(files, ModelRegistry::kKeepFilesPerModel);
  ModelRegistry again(dir_.string());
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.Current()->Find("itemknn")->record.version, 4);
}

TEST_F(ModelRegistryTest, ReadersKeepTheirSnapshotAcrossASwap) {
  ModelRegistry registry("");
  ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
  std::shared_ptr<const ModelSet> before = registry.Current();
  ASSERT_TRUE(registry.Publish(FittedModel("itemknn"), Record("itemknn", 0.1)).ok());
  EXPECT_EQ(before->Find("itemknn")->record.version, 1);
  EXPECT_EQ(registry.Current()->Find("itemknn")->record.version, 2);
}

TEST_F(ModelRegistryTest, CorruptRegistryIsDataLoss) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "registry.json") << "{not json";
  ModelRegistry registry(dir_.string());
  EXPECT_EQ(registry.Load().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace tailor::serving
