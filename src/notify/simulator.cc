#include "notify/simulator.h"

#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/clock.h"
#include "common/random.h"
#include "common/strings.h"
#include "domain/user.h"
#include "notify/notifier.h"
#include "serving/engine.h"
#include "storage/store_url.h"

namespace tailor::notify {

namespace json = boost::json;
using decide::Channel;

namespace {

// The world. Channels simulated: email, sms, push (in-app needs no contact
// and is left out so that reach is realistic).
constexpr std::array<Channel, 3> kSimChannels = {Channel::kEmail, Channel::kSms, Channel::kPush};
constexpr std::array<double, 3> kFavouriteChannelShare = {0.45, 0.20, 0.35};
constexpr double kFavouriteChannelRate = 0.35;
constexpr double kOtherChannelRate = 0.10;
constexpr std::array<const char*, 3> kTones = {"friendly", "formal", "urgent"};
constexpr std::array<double, 3> kToneQuality = {1.0, 0.85, 0.7};  // across users
constexpr double kOtherToneFactor = 0.55;
constexpr double kClickFavouriteTone = 0.35;
constexpr double kClickOtherTone = 0.20;
constexpr std::array<const char*, 4> kZones = {"Europe/Berlin", "America/New_York", "Asia/Tokyo",
                                               "UTC"};
constexpr int kHistoryDays = 14;
// Monday 2026-01-05 00:00 UTC: the first simulated day.
constexpr int64_t kStartUnix = 1767571200;

struct SimUser {
  std::string id;
  std::string zone;
  int favourite_channel = 0;  // index in kSimChannels
  int peak_hour = 12;         // local
  int favourite_tone = 0;     // index in kTones
  std::array<double, 3> base{};
};

double HourFactor(int local_hour, int peak) {
  int d = std::abs(local_hour - peak) % 24;
  d = std::min(d, 24 - d);
  return 0.2 + 0.8 * std::exp(-d * d / (2.0 * 1.5 * 1.5));
}

double ToneFactor(const SimUser& u, int tone) {
  return kToneQuality[tone] * (tone == u.favourite_tone ? 1.0 : kOtherToneFactor);
}

double ClickGivenOpen(const SimUser& u, int tone) {
  return tone == u.favourite_tone ? kClickFavouriteTone : kClickOtherTone;
}

int LocalHour(absl::Time t, const std::string& zone) {
  absl::TimeZone tz;
  absl::LoadTimeZone(zone, &tz);
  return tz.At(t).cs.hour();
}

// Expected opens and clicks of one decision.
std::pair<double, double> Expected(const SimUser& u, int channel, int tone, absl::Time at) {
  const double open = std::min(1.0, u.base[channel] * HourFactor(LocalHour(at, u.zone), u.peak_hour) *
                                        ToneFactor(u, tone));
  return {open, open * ClickGivenOpen(u, tone)};
}

// The best expected clicks any decision could get for `u` on a day whose
// allowed local hours are 08..21 (the tenant's quiet hours are 22-08).
double OracleClicks(const SimUser& u) {
  double best = 0;
  for (int c = 0; c < 3; ++c) {
    for (int t = 0; t < 3; ++t) {
      for (int h = 8; h < 22; ++h) {
        const double open = std::min(1.0, u.base[c] * HourFactor(h, u.peak_hour) * ToneFactor(u, t));
        best = std::max(best, open * ClickGivenOpen(u, t));
      }
    }
  }
  return best;
}

std::vector<SimUser> MakeUsers(int n, uint64_t seed) {
  Random rng(seed);
  std::vector<SimUser> users;
  for (int i = 0; i < n; ++i) {
    SimUser u;
    u.id = fmt::format("sim{:05d}", i);
    u.zone = kZones[rng.UniformInt(kZones.size())];
    const double r = rng.Uniform();
    u.favourite_channel = r < kFavouriteChannelShare[0]                               ? 0
                          : r < kFavouriteChannelShare[0] + kFavouriteChannelShare[1] ? 1
                                                                                      : 2;
    u.peak_hour = 9 + static_cast<int>(rng.UniformInt(12));  // 09..20 local
    u.favourite_tone = static_cast<int>(rng.UniformInt(3));
    for (int c = 0; c < 3; ++c) {
      u.base[c] = (c == u.favourite_channel ? kFavouriteChannelRate : kOtherChannelRate) *
                  (0.8 + 0.4 * rng.Uniform());
    }
    users.push_back(std::move(u));
  }
  return users;
}

// The channel with the highest population open rate (what a marketer reads
// off an aggregate report).
int PopularChannel(const std::vector<SimUser>& users) {
  std::array<double, 3> sum{};
  for (const SimUser& u : users) {
    for (int c = 0; c < 3; ++c) sum[c] += u.base[c];
  }
  return static_cast<int>(std::max_element(sum.begin(), sum.end()) - sum.begin());
}

std::string TemplateDocument() {
  json::array variants;
  for (const char* tone : kTones) {
    variants.push_back({{"id", tone},
                        {"tone", tone},
                        {"length", "short"},
                        {"email", {{"subject", fmt::format("{} news, {{{{user.first_name}}}}", tone)},
                                   {"body", "<p>This week for you</p>"}}},
                        {"sms", {{"text", fmt::format("{}: this week for you", tone)}}},
                        {"push", {{"title", tone}, {"body", "This week for you"}}}});
  }
  // The simulator scores expected clicks, so that is what the bandit maximises.
  return json::serialize(json::object{{"objective", "clicks"}, {"variants", std::move(variants)}});
}

// App use around the peak hour: 1-2 sessions on `day`.
void AddActivity(const SimUser& u, absl::Time day_start, Random& rng,
                 std::vector<domain::Event>& out) {
  absl::TimeZone tz;
  absl::LoadTimeZone(u.zone, &tz);
  const absl::CivilDay local_day = absl::ToCivilDay(day_start + absl::Hours(12), tz);
  const int sessions = 1 + static_cast<int>(rng.UniformInt(2));
  for (int s = 0; s < sessions; ++s) {
    const int hour = std::clamp(u.peak_hour + static_cast<int>(std::lround(rng.Normal(0, 1))), 0, 23);
    domain::Event e;
    e.user_id = u.id;
    e.type = "app_open";
    e.timestamp = absl::FromCivil(absl::CivilMinute(local_day.year(), local_day.month(),
                                                    local_day.day(), hour,
                                                    static_cast<int>(rng.UniformInt(60))),
                                  tz);
    out.push_back(std::move(e));
  }
}

absl::StatusOr<PolicyResult> RunPolicy(const std::string& policy,
                                       const std::vector<SimUser>& users,
                                       const SimulationOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path dir = std::filesystem::path(options.work_dir) / policy;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  absl::StatusOr<std::unique_ptr<storage::Store>> store =
      storage::OpenStore("sqlite://" + (dir / "sim.db").string());
  if (!store.ok()) return store.status();
  absl::StatusOr<domain::Tenant> tenant = (*store)->EnsureTenant("sim");
  if (!tenant.ok()) return tenant.status();
  const domain::TenantId tid = tenant->id;
  ManualClock clock(absl::FromUnixSeconds(kStartUnix) - absl::Hours(24 * kHistoryDays));
  serving::Engine engine(**store, serving::EngineOptions());
  Notifier notifier(**store, &engine, clock, {.seed = options.seed + 1});

  auto write = [&](storage::WriteBatch batch) -> absl::Status {
    return (*store)->WriteSync(tid, std::move(batch)).status();
  };
  auto post_events = [&](std::vector<domain::Event> events) -> absl::Status {
    storage::WriteBatch batch;
    notifier.PrepareEvents(tid, events, batch);
    batch.AppendEvents(events);
    absl::StatusOr<storage::WriteResult> r = (*store)->WriteSync(tid, std::move(batch));
    if (!r.ok()) return r.status();
    engine.OnEventsCommitted(tid, events, r->duplicate_events);
    notifier.OnEventsCommitted(tid, events, r->duplicate_events);
    return absl::OkStatus();
  };

  // Users, the template and settings without caps (one message a day each).
  {
    storage::WriteBatch batch;
    std::vector<domain::User> records;
    for (const SimUser& u : users) {
      domain::User user;
      user.id = u.id;
      user.timezone = u.zone;
      user.locale = "en-US";
      user.email = u.id + "@example.com";
      user.phone = "+4915100000000";
      user.push_tokens = {"token-" + u.id};
      for (Channel c : kSimChannels) user.consent[std::string(decide::ChannelName(c))]["marketing"] = true;
      user.attributes["first_name"] = u.id;
      user.updated_at = clock.Now();
      batch.PutUser(user);
      records.push_back(std::move(user));
    }
    batch.PutRecord(kTemplatesCollection, "weekly", TemplateDocument(), clock.Now());
    batch.PutRecord(kSettingsCollection, kSettingsRecordId,
                    R"({"quiet_hours": {"start": "22:00", "end": "08:00"}, "frequency_caps": []})",
                    clock.Now());
    if (absl::Status s = write(std::move(batch)); !s.ok()) return s;
    if (absl::StatusOr<serving::TenantRuntime*> r = engine.Tenant(tid); !r.ok()) return r.status();
    engine.OnUsersCommitted(tid, records);
  }
  Random activity_rng(options.seed + 2);
  Random outcome_rng(options.seed + 3);
  Random policy_rng(options.seed + 4);
  // Two weeks of app use before the first message.
  for (int d = -kHistoryDays; d < 0; ++d) {
    std::vector<domain::Event> events;
    const absl::Time day = absl::FromUnixSeconds(kStartUnix) + absl::Hours(24 * d);
    for (const SimUser& u : users) AddActivity(u, day, activity_rng, events);
    if (absl::Status s = post_events(std::move(events)); !s.ok()) return s;
  }

  absl::StatusOr<std::shared_ptr<const personalize::NotificationTemplate>> full =
      std::make_shared<const personalize::NotificationTemplate>(
          *personalize::ParseNotificationTemplate(json::parse(TemplateDocument()), "weekly"));
  std::vector<std::shared_ptr<const personalize::NotificationTemplate>> single;
  for (const personalize::TemplateVariant& v : (*full)->variants) {
    auto one = std::make_shared<personalize::NotificationTemplate>(**full);
    one->variants = {v};
    single.push_back(std::move(one));
  }
  std::map<std::string, int> tone_of;
  for (int t = 0; t < 3; ++t) tone_of[kTones[t]] = t;
  const int popular = PopularChannel(users);
  const bool fixed_time = policy == "fixed_time" || policy == "naive";
  const bool popular_channel = policy == "popular_channel" || policy == "naive";
  const bool uniform = policy == "uniform_ab" || policy == "naive";

  PolicyResult result;
  result.policy = policy;
  for (int d = 0; d < options.days; ++d) {
    const absl::Time day = absl::FromUnixSeconds(kStartUnix) + absl::Hours(24 * d);
    clock.Set(day);
    double day_expected = 0, day_oracle = 0, fav_channel = 0, fav_tone = 0, day_sent = 0;
    storage::WriteBatch decisions;
    std::vector<Decision> made;
    std::vector<domain::Event> outcomes;
    for (const SimUser& u : users) {
      DecideRequest req;
      req.user_id = u.id;
      req.template_id = "weekly";
      req.channels.assign(kSimChannels.begin(), kSimChannels.end());
      req.window_start = day;
      req.window_end = day + absl::Hours(24);
      if (fixed_time) {
        absl::TimeZone tz;
        absl::LoadTimeZone(u.zone, &tz);
        const absl::CivilDay local = absl::ToCivilDay(day + absl::Hours(12), tz);
        const absl::Time ten = absl::FromCivil(
            absl::CivilHour(local.year(), local.month(), local.day(), 10), tz);
        req.window_start = ten;
        req.window_end = ten + absl::Hours(1);
      }
      if (popular_channel) req.channels = {kSimChannels[popular]};
      if (uniform) {
        req.template_id.clear();
        req.inline_template = single[policy_rng.UniformInt(single.size())];
      }
      absl::StatusOr<Decision> decision = notifier.Decide(tid, req);
      if (!decision.ok()) return decision.status();
      ++result.decisions;
      const double oracle = OracleClicks(u);
      day_oracle += oracle;
      result.oracle_clicks += oracle;
      if (!decision->sent) {
        made.push_back(std::move(*decision));
        continue;
      }
      const int channel = static_cast<int>(
          std::find(kSimChannels.begin(), kSimChannels.end(), decision->channel) -
          kSimChannels.begin());
      const int tone = tone_of.at(decision->variant_id);
      const auto [open, click] = Expected(u, channel, tone, decision->send_at);
      ++result.sent;
      ++day_sent;
      result.expected_opens += open;
      result.expected_clicks += click;
      day_expected += click;
      fav_channel += channel == u.favourite_channel;
      fav_tone += tone == u.favourite_tone;
      // The user's response, posted back with the decision id.
      if (outcome_rng.Uniform() < open) {
        ++result.opens;
        domain::Event e;
        e.user_id = u.id;
        e.timestamp = decision->send_at + absl::Minutes(5 + outcome_rng.UniformInt(30));
        e.context["decision_id"] = decision->id;
        const bool clicked = outcome_rng.Uniform() < ClickGivenOpen(u, tone);
        e.type = clicked ? "notification_clicked" : "notification_opened";
        result.clicks += clicked;
        outcomes.push_back(std::move(e));
      }
      made.push_back(std::move(*decision));
    }
    for (const Decision& dec : made) notifier.AddDecisionWrite(tid, dec, decisions);
    if (absl::Status s = write(std::move(decisions)); !s.ok()) return s;
    for (const Decision& dec : made) notifier.OnDecisionCommitted(tid, dec);
    // The day passes: app use, then the opens and clicks arrive.
    clock.Set(day + absl::Hours(24));
    for (const SimUser& u : users) AddActivity(u, day, activity_rng, outcomes);
    if (absl::Status s = post_events(std::move(outcomes)); !s.ok()) return s;
    result.daily_click_share.push_back(day_oracle > 0 ? day_expected / day_oracle : 0);
    result.daily_favourite_channel.push_back(day_sent > 0 ? fav_channel / day_sent : 0);
    result.daily_favourite_tone.push_back(day_sent > 0 ? fav_tone / day_sent : 0);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

double MeanOf(const std::vector<double>& v, size_t from, size_t to) {
  to = std::min(to, v.size());
  if (from >= to) return 0;
  double s = 0;
  for (size_t i = from; i < to; ++i) s += v[i];
  return s / static_cast<double>(to - from);
}

}  // namespace

absl::StatusOr<SimulationReport> RunNotifySimulation(const SimulationOptions& options) {
  if (options.users < 1 || options.days < 1 || options.work_dir.empty()) {
    return absl::InvalidArgumentError("the simulation needs users, days and a work directory");
  }
  SimulationReport report;
  report.options = options;
  const std::vector<SimUser> users = MakeUsers(options.users, options.seed);
  for (const std::string& policy : options.policies) {
    absl::StatusOr<PolicyResult> r = RunPolicy(policy, users, options);
    if (!r.ok()) return r.status();
    report.policies.push_back(std::move(*r));
  }
  return report;
}

std::string SimulationMarkdown(const SimulationReport& report) {
  std::string out = fmt::format(
      "{} users x {} days, seed {}, one marketing decision per user per day\n\n"
      "| Policy | Sent | Open rate | Click rate | Expected clicks / oracle | Regret per 1,000 "
      "decisions (clicks) | Favourite channel | Favourite tone |\n"
      "|---|---|---|---|---|---|---|---|\n",
      report.options.users, report.options.days, report.options.seed);
  for (const PolicyResult& p : report.policies) {
    const double sent = std::max<double>(1, p.sent);
    out += fmt::format("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.1f} | {:.2f} | {:.2f} |\n",
                       p.policy, p.sent, p.opens / sent, p.clicks / sent,
                       p.expected_clicks / std::max(1e-12, p.oracle_clicks),
                       1000.0 * (p.oracle_clicks - p.expected_clicks) / std::max<int64_t>(1, p.decisions),
                       MeanOf(p.daily_favourite_channel, 0, p.daily_favourite_channel.size()),
                       MeanOf(p.daily_favourite_tone, 0, p.daily_favourite_tone.size()));
  }
  out += "\nConvergence: expected clicks / oracle, mean per week\n\n| Policy |";
  const int weeks = (report.options.days + 6) / 7;
  for (int w = 0; w < weeks; ++w) out += fmt::format(" week {} |", w + 1);
  out += "\n|---|";
  for (int w = 0; w < weeks; ++w) out += "---|";
  out += "\n";
  for (const PolicyResult& p : report.policies) {
    out += "| " + p.policy + " |";
    for (int w = 0; w < weeks; ++w) {
      out += fmt::format(" {:.3f} |", MeanOf(p.daily_click_share, 7 * w, 7 * w + 7));
    }
    out += "\n";
  }
  return out;
}

json::object SimulationJson(const SimulationReport& report) {
  json::array policies;
  for (const PolicyResult& p : report.policies) {
    json::array share(p.daily_click_share.begin(), p.daily_click_share.end());
    policies.push_back({{"policy", p.policy},
                        {"decisions", p.decisions},
                        {"sent", p.sent},
                        {"opens", p.opens},
                        {"clicks", p.clicks},
                        {"expected_opens", p.expected_opens},
                        {"expected_clicks", p.expected_clicks},
                        {"oracle_clicks", p.oracle_clicks},
                        {"regret_clicks", p.oracle_clicks - p.expected_clicks},
                        {"daily_click_share", std::move(share)},
                        {"seconds", p.seconds}});
  }
  return {{"users", report.options.users},
          {"days", report.options.days},
          {"seed", report.options.seed},
          {"policies", std::move(policies)}};
}

}  // namespace tailor::notify
