#include "eval/event_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tailor::eval {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = (std::filesystem::path(::testing::TempDir()) /
                      (std::to_string(::getpid()) + "_" + name))
                         .string();
  std::ofstream(path) << content;
  return path;
}

TEST(EventLogTest, ReadsEachFormat) {
  auto cdnow = ReadEventLog("cdnow", WriteTemp("cdnow.txt", "customer_id date cds dollars\n00007 19970102 1 11.77\n"));
  ASSERT_TRUE(cdnow.ok()) << cdnow.status();
  ASSERT_EQ(cdnow->size(), 1u);
  EXPECT_EQ((*cdnow)[0].type, "purchase");
  EXPECT_EQ((*cdnow)[0].user_id, "7");
  EXPECT_DOUBLE_EQ(*(*cdnow)[0].value, 11.77);

  auto ml = ReadEventLog("ml-100k", WriteTemp("u.data", "196\t242\t3\t881250949\n"));
  ASSERT_TRUE(ml.ok()) << ml.status();
  EXPECT_EQ((*ml)[0].type, "rate");
  EXPECT_EQ((*ml)[0].item_id, "242");
  EXPECT_EQ((*ml)[0].timestamp, absl::FromUnixSeconds(881250949));

  auto amazon = ReadEventLog(
      "amazon", WriteTemp("amazon.json", R"({"reviewerID": "A1", "asin": "B2", "overall": 2.0, "reviewText": "Broke fast.", "unixReviewTime": 1393545600})"
                                         "\n"));
  ASSERT_TRUE(amazon.ok()) << amazon.status();
  EXPECT_EQ((*amazon)[0].text, "Broke fast.");
  EXPECT_DOUBLE_EQ(*(*amazon)[0].value, 2.0);

  auto tailor = ReadEventLog(
      "tailor", WriteTemp("events.jsonl", R"({"user_id": "u", "type": "click", "item_id": "i", "timestamp": "2025-01-01T00:00:00Z"})"
                                          "\n"));
  ASSERT_TRUE(tailor.ok()) << tailor.status();
  EXPECT_EQ((*tailor)[0].type, "click");
}

TEST(EventLogTest, ErrorsNameTheLine) {
  auto bad = ReadEventLog("ml-100k", WriteTemp("bad.data", "1\t2\t3\t4\n1\t2\tx\t4\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":2:"), std::string::npos) << bad.status();
  auto untimed = ReadEventLog("tailor", WriteTemp("untimed.jsonl", R"({"user_id": "u", "type": "click", "item_id": "i"})"
                                                                   "\n"));
  EXPECT_NE(untimed.status().message().find("timestamp required"), std::string::npos) << untimed.status();
  EXPECT_EQ(ReadEventLog("nope", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadEventLog("amazon", "/nonexistent/file").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tailor::eval
