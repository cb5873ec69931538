#include "importer/csv.h"

#include <gtest/gtest.h>

namespace tailor::importer {
namespace {

TEST(CsvTest, SplitsQuotedFields) {
  std::vector<std::string> f;
  ASSERT_TRUE(SplitCsvLine("a,\"b,c\",\"say \"\"hi\"\"\",,e\r", ',', &f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "say \"hi\"", "", "e"}));
  EXPECT_FALSE(SplitCsvLine("a,\"unterminated", ',', &f));
}

TEST(CsvTest, SplitsOnMultiCharSeparator) {
  auto parts = SplitOn("1::Toy Story (1995)::Animation|Comedy", "::");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "Toy Story (1995)");
}

}  // namespace
}  // namespace tailor::importer
