#include "notify/notifier.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/clock.h"
#include "common/field_errors.h"
#include "domain/validation.h"
#include "notify/campaign_runner.h"
#include "storage/change_feed.h"
#include "storage/temp_store_for_test.h"

namespace tailor::notify {
namespace {

namespace json = boost::json;

class NotifierTest : public ::testing::Test {
 protected:
  // Monday 2026-03-02 10:00 UTC (11:00 in Berlin).
  NotifierTest() : db_("notifier"), clock_(absl::FromUnixSeconds(1772445600)) {}

  void PutUser(const std::string& doc, const std::string& id = "u1") {
    domain::User user = *domain::ParseUser(json::parse(doc), id);
    user.updated_at = clock_.Now();
    storage::WriteBatch b;
    b.PutUser(user);
    db_.Write(std::move(b));
  }
  void PutRecord(const char* collection, const std::string& id, const std::string& doc) {
    storage::WriteBatch b;
    b.PutRecord(collection, id, doc, clock_.Now());
    db_.Write(std::move(b));
  }
  void PutTemplate(const std::string& id, const std::string& doc) {
    PutRecord(kTemplatesCollection, id, doc);
  }
  DecideRequest Request(const std::string& body) {
    absl::StatusOr<DecideRequest> r = ParseDecideRequest(json::parse(body));
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  }
  json::object Decide(Notifier& n, const std::string& body) {
    absl::StatusOr<Decision> d = n.DecideAndCommit(db_.tenant(), Request(body));
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? d->answer : json::object();
  }
  static std::string Suppressed(const json::object& a) {
    return a.at("suppressed").is_null() ? ""
                                        : std::string(a.at("suppressed").at("reason").get_string());
  }

  storage::TempStoreForTest db_;
  ManualClock clock_;
};

constexpr char kTwoChannels[] = R"({"variants": [
  {"id": "e", "tone": "friendly", "email": {"subject": "Hi {{user.first_name}}", "body": "b"},
   "push": {"title": "Hi", "body": "Hi {{user.first_name}}"}}]})";

TEST_F(NotifierTest, ChoosesTheConsentedReachableChannelAndExplains) {
  PutUser(R"({"attributes": {"first_name": "Ada"}, "timezone": "Europe/Berlin",
              "email": "a@example.com", "push_tokens": ["tok"],
              "consent": {"email": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  Notifier notifier(db_.store(), nullptr, clock_);
  json::object a = Decide(notifier, R"({"user_id": "u1", "template_id": "welcome"})");
  EXPECT_EQ(Suppressed(a), "");
  EXPECT_EQ(a.at("channel"), "email");
  EXPECT_EQ(a.at("content").at("subject"), "Hi Ada");
  EXPECT_FALSE(a.at("reasons").get_array().empty());
  bool push_noted = false;
  for (const json::value& row : a.at("channel_scores").get_array()) {
    if (row.at("channel") == "push") {
      EXPECT_FALSE(row.at("eligible").get_bool());
      push_noted = row.at("note") == "no marketing consent";
    }
  }
  EXPECT_TRUE(push_noted);
  // Stored, and readable back with its attribution.
  absl::StatusOr<json::object> stored =
      notifier.GetDecision(db_.tenant(), a.at("decision_id").get_string());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_FALSE(stored->at("attribution").at("opened").get_bool());
}

TEST_F(NotifierTest, NoConsentSuppressesMarketingButNotTransactional) {
  PutUser(R"({"email": "a@example.com", "attributes": {"first_name": "Ada"}})");
  PutTemplate("welcome", kTwoChannels);
  Notifier notifier(db_.store(), nullptr, clock_);
  EXPECT_EQ(Suppressed(Decide(notifier, R"({"user_id": "u1", "template_id": "welcome"})")),
            "no_consent");
  json::object t = Decide(
      notifier, R"({"user_id": "u1", "template_id": "welcome", "category": "transactional"})");
  EXPECT_EQ(Suppressed(t), "");
  EXPECT_EQ(t.at("send_at").at("utc").get_string(), domain::FormatRfc3339(clock_.Now()));
  absl::StatusOr<Decision> unknown =
      notifier.Decide(db_.tenant(), Request(R"({"user_id": "ghost", "template_id": "welcome"})"));
  EXPECT_TRUE(absl::IsNotFound(unknown.status()));
  absl::StatusOr<Decision> no_template =
      notifier.Decide(db_.tenant(), Request(R"({"user_id": "u1", "template_id": "nope"})"));
  EXPECT_TRUE(absl::IsNotFound(no_template.status()));
}

TEST_F(NotifierTest, CapsSuppressMarketingNeverTransactional) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 1}]})");
  Notifier notifier(db_.store(), nullptr, clock_);
  const std::string window =
      R"("window": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T12:00:00Z"})";
  EXPECT_EQ(Suppressed(
                Decide(notifier, R"({"user_id": "u1", "template_id": "welcome", )" + window + "}")),
            "");
  EXPECT_EQ(Suppressed(
                Decide(notifier, R"({"user_id": "u1", "template_id": "welcome", )" + window + "}")),
            "frequency_cap");
  EXPECT_EQ(Suppressed(Decide(notifier, R"({"user_id": "u1", "template_id": "welcome",
                                          "category": "transactional", )" +
                                            window + "}")),
            "");
  // A longer window moves the send past the cap instead.
  json::object later = Decide(notifier, R"({"user_id": "u1", "template_id": "welcome",
      "window": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-04T10:00:00Z"}})");
  ASSERT_EQ(Suppressed(later), "");
  EXPECT_GE(*domain::ParseRfc3339(later.at("send_at").at("utc").get_string()),
            absl::FromUnixSeconds(1772445600) + absl::Hours(24));
}

