#include "eval/readers.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace tailor::eval {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    static int n = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("tailor_reader_" + std::to_string(::getpid()) + "_" + std::to_string(n++)))
                .string();
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ReadDelimitedTest, MovieLens100kTabs) {
  TempFile f("196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t881250950\n");
  auto d = ReadDelimited(f.path(), {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->num_users, 2);
  EXPECT_EQ(d->num_items, 2);
  ASSERT_EQ(d->interactions.size(), 3u);
  EXPECT_EQ(d->interactions[2].user, 0);
  EXPECT_EQ(d->interactions[2].item, 1);
  EXPECT_EQ(d->interactions[2].value, 5.0f);
  EXPECT_EQ(d->interactions[2].timestamp, 881250950);
  EXPECT_EQ(d->user_ids[1], "186");
}

TEST(ReadDelimitedTest, MovieLens1mDoubleColon) {
  TempFile f("1::1193::5::978300760\n1::661::3::978302109\n");
  auto d = ReadDelimited(f.path(), {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->interactions.size(), 2u);
  EXPECT_EQ(d->item_ids[1], "661");
  EXPECT_EQ(d->interactions[1].timestamp, 978302109);
}

TEST(ReadDelimitedTest, MovieLensLatestCsvWithHeader) {
  TempFile f("userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n");
  auto d = ReadDelimited(f.path(), {});
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->interactions.size(), 2u);
  EXPECT_EQ(d->interactions[1].value, 4.5f);
}

TEST(ReadDelimitedTest, PlainPairsGetLineNumbersAsTime) {
  TempFile f("alice book\nbob book\nalice pen\n");
  auto d = ReadDelimited(f.path(), {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->num_users, 2);
  EXPECT_EQ(d->interactions[2].value, 1.0f);
  EXPECT_EQ(d->interactions[2].timestamp, 3);
}

TEST(ReadDelimitedTest, ErrorsNameTheLine) {
  TempFile f("1\t2\t3\n4\n");
  auto d = ReadDelimited(f.path(), {});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find(":2:"), std::string::npos);
  EXPECT_EQ(ReadDelimited("/nonexistent/file", {}).status().code(), absl::StatusCode::kNotFound);
}

TEST(ReadAmazonJsonTest, ReadsReviewerAsinOverallTime) {
  TempFile f(R"({"reviewerID": "A1", "asin": "X", "overall": 5.0, "unixReviewTime": 1393545600}
{"reviewerID": "A2", "asin": "X", "overall": 3.0, "unixReviewTime": 1363392000}
)");
  auto d = ReadAmazonJson(f.path());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->num_users, 2);
  EXPECT_EQ(d->num_items, 1);
  EXPECT_EQ(d->interactions[1].value, 3.0f);
  EXPECT_EQ(d->interactions[0].timestamp, 1393545600);
}

TEST(ReadCiteULikeTest, CountPrefixedLines) {
  TempFile train("2 0 3\n1 2\n0\n");
  TempFile test("1 1\n2 0 4\n1 3\n");
  auto s = ReadCiteULike(train.path(), test.path());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->train.num_users, 3);
  EXPECT_EQ(s->train.num_items, 5);
  EXPECT_EQ(s->train.interactions.size(), 3u);
  ASSERT_EQ(s->test.size(), 4u);
  EXPECT_EQ(s->test[1].user, 1);
  EXPECT_EQ(s->test[1].item, 0);
  TempFile bad("3 1 2\n");
  EXPECT_EQ(ReadCiteULike(bad.path(), test.path()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReadNcfTest, TrainTestNegatives) {
  TempFile train("0\t1\t5\t100\n0\t2\t4\t101\n1\t0\t3\t99\n");
  TempFile test("0\t3\t5\t200\n1\t2\t1\t201\n");
  TempFile neg("(0,3)\t4\t5\n(1,2)\t1\t6\n");
  auto s = ReadNcf(train.path(), test.path(), neg.path());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->train.num_users, 2);
  EXPECT_EQ(s->train.num_items, 7);
  EXPECT_EQ(s->test.size(), 2u);
  ASSERT_EQ(s->negatives.size(), 2u);
  EXPECT_EQ(s->negatives[1], (std::vector<int32_t>{1, 6}));
}

}  // namespace
}  // namespace tailor::eval
