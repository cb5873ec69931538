#include "models/decide/quality_gate.h"

#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

GateInputs NewVariant() {
  GateInputs in;
  in.threshold = 0.3;
  in.components = {DataConfidence(40), /*model=*/0.0, RenderCompleteness(2, 0)};
  in.variant_sends = 0;
  return in;
}

// Issue 11, defect 6: a never-sent variant (model confidence 0) is explored
// at about the exploration share instead of being gated shut forever.
TEST(QualityGateTest, NewVariantIsExploredAtTheShare) {
  Random rng(7);
  int explored = 0;
  for (int i = 0; i < 2000; ++i) {
    GateVerdict v = ApplyQualityGate(NewVariant(), rng);
    EXPECT_EQ(v.quality, 0.0);
    EXPECT_NE(v.kind, GateVerdict::kPass);
    explored += v.kind == GateVerdict::kExplore;
  }
  EXPECT_NEAR(explored / 2000.0, 0.1, 0.025);
  GateInputs always = NewVariant();
  always.exploration.share = 1.0;
  EXPECT_EQ(ApplyQualityGate(always, rng).kind, GateVerdict::kExplore);
  always.exploration.share = 0.0;
  EXPECT_EQ(ApplyQualityGate(always, rng).kind, GateVerdict::kFallback);
}

TEST(QualityGateTest, ExplorationEndsWithEvidenceAndNeverCoversRenderOrDataGaps) {
  Random rng(7);
  GateInputs known = NewVariant();
  known.exploration.share = 1.0;
  known.variant_sends = 20;  // no longer new: its own score decides
  EXPECT_EQ(ApplyQualityGate(known, rng).kind, GateVerdict::kFallback);
  GateInputs broken = NewVariant();
  broken.exploration.share = 1.0;
  broken.components.render_completeness = 0.0;  // every variable defaulted
  EXPECT_EQ(ApplyQualityGate(broken, rng).kind, GateVerdict::kFallback);
  GateInputs stranger = NewVariant();
  stranger.exploration.share = 1.0;
  stranger.components.data_confidence = 0.0;
  EXPECT_EQ(ApplyQualityGate(stranger, rng).kind, GateVerdict::kFallback);
  GateInputs good = NewVariant();
  good.components.model_confidence = 0.8;
  EXPECT_EQ(ApplyQualityGate(good, rng).kind, GateVerdict::kPass);
}

TEST(QualityGateTest, TransactionalIsNeverReplaced) {
  Random rng(7);
  GateInputs receipt = NewVariant();
  receipt.category = MessageCategory::kTransactional;
  receipt.exploration.share = 0.0;
  receipt.components.render_completeness = 0.0;
  GateVerdict v = ApplyQualityGate(receipt, rng);
  EXPECT_EQ(v.kind, GateVerdict::kTransactional);
  EXPECT_NE(v.reason.find("never replaced"), std::string::npos);
}

}  // namespace
}  // namespace tailor::decide