// Two notifiers on one store act as two nodes: a send decided on one counts
// against the cap on the other once the other has applied the change log,
// and applying a change twice counts it once.
TEST_F(NotifierTest, DecisionsOfAnotherNodeCountAgainstTheCapOnceApplied) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 1}]})");
  Notifier node_a(db_.store(), nullptr, clock_);
  Notifier node_b(db_.store(), nullptr, clock_);
  const std::string request = R"({"user_id": "u1", "template_id": "welcome",
      "window": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T12:00:00Z"}})";
  const std::string dry = request.substr(0, request.size() - 1) + R"(, "dry_run": true})";
  EXPECT_EQ(Suppressed(Decide(node_b, dry)), "");  // node B loaded, nothing sent yet
  const int64_t before = *db_.store().LastChangePosition();
  EXPECT_EQ(Suppressed(Decide(node_a, request)), "");  // node A sends
  EXPECT_EQ(Suppressed(Decide(node_b, dry)), "");      // B has not applied it yet
  absl::StatusOr<std::vector<storage::Change>> changes = db_.store().ReadChanges(before, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_FALSE(changes->empty());
  for (int twice = 0; twice < 2; ++twice) {
    for (const storage::Change& c : *changes) node_b.ApplyChange(c);
  }
  EXPECT_EQ(Suppressed(Decide(node_b, dry)), "frequency_cap");
  // Settings changed through node A reach node B the same way.
  const int64_t mark = *db_.store().LastChangePosition();
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 5}]})");
  absl::StatusOr<std::vector<storage::Change>> settings_changes =
      db_.store().ReadChanges(mark, 100);
  ASSERT_TRUE(settings_changes.ok());
  for (const storage::Change& c : *settings_changes) node_b.ApplyChange(c);
  EXPECT_EQ(node_b.Settings(db_.tenant())->caps.rules.front().max_sends, 5);
  json::object relaxed = Decide(node_b, dry);
  EXPECT_EQ(Suppressed(relaxed), "") << json::serialize(relaxed);
  // The bandit saw one send from node B's point of view, not two.
  absl::StatusOr<json::object> stats = node_b.TemplateStats(db_.tenant(), "welcome");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_NE(json::serialize(*stats).find("\"sends\":1"), std::string::npos)
      << json::serialize(*stats);
}

