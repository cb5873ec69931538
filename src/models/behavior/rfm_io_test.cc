#include "models/behavior/rfm_io.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace tailor::behavior {
namespace {

TEST(RfmIoTest, AcceptsBothHeaderStyles) {
  auto a = ParseRfmCsv("ID,frequency,recency,T,monetary_value\n7,2,3.5,10,12.5\n\n8,0,0,4,0\n");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->has_monetary);
  ASSERT_EQ(a->customers.size(), 2u);
  EXPECT_EQ(a->customers[0].id, "7");
  EXPECT_EQ(a->customers[0].frequency, 2);
  EXPECT_EQ(a->customers[0].recency, 3.5);
  EXPECT_EQ(a->customers[0].age, 10);
  EXPECT_EQ(a->customers[0].monetary, 12.5);
  auto b = ParseRfmCsv("T,zbar,x,ID,t_x\r\n10,12.5,2,7,3.5\r\n");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->customers[0].recency, 3.5);
  EXPECT_EQ(b->customers[0].monetary, 12.5);
  auto c = ParseRfmCsv("ID,frequency,recency,T\n1,1,1,2\n");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_monetary);
}

TEST(RfmIoTest, ErrorsNameTheLine) {
  auto bad_header = ParseRfmCsv("id,freq,rec,T\n1,1,1,1\n");
  EXPECT_EQ(bad_header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_header.status().message().find("line 1"), std::string::npos);
  auto bad_number = ParseRfmCsv("ID,frequency,recency,T\n1,1,1,2\n2,one,1,2\n");
  EXPECT_NE(bad_number.status().message().find("line 3"), std::string::npos);
  auto bad_fields = ParseRfmCsv("ID,frequency,recency,T\n1,1,1\n");
  EXPECT_NE(bad_fields.status().message().find("line 2"), std::string::npos);
  auto recency_after_t = ParseRfmCsv("ID,frequency,recency,T\n1,1,5,2\n");
  EXPECT_NE(recency_after_t.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseRfmCsv("").ok());
  EXPECT_EQ(ReadRfmCsv("/nonexistent/rfm.csv").status().code(), absl::StatusCode::kNotFound);
}

TEST(RfmIoTest, ParsesCdnowLines) {
  auto t = ParseCdnowTransactions(" 00004 0001 19970101  2   29.33\n00007   19970102 1 11.77\n");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].customer, "1");  // sample_id without leading zeros
  EXPECT_EQ((*t)[1].customer, "7");  // master format: customer_id
  EXPECT_EQ((*t)[0].amount, 29.33);
  EXPECT_EQ((*t)[1].time, absl::FromCivil(absl::CivilDay(1997, 1, 2), absl::UTCTimeZone()));
  EXPECT_NE(ParseCdnowTransactions("1 2 19970231 1 1\n").status().message().find("line 1"),
            std::string::npos);
  EXPECT_FALSE(ParseCdnowTransactions("1 2 3\n").ok());
  // CDNOW_master.txt's header line; a non-number later on is still an error.
  auto master = ParseCdnowTransactions(" customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n");
  ASSERT_TRUE(master.ok()) << master.status();
  EXPECT_EQ(master->size(), 1u);
  EXPECT_FALSE(ParseCdnowTransactions("00001 19970101 1 11.77\nid date cds dollars\n").ok());
}

}  // namespace
}  // namespace tailor::behavior
