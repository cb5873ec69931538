#include "eval/split.h"

#include <set>

#include <gtest/gtest.h>

namespace tailor::eval {
namespace {

// 30 users x 40 items; user u has 2 + u % 7 interactions at distinct times.
Dataset Synthetic() {
  Dataset d;
  d.num_users = 30;
  d.num_items = 40;
  int64_t t = 0;
  for (int32_t u = 0; u < 30; ++u) {
    for (int32_t k = 0; k < 2 + u % 7; ++k) d.interactions.push_back({u, (u * 3 + k * 5) % 40, 1.0f, t++});
  }
  d.interactions.push_back({0, 39, 1.0f, t++});  // user 0 gets a latest item
  return d;
}

std::set<std::pair<int32_t, int32_t>> Pairs(const std::vector<Interaction>& v) {
  std::set<std::pair<int32_t, int32_t>> s;
  for (const auto& x : v) s.insert({x.user, x.item});
  return s;
}

void CheckWeakInvariants(const Dataset& all, const EvalSplit& s) {
  auto train = Pairs(s.train.interactions);
  size_t held = 0;
  for (const EvalCase& c : s.cases) {
    ASSERT_GE(c.user, 0);
    std::set<int32_t> hist;
    for (const auto& h : c.history) hist.insert(h.item);
    for (int32_t i : c.relevant) {
      EXPECT_FALSE(train.contains({c.user, i}));
      EXPECT_FALSE(hist.contains(i));
    }
    held += c.relevant.size();
    for (int32_t i : hist) EXPECT_TRUE(train.contains({c.user, i}));
  }
  EXPECT_EQ(held + s.train.interactions.size(), all.interactions.size());  // a partition
}

TEST(SplitTest, LeaveLastOutHoldsOutTheLatestAndSamplesUnseenNegatives) {
  Dataset d = Synthetic();
  Random rng(7);
  EvalSplit s = MakeSplit(d, {.kind = ProtocolKind::kLeaveLastOut, .num_negatives = 10}, rng);
  CheckWeakInvariants(d, s);
  ASSERT_EQ(s.cases.size(), 30u);
  EXPECT_EQ(s.cases[0].relevant, std::vector<int32_t>{39});
  auto all = Pairs(d.interactions);
  for (const EvalCase& c : s.cases) {
    ASSERT_EQ(c.relevant.size(), 1u);
    EXPECT_EQ(c.candidates.size(), 11u);
    std::set<int32_t> uniq(c.candidates.begin(), c.candidates.end());
    EXPECT_EQ(uniq.size(), 11u);
    for (int32_t i : c.candidates) {
      if (i == c.relevant[0]) continue;
      EXPECT_FALSE(all.contains({c.user, i}));
    }
  }
}

TEST(SplitTest, SameSeedSameSplitOtherSeedOtherSplit) {
  Dataset d = Synthetic();
  Random a(1), b(1), c(2);
  ProtocolSpec spec{.kind = ProtocolKind::kRandomHoldout, .holdout_fraction = 0.3};
  EvalSplit sa = MakeSplit(d, spec, a), sb = MakeSplit(d, spec, b), sc = MakeSplit(d, spec, c);
  ASSERT_EQ(sa.cases.size(), sb.cases.size());
  bool differs = false;
  for (size_t k = 0; k < sa.cases.size(); ++k) {
    EXPECT_EQ(sa.cases[k].relevant, sb.cases[k].relevant);
    differs |= sa.cases[k].relevant != sc.cases[k].relevant;
  }
  EXPECT_TRUE(differs);
  CheckWeakInvariants(d, sa);
}

TEST(SplitTest, TemporalHoldoutKeepsTheFutureOut) {
  Dataset d = Synthetic();
  Random rng(3);
  EvalSplit s = MakeSplit(d, {.kind = ProtocolKind::kTemporalHoldout, .holdout_fraction = 0.5}, rng);
  CheckWeakInvariants(d, s);
  for (const EvalCase& c : s.cases) {
    int64_t last_train = -1, first_test = 1 << 30;
    for (const auto& x : d.interactions) {
      if (x.user != c.user) continue;
      bool test = std::binary_search(c.relevant.begin(), c.relevant.end(), x.item);
      if (test) {
        first_test = std::min(first_test, x.timestamp);
      } else {
        last_train = std::max(last_train, x.timestamp);
      }
    }
    EXPECT_LT(last_train, first_test) << c.user;
    EXPECT_FALSE(c.history.empty());
  }
}

TEST(SplitTest, StrongGeneralizationUsersAreAbsentFromTraining) {
  Dataset d = Synthetic();
  Random rng(5);
  EvalSplit s = MakeSplit(d, {.kind = ProtocolKind::kStrongGeneralization, .holdout_fraction = 0.2,
                              .heldout_users_fraction = 0.2}, rng);
  EXPECT_EQ(s.cases.size(), 6u);
  std::set<int32_t> train_users;
  for (const auto& x : s.train.interactions) train_users.insert(x.user);
  EXPECT_EQ(train_users.size(), 24u);
  size_t total = s.train.interactions.size();
  for (const EvalCase& c : s.cases) {
    EXPECT_EQ(c.user, -1);
    EXPECT_FALSE(c.history.empty());
    EXPECT_FALSE(c.relevant.empty());
    for (const auto& h : c.history) {
      EXPECT_FALSE(std::binary_search(c.relevant.begin(), c.relevant.end(), h.item));
    }
    total += c.history.size() + c.relevant.size();
  }
  EXPECT_EQ(total, d.interactions.size());
}

TEST(SplitTest, GivenSplitUsesFilesAndNegatives) {
  SplitData data;
  data.train.num_users = 3;
  data.train.num_items = 6;
  data.train.interactions = {{0, 0, 1, 0}, {1, 1, 1, 1}, {2, 2, 1, 2}};
  data.test = {{0, 3, 1, 3}, {0, 4, 1, 4}, {2, 5, 1, 5}};
  data.negatives = {{1, 2}, {}, {}};
  EvalSplit s = MakeGivenSplit(data);
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(s.cases[0].relevant, (std::vector<int32_t>{3, 4}));
  EXPECT_EQ(s.cases[0].candidates, (std::vector<int32_t>{1, 2, 3, 4}));
  EXPECT_TRUE(s.cases[1].candidates.empty());
  EXPECT_EQ(s.cases[1].history.size(), 1u);
}

// P = 10 in miniature: 20 users with 10 training items and 3 test items each.
// The validation split holds out 2 of each user's 10 training items; its
// training data plus its relevant items are exactly the training file, and no
// test item appears anywhere in it.
TEST(SplitTest, ValidationSplitIsCarvedFromTrainingOnly) {
  SplitData data;
  data.train.num_users = 20;
  data.train.num_items = 60;
  for (int32_t u = 0; u < 20; ++u) {
    for (int32_t k = 0; k < 10; ++k) data.train.interactions.push_back({u, (u + 4 * k) % 60, 1.0f, k});
    for (int32_t k = 0; k < 3; ++k) data.test.push_back({u, (u + 40 + 5 * k) % 60, 1.0f, 10 + k});
  }
  // The test items above never collide with a training item of the same user.
  auto train_pairs = Pairs(data.train.interactions);
  for (const Interaction& x : data.test) ASSERT_FALSE(train_pairs.contains({x.user, x.item}));
  const EvalSplit test = MakeGivenSplit(data);
  const std::vector<EvalCase> test_cases_before = test.cases;
  Random rng(7);
  EvalSplit v = MakeValidationSplit(test, {.kind = ProtocolKind::kRandomHoldout, .holdout_fraction = 0.2}, rng);
  ASSERT_EQ(v.cases.size(), 20u);
  std::set<std::pair<int32_t, int32_t>> rebuilt = Pairs(v.train.interactions);
  const auto test_pairs = Pairs(data.test);
  for (const EvalCase& c : v.cases) {
    EXPECT_EQ(c.relevant.size(), 2u);  // 20 % of 10
    EXPECT_EQ(c.history.size(), 8u);
    for (int32_t i : c.relevant) {
      EXPECT_TRUE(train_pairs.contains({c.user, i}));
      EXPECT_FALSE(Pairs(v.train.interactions).contains({c.user, i}));
      rebuilt.insert({c.user, i});
    }
  }
  EXPECT_EQ(rebuilt, train_pairs);
  for (const auto& p : Pairs(v.train.interactions)) EXPECT_FALSE(test_pairs.contains(p));
  // The test split is not modified.
  ASSERT_EQ(test.cases.size(), test_cases_before.size());
  for (size_t j = 0; j < test.cases.size(); ++j) {
    EXPECT_EQ(test.cases[j].relevant, test_cases_before[j].relevant);
    EXPECT_EQ(test.cases[j].history.size(), 10u);
  }
}

}  // namespace
}  // namespace tailor::eval