// Two nodes deciding for one user at the same moment: the second write finds
// the user's cap ledger moved, and that node decides again once it follows
// the first node's send, which now counts against the cap.
TEST_F(NotifierTest, TwoNodesSendingToOneUserAtOnceHoldTheCap) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 1}]})");
  Notifier node_a(db_.store(), nullptr, clock_);
  Notifier node_b(db_.store(), nullptr, clock_);
  storage::ChangeFeed feed_a(db_.store(), {.poll_interval = absl::Milliseconds(5)});
  feed_a.Subscribe("notify", [&](const storage::Change& c) { node_a.ApplyChange(c); });
  feed_a.Start(*db_.store().LastChangePosition());
  const DecideRequest request = Request(R"({"user_id": "u1", "template_id": "welcome",
      "window": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T12:00:00Z"}})");
  // Node A decides (not yet stored); node B decides and stores first.
  absl::StatusOr<Decision> a = node_a.Decide(db_.tenant(), request);
  ASSERT_TRUE(a.ok() && a->sent);
  absl::StatusOr<Decision> b = node_b.DecideAndCommit(db_.tenant(), request);
  ASSERT_TRUE(b.ok() && b->sent);
  storage::WriteBatch batch;
  node_a.AddDecisionWrite(db_.tenant(), *a, batch);
  absl::StatusOr<storage::WriteResult> w = db_.store().WriteSync(db_.tenant(), std::move(batch));
  EXPECT_TRUE(absl::IsAborted(w.status())) << w.status();
  node_a.OnDecisionFailed(db_.tenant(), *a);
  // Decided again: B's send now counts, so A sends nothing.
  absl::StatusOr<Decision> again = node_a.DecideAndCommit(db_.tenant(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Suppressed(again->answer), "frequency_cap") << json::serialize(again->answer);
  feed_a.Stop();
  int stored_sends = 0;
  ASSERT_TRUE(db_.store()
                  .ScanRecords(db_.tenant(), kDecisionsCollection,
                               [&](const storage::Record& r) {
                                 stored_sends += json::parse(r.doc).at("suppressed").is_null();
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(stored_sends, 1);
}

// Issue 11, defect 7: four decisions in a minute under email 2 / 24 h never
// put three sends in one 24 h window, and the deferral is explained.
TEST_F(NotifierTest, ScheduledSendsCountAgainstTheCap) {
  PutUser(R"({"email": "a@example.com", "attributes": {"first_name": "Ada"},
              "consent": {"email": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "email", "window_hours": 24, "max": 2}]})");
  Notifier notifier(db_.store(), nullptr, clock_);
  std::vector<absl::Time> sends;
  bool deferral_explained = false;
  for (int i = 0; i < 4; ++i) {
    json::object a =
        Decide(notifier, R"({"user_id": "u1", "template_id": "welcome", "channels": ["email"],
        "window": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-05T10:00:00Z"}})");
    clock_.Advance(absl::Seconds(10));
    ASSERT_EQ(Suppressed(a), "") << json::serialize(a);
    sends.push_back(*domain::ParseRfc3339(a.at("send_at").at("utc").get_string()));
    for (const json::value& r : a.at("reasons").get_array()) {
      if (i >= 2 && std::string(r.get_string()).find("deferred by the frequency cap") == 0) {
        deferral_explained = true;
      }
    }
  }
  for (absl::Time a : sends) {
    int in_window = 0;
    for (absl::Time b : sends) in_window += b >= a && b < a + absl::Hours(24);
    EXPECT_LE(in_window, 2) << absl::FormatTime(a);
  }
  EXPECT_TRUE(deferral_explained);
}

// Defect 7 with concurrent requests: a decision made but not yet stored
// already counts against the cap.
TEST_F(NotifierTest, UncommittedDecisionsCountAgainstTheCap) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 1}]})");
  Notifier notifier(db_.store(), nullptr, clock_);
  const DecideRequest r =
      Request(R"({"user_id": "u1", "template_id": "welcome", "channels": ["push"]})");
  absl::StatusOr<Decision> first = notifier.Decide(db_.tenant(), r);
  absl::StatusOr<Decision> second = notifier.Decide(db_.tenant(), r);  // before the first is stored
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->sent);
  EXPECT_FALSE(second->sent);
  EXPECT_EQ(Suppressed(second->answer), "frequency_cap");
  // Storing the first keeps it counted once.
  storage::WriteBatch batch;
  notifier.AddDecisionWrite(db_.tenant(), *first, batch);
  db_.Write(std::move(batch));
  notifier.OnDecisionCommitted(db_.tenant(), *first);
  EXPECT_EQ(Suppressed(Decide(
                notifier, R"({"user_id": "u1", "template_id": "welcome", "channels": ["push"]})")),
            "frequency_cap");
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(Suppressed(Decide(
                notifier, R"({"user_id": "u1", "template_id": "welcome", "channels": ["push"]})")),
            "");
}

