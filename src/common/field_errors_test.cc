#include "common/field_errors.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(FieldErrorsTest, RoundTripsThroughStatus) {
  FieldErrors errors;
  errors.Add("user_id", "must not be empty");
  errors.Add("timezone", "unknown time zone");
  absl::Status status = errors.ToStatus("invalid user");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldError> back = FieldErrorsOf(status);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].field, "user_id");
  EXPECT_EQ(back[1].message, "unknown time zone");
}

TEST(FieldErrorsTest, EmptyIsOk) { EXPECT_TRUE(FieldErrors().ToStatus("x").ok()); }

TEST(FieldErrorsTest, PrefixesNestedErrors) {
  FieldErrors outer;
  outer.AddAllWithPrefix("events[2]", InvalidField("user_id", "too long"));
  outer.AddAllWithPrefix("events[3]", absl::InvalidArgumentError("not an object"));
  ASSERT_EQ(outer.size(), 2u);
  EXPECT_EQ(outer.errors()[0].field, "events[2].user_id");
  EXPECT_EQ(outer.errors()[1].field, "events[3]");
}

TEST(FieldErrorsTest, PlainStatusHasNoFieldErrors) {
  EXPECT_TRUE(FieldErrorsOf(absl::InvalidArgumentError("x")).empty());
}

}  // namespace
}  // namespace tailor
