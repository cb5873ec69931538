#include "importer/importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/validation.h"
#include "importer/demo_data.h"
#include "storage/store_url.h"

namespace tailor::importer {
namespace {

namespace fs = std::filesystem;

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tailor_import_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(*storage::OpenStore("sqlite://" + (dir_ / "t.db").string()));
    tenant_ = store_->EnsureTenant("t")->id;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
  domain::TenantId tenant_ = 0;
};

TEST_F(ImporterTest, JsonlSkipsBadRowsWithLineNumbers) {
  std::string path = Write("e.jsonl",
                           "{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"view\"}\n"
                           "not json\n"
                           "{\"user_id\":\"u1\",\"type\":\"rate\",\"item_id\":\"i2\"}\n"
                           "{\"event_id\":\"x\",\"user_id\":\"u2\",\"item_id\":\"i1\",\"type\":\"click\"}\n"
                           "{\"event_id\":\"x\",\"user_id\":\"u2\",\"item_id\":\"i1\",\"type\":\"click\"}\n");
  std::ostringstream report;
  auto s = Import(*store_, tenant_, path, {.format = "jsonl", .kind = "events", .progress = false},
                  report);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->events_accepted, 2);
  EXPECT_EQ(s->events_duplicate, 1);
  EXPECT_EQ(s->bad_rows, 2);
  EXPECT_NE(report.str().find("e.jsonl:2: malformed JSON"), std::string::npos) << report.str();
  EXPECT_NE(report.str().find("e.jsonl:3: value: is required"), std::string::npos) << report.str();
}

TEST_F(ImporterTest, CsvUsersItemsEvents) {
  std::ostringstream report;
  auto users = Import(*store_, tenant_,
                      Write("u.csv", "user_id,timezone,plan\nu1,Europe/Paris,pro\nu2,Bad/Zone,free\n"),
                      {.format = "csv", .kind = "users", .progress = false}, report);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->users, 1);
  EXPECT_EQ(users->bad_rows, 1);
  EXPECT_EQ(store_->GetUser(tenant_, "u1")->attributes.at("plan").as_string(), "pro");
  auto items = Import(*store_, tenant_,
                      Write("i.csv", "item_id,title,categories,price\ni1,\"Shoes, blue\",a|b,12.5\n"),
                      {.format = "csv", .kind = "items", .progress = false}, report);
  ASSERT_TRUE(items.ok());
  auto item = store_->GetItem(tenant_, "i1");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->title, "Shoes, blue");
  EXPECT_EQ(item->categories.size(), 2u);
  auto events = Import(*store_, tenant_,
                       Write("e.csv", "user_id,item_id,type,value,timestamp\nu1,i1,rate,4,881250949\n"
                                      "u1,i1,rate\n"),
                       {.format = "csv", .kind = "events", .progress = false}, report);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->events_accepted, 1);
  EXPECT_EQ(events->bad_rows, 1);
  auto page = store_->ListUserEvents(tenant_, "u1", "", 10);
  EXPECT_EQ(page->rows[0].timestamp, absl::FromUnixSeconds(881250949));
}

TEST_F(ImporterTest, UnknownFormatAndMissingFile) {
  std::ostringstream report;
  EXPECT_EQ(Import(*store_, tenant_, "x", {.format = "xml"}, report).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Import(*store_, tenant_, (dir_ / "missing.jsonl").string(),
                   {.format = "jsonl", .kind = "events"}, report)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ImporterTest, MovieLens100kIsIdempotent) {
  std::string dir = std::string(TAILOR_SHARED_DATA) + "/ml-100k";
  if (!fs::exists(dir + "/u.data")) GTEST_SKIP() << "ml-100k not found at " << dir;
  std::ostringstream report;
  auto first = Import(*store_, tenant_, dir, {.format = "ml-100k", .progress = false}, report);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->users, 943);
  EXPECT_EQ(first->items, 1682);
  EXPECT_EQ(first->events_accepted, 100000);
  EXPECT_EQ(first->bad_rows, 0) << report.str();
  auto item = store_->GetItem(tenant_, "1");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->title, "Toy Story (1995)");
  auto again = Import(*store_, tenant_, dir, {.format = "ml-100k", .progress = false}, report);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events_accepted, 0);
  EXPECT_EQ(again->events_duplicate, 100000);
}

TEST_F(ImporterTest, DemoDataIsDeterministicAndPlausible) {
  absl::Time now = absl::FromUnixSeconds(1750000000);
  auto s = GenerateDemo(*store_, tenant_, {.users = 40, .items = 30, .days = 20, .seed = 3}, now);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->users, 40);
  EXPECT_EQ(s->items, 30);
  EXPECT_GT(s->events, 100);
  auto user = store_->GetUser(tenant_, "user-0");
  ASSERT_TRUE(user.ok());
  EXPECT_FALSE(user->timezone.empty());
  // Items are dated to the second, not to a fraction of a nanosecond.
  for (int i = 0; i < 30; ++i) {
    auto item = store_->GetItem(tenant_, "item-" + std::to_string(i));
    ASSERT_TRUE(item.ok()) << item.status();
    ASSERT_TRUE(item->published_at.has_value());
    EXPECT_EQ(*item->published_at, absl::FromUnixSeconds(absl::ToUnixSeconds(*item->published_at)))
        << domain::FormatRfc3339(*item->published_at);
  }
  int64_t after_events = *store_->CountEvents(tenant_);
  // Same seed, same ids: a second run adds no event.
  auto again = GenerateDemo(*store_, tenant_, {.users = 40, .items = 30, .days = 20, .seed = 3}, now);
  ASSERT_TRUE(again.ok());
  EXPECT_LE(*store_->CountEvents(tenant_) - after_events, after_events);
}

}  // namespace
}  // namespace tailor::importer