TEST_F(NotifierTest, QuietHoursMoveOrSuppressTheSend) {
  PutUser(
      R"({"push_tokens": ["tok"], "timezone": "Europe/Berlin", "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  clock_.Set(absl::FromUnixSeconds(1772445600) + absl::Hours(12));  // 23:00 in Berlin
  Notifier notifier(db_.store(), nullptr, clock_);
  EXPECT_EQ(Suppressed(Decide(notifier, R"({"user_id": "u1", "template_id": "welcome",
      "window": {"start": "2026-03-02T22:00:00Z", "end": "2026-03-02T23:30:00Z"}})")),
            "quiet_hours");
  json::object moved = Decide(notifier, R"({"user_id": "u1", "template_id": "welcome",
      "window": {"start": "2026-03-02T22:00:00Z", "end": "2026-03-03T12:00:00Z"}})");
  ASSERT_EQ(Suppressed(moved), "");
  // Quiet until 08:00 Berlin = 07:00 UTC.
  EXPECT_GE(*domain::ParseRfc3339(moved.at("send_at").at("utc").get_string()),
            absl::FromUnixSeconds(1772445600) + absl::Hours(21));
  EXPECT_NE(std::string(moved.at("send_at").at("local").get_string()).find("+01:00"),
            std::string::npos);
}

TEST_F(NotifierTest, AttributionUpdatesTheBanditOnceAndSurvivesRestart) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("welcome", kTwoChannels);
  std::string id;
  {
    Notifier notifier(db_.store(), nullptr, clock_);
    json::object a =
        Decide(notifier, R"({"user_id": "u1", "template_id": "welcome", "channels": ["push"]})");
    id = std::string(a.at("decision_id").get_string());
    for (int i = 0; i < 2; ++i) {  // a retried open counts once
      domain::Event open;
      open.user_id = "u1";
      open.type = "notification_clicked";
      open.timestamp = clock_.Now();
      open.context["decision_id"] = id;
      std::vector<domain::Event> events{open};
      storage::WriteBatch batch;
      notifier.PrepareEvents(db_.tenant(), events, batch);
      EXPECT_EQ(events[0].context.at("channel"), "push");
      EXPECT_EQ(events[0].context.at("tone"), "friendly");
      batch.AppendEvents(events);
      db_.Write(std::move(batch));
      notifier.OnEventsCommitted(db_.tenant(), events, {});
    }
    json::object stats = *notifier.TemplateStats(db_.tenant(), "welcome");
    EXPECT_EQ(stats.at("variants").at(0).at("sends"), 1);
    EXPECT_EQ(stats.at("variants").at(0).at("opens"), 1);
    EXPECT_EQ(stats.at("variants").at(0).at("clicks"), 1);
    EXPECT_EQ(stats.at("posteriors").at(0).at("open").at("alpha").to_number<double>(), 2.0);
  }
  Notifier restarted(db_.store(), nullptr, clock_);
  json::object stats = *restarted.TemplateStats(db_.tenant(), "welcome");
  EXPECT_EQ(stats.at("variants").at(0).at("opens"), 1);
  EXPECT_EQ(stats.at("variants").at(0).at("clicks"), 1);
  EXPECT_EQ(stats.at("posteriors").at(0).at("open").at("beta").to_number<double>(), 1.0);
  EXPECT_TRUE(restarted.GetDecision(db_.tenant(), id)->at("attribution").at("clicked").get_bool());
}

// Issue 11, defect 15: a template's objective names its conversion event;
// that event, carrying the decision_id, is attributed once, teaches the
// bandit and survives a restart; the stats show the objective.
TEST_F(NotifierTest, ConversionObjectiveAttributesTheNamedEvent) {
  PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
              "consent": {"push": {"marketing": true}}})");
  PutTemplate("promo", R"({"objective": "conversion", "conversion_event": "purchase",
      "variants": [{"id": "a", "push": {"body": "Sale"}}]})");
  std::string id;
  auto post = [&](Notifier& n, const char* type) {
    domain::Event e;
    e.user_id = "u1";
    e.type = type;
    e.timestamp = clock_.Now();
    e.context["decision_id"] = id;
    std::vector<domain::Event> events{e};
    storage::WriteBatch batch;
    n.PrepareEvents(db_.tenant(), events, batch);
    batch.AppendEvents(events);
    db_.Write(std::move(batch));
    n.OnEventsCommitted(db_.tenant(), events, {});
  };
  {
    Notifier notifier(db_.store(), nullptr, clock_);
    json::object a =
        Decide(notifier, R"({"user_id": "u1", "template_id": "promo", "channels": ["push"]})");
    EXPECT_EQ(a.at("objective"), "conversion");
    EXPECT_EQ(a.at("conversion_event"), "purchase");
    id = std::string(a.at("decision_id").get_string());
    post(notifier, "purchase");
    post(notifier, "purchase");     // once per decision
    post(notifier, "add_to_cart");  // not the objective's event
  }
  Notifier restarted(db_.store(), nullptr, clock_);
  json::object stats = *restarted.TemplateStats(db_.tenant(), "promo");
  EXPECT_EQ(stats.at("objective").at("metric"), "conversion");
  EXPECT_EQ(stats.at("objective").at("conversion_event"), "purchase");
  EXPECT_EQ(stats.at("variants").at(0).at("conversions"), 1);
  EXPECT_EQ(stats.at("variants").at(0).at("opens"), 0);
  EXPECT_EQ(stats.at("posteriors").at(0).at("conversion").at("alpha").to_number<double>(), 2.0);
  EXPECT_EQ(stats.at("posteriors").at(0).at("conversion").at("beta").to_number<double>(), 1.0);
  EXPECT_TRUE(
      restarted.GetDecision(db_.tenant(), id)->at("attribution").at("converted").get_bool());
}

TEST_F(NotifierTest, MissingVariableSkipsTheVariantAndLowQualityFallsBack) {
  PutUser(R"({"email": "a@example.com", "consent": {"email": {"marketing": true}}})");
  PutTemplate("promo", R"({"variants": [
      {"id": "named", "email": {"subject": "Hi {{user.first_name}}", "body": "x"}},
      {"id": "plain", "email": {"subject": "Hello {{user.first_name | default:\"there\"}}", "body": "x"}}]})");
  PutTemplate("safe",
              R"({"variants": [{"id": "default", "email": {"subject": "News", "body": "x"}}]})");
  Notifier notifier(db_.store(), nullptr, clock_);
  json::object a =
      Decide(notifier, R"({"user_id": "u1", "template_id": "promo", "dry_run": true})");
  EXPECT_EQ(a.at("variant_id"), "plain");
  EXPECT_EQ(a.at("content").at("subject"), "Hello there");
  EXPECT_FALSE(a.at("fallback_used").get_bool());
  // Nothing is stored for a dry run.
  EXPECT_TRUE(absl::IsNotFound(
      notifier.GetDecision(db_.tenant(), a.at("decision_id").get_string()).status()));

  const NotifySettings strict = *ParseNotifySettings(json::parse(
      R"({"quality_threshold": 0.9, "fallback": {"template_id": "safe", "variant_id": "default", "channel": "email"}})"));
  notifier.OnSettingsCommitted(db_.tenant(), strict);
  json::object safe =
      Decide(notifier, R"({"user_id": "u1", "template_id": "promo", "dry_run": true})");
  EXPECT_TRUE(safe.at("fallback_used").get_bool());
  EXPECT_EQ(safe.at("template_id"), "safe");
  EXPECT_EQ(safe.at("content").at("subject"), "News");
  EXPECT_LT(safe.at("quality_score").to_number<double>(), 0.9);
}

// Issue 11, defect 6: below the threshold a transactional message is sent
// as chosen, never replaced by the (marketing) safe default.
TEST_F(NotifierTest, TransactionalIsNeverSwappedForTheSafeDefault) {
  PutUser(R"({"email": "a@example.com", "attributes": {"first_name": "Ada"}})");
  PutTemplate(
      "reset",
      R"({"variants": [{"id": "a", "email": {"subject": "Reset your password", "body": "x"}}]})");
  PutTemplate("safe",
              R"({"variants": [{"id": "default", "email": {"subject": "News", "body": "x"}}]})");
  PutRecord(
      kSettingsCollection, kSettingsRecordId,
      R"({"quality_threshold": 0.9, "fallback": {"template_id": "safe", "variant_id": "default", "channel": "email"}})");
  Notifier notifier(db_.store(), nullptr, clock_);
  json::object t =
      Decide(notifier, R"({"user_id": "u1", "template_id": "reset", "category": "transactional"})");
  ASSERT_EQ(Suppressed(t), "");
  EXPECT_FALSE(t.at("fallback_used").get_bool());
  EXPECT_EQ(t.at("template_id"), "reset");
  EXPECT_EQ(t.at("content").at("subject"), "Reset your password");
  EXPECT_LT(t.at("quality_score").to_number<double>(), 0.9);
}

TEST_F(NotifierTest, CampaignQueueIsBoundedAndNamesBadFields) {
  PutTemplate("welcome", kTwoChannels);
  Notifier notifier(db_.store(), nullptr, clock_);
  CampaignRunner runner(db_.store(), notifier, clock_, {.max_queued = 1});  // not started
  const json::value body = json::parse(R"({"template_id": "welcome", "audience": {"all": true}})");
  absl::StatusOr<json::object> first = runner.Submit(db_.tenant(), body);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->at("status"), "queued");
  EXPECT_TRUE(absl::IsResourceExhausted(runner.Submit(db_.tenant(), body).status()));
  // The bound is per tenant: another tenant's campaign is still queued.
  const domain::TenantId other = db_.store().EnsureTenant("other")->id;
  storage::WriteBatch put;
  put.PutRecord(kTemplatesCollection, "welcome", kTwoChannels, absl::Now());
  ASSERT_TRUE(db_.store().WriteSync(other, std::move(put)).ok());
  absl::StatusOr<json::object> theirs = runner.Submit(other, body);
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  EXPECT_EQ(theirs->at("status"), "queued");
  absl::Status bad =
      runner
          .Submit(
              db_.tenant(),
              json::parse(
                  R"({"template_id": "welcome", "audience": {"user_ids": [""]}, "channels": ["fax"]})"))
          .status();
  std::set<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(bad)) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"audience.user_ids[0]", "channels[0]"}));
  EXPECT_TRUE(absl::IsNotFound(
      runner
          .Submit(db_.tenant(),
                  json::parse(R"({"template_id": "nope", "audience": {"all": true}})"))
          .status()));
}

// Two runners on one store act as two nodes: each campaign chunk is decided
// and committed once, whoever runs it.
TEST_F(NotifierTest, TwoNodesRunACampaignOnce) {
  PutTemplate("welcome", kTwoChannels);
  for (int i = 0; i < 40; ++i) {
    PutUser(R"({"push_tokens": ["tok"], "attributes": {"first_name": "Ada"},
                "consent": {"push": {"marketing": true}}})",
            "u" + std::to_string(100 + i));
  }
  Notifier notifier_a(db_.store(), nullptr, clock_);
  Notifier notifier_b(db_.store(), nullptr, clock_);
  const CampaignRunnerOptions base{.chunk = 5, .rescan = absl::Milliseconds(5)};
  CampaignRunnerOptions a_options = base, b_options = base;
  a_options.node_id = "node-a";
  b_options.node_id = "node-b";
  CampaignRunner a(db_.store(), notifier_a, clock_, a_options);
  CampaignRunner b(db_.store(), notifier_b, clock_, b_options);
  ASSERT_TRUE(b.Start().ok());
  absl::StatusOr<json::object> submitted = a.Submit(
      db_.tenant(), json::parse(R"({"template_id": "welcome", "audience": {"all": true}})"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  const std::string id(submitted->at("campaign_id").get_string());
  ASSERT_TRUE(a.Start().ok());
  json::object done;
  for (int i = 0; i < 2000; ++i) {
    done = *a.Get(db_.tenant(), id);
    if (done.at("status") == "done") break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(done.at("status"), "done");
  a.Stop();
  b.Stop();
  EXPECT_EQ(done.at("processed").to_number<int64_t>(), 40);
  std::multiset<std::string> decided;
  ASSERT_TRUE(db_.store()
                  .ScanRecords(db_.tenant(), kDecisionsCollection,
                               [&](const storage::Record& r) {
                                 decided.insert(
                                     std::string(json::parse(r.doc).at("user_id").get_string()));
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(decided.size(), 40u);  // one decision per user, none twice
  EXPECT_EQ(std::set<std::string>(decided.begin(), decided.end()).size(), 40u);
}

TEST(DecideRequestTest, NamesEachBadField) {
  absl::StatusOr<DecideRequest> r = ParseDecideRequest(json::parse(
      R"({"template_id": "t", "channels": ["fax"], "category": "spam", "dry_run": 1,
          "window": {"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}})"));
  ASSERT_FALSE(r.ok());
  std::set<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(r.status())) fields.insert(e.field);
  EXPECT_EQ(fields,
            (std::set<std::string>{"user_id", "channels[0]", "category", "dry_run", "window.end"}));
}

}  // namespace
}  // namespace tailor::notify
