#include "importer/demo_data.h"

#include <cmath>

#include "common/random.h"
#include "common/strings.h"
#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"

namespace tailor::importer {

namespace {

struct Zone {
  const char* name;
  const char* locale;
};
constexpr Zone kZones[] = {{"America/New_York", "en-US"}, {"America/Los_Angeles", "en-US"},
                           {"Europe/London", "en-GB"},    {"Europe/Paris", "fr-FR"},
                           {"Europe/Berlin", "de-DE"},    {"Asia/Tokyo", "ja-JP"},
                           {"America/Sao_Paulo", "pt-BR"}, {"Australia/Sydney", "en-AU"}};
constexpr const char* kCategories[] = {"running", "cycling", "cooking", "travel", "tech",
                                       "music",   "books",   "gardening", "fitness", "film"};
constexpr const char* kAdjectives[] = {"Essential", "Weekend", "Complete", "Quick", "Advanced",
                                       "Everyday", "Classic", "Modern", "Practical", "Ultimate"};
constexpr const char* kNouns[] = {"Guide", "Kit", "Playlist", "Checklist", "Journal",
                                  "Masterclass", "Bundle", "Toolkit", "Handbook", "Series"};
constexpr const char* kChannels[] = {"email", "sms", "push", "in_app"};
constexpr const char* kFeedback[] = {
    "Loved it, exactly what I needed!", "Pretty good overall.", "Not great, too basic.",
    "Terrible, it broke after a day.", "Amazing quality, would buy again :)",
    "It's okay I guess.", "Really helpful and well written.", "Disappointing and overpriced."};

template <typename T, size_t N>
const T& Pick(Random& rng, const T (&arr)[N]) {
  return arr[rng.UniformInt(N)];
}

}  // namespace

absl::StatusOr<DemoSummary> GenerateDemo(storage::Store& store, domain::TenantId tenant,
                                         const DemoOptions& options, absl::Time now) {
  Random rng(options.seed);
  DemoSummary summary;
  constexpr int kNumCategories = static_cast<int>(std::size(kCategories));

  // Catalogue.
  std::vector<int> item_category(options.items);
  std::vector<double> item_popularity(options.items);
  {
    storage::WriteBatch batch;
    for (int i = 0; i < options.items; ++i) {
      int cat = static_cast<int>(rng.UniformInt(kNumCategories));
      item_category[i] = cat;
      item_popularity[i] = std::exp(rng.Normal(0, 1));  // long tail
      domain::Item item;
      item.id = StrCat("item-", i);
      item.title = StrCat(Pick(rng, kAdjectives), " ", kCategories[cat], " ", Pick(rng, kNouns));
      item.text = StrCat("A ", absl::AsciiStrToLower(std::string(Pick(rng, kAdjectives))), " ",
                         Pick(rng, kNouns), " for people who love ", kCategories[cat], ".");
      item.categories = {kCategories[cat]};
      item.tags = {kCategories[(cat + 1) % kNumCategories], Pick(rng, kAdjectives)};
      item.language = "en";
      // Whole seconds, as a catalogue would date its items.
      item.published_at = absl::FromUnixSeconds(
          absl::ToUnixSeconds(now - absl::Hours(24 * (options.days + 30) * rng.Uniform())));
      item.available = rng.Uniform() > 0.03;
      item.attributes["price"] = std::round(rng.Uniform() * 9000 + 500) / 100.0;
      item.updated_at = now;
      batch.PutItem(item);
    }
    auto r = store.WriteSync(tenant, std::move(batch));
    if (!r.ok()) return r.status();
    summary.items = r->upserted;
  }

  // Users, then their events in batches.
  storage::WriteBatch users;
  std::vector<domain::Event> events;
  auto flush_events = [&]() -> absl::Status {
    if (events.empty()) return absl::OkStatus();
    storage::WriteBatch batch;
    batch.AppendEvents(std::move(events));
    events.clear();
    auto r = store.WriteSync(tenant, std::move(batch));
    if (!r.ok()) return r.status();
    summary.events += r->events_accepted;
    return absl::OkStatus();
  };
  for (int u = 0; u < options.users; ++u) {
    const Zone& zone = Pick(rng, kZones);
    domain::User user;
    user.id = StrCat("user-", u);
    user.timezone = zone.name;
    user.locale = zone.locale;
    user.email = StrCat("user", u, "@example.com");
    if (rng.Uniform() < 0.6) user.phone = StrCat("+1555", 1000000 + u);
    if (rng.Uniform() < 0.7) user.push_tokens = {StrCat("push-token-", u)};
    user.consent["email"]["marketing"] = rng.Uniform() < 0.8;
    user.consent["email"]["transactional"] = true;
    user.consent["sms"]["marketing"] = !user.phone.empty() && rng.Uniform() < 0.5;
    user.consent["push"]["marketing"] = !user.push_tokens.empty() && rng.Uniform() < 0.7;
    user.attributes["first_name"] = StrCat("User", u);
    user.attributes["plan"] = rng.Uniform() < 0.2 ? "pro" : "free";
    user.updated_at = now;
    users.PutUser(user);

    // Tastes, rhythm and channel of this user.
    int fav1 = static_cast<int>(rng.UniformInt(kNumCategories));
    int fav2 = static_cast<int>(rng.UniformInt(kNumCategories));
    int peak_hour = static_cast<int>(rng.UniformInt(14)) + 8;  // local 8:00..21:00
    const char* channel = Pick(rng, kChannels);
    double activity = std::exp(rng.Normal(-0.5, 0.8));          // sessions per day
    double churn_day = rng.Uniform() < 0.25 ? rng.Uniform() * options.days : options.days + 1;
    absl::TimeZone atz;
    absl::LoadTimeZone(zone.name, &atz);
    for (int day = 0; day < options.days && day < churn_day; ++day) {
      int sessions = 0;
      for (double p = rng.Uniform(); p < activity && sessions < 6; p += rng.Uniform()) ++sessions;
      absl::CivilDay civil = absl::ToCivilDay(now - absl::Hours(24 * (options.days - day)), atz);
      for (int s = 0; s < sessions; ++s) {
        int hour = std::clamp(peak_hour + static_cast<int>(std::round(rng.Normal(0, 2))), 0, 23);
        absl::Time t = absl::FromCivil(absl::CivilMinute(civil.year(), civil.month(), civil.day(),
                                                         hour, static_cast<int>(rng.UniformInt(60))),
                                       atz);
        if (t >= now) continue;
        // Pick an item: mostly from favourite categories, weighted by popularity.
        int best = -1;
        double best_score = -1;
        for (int k = 0; k < 8; ++k) {
          int i = static_cast<int>(rng.UniformInt(options.items));
          double score = item_popularity[i] *
                         ((item_category[i] == fav1 || item_category[i] == fav2) ? 6.0 : 1.0) *
                         rng.Uniform();
          if (score > best_score) best = i, best_score = score;
        }
        std::string item = StrCat("item-", best);
        auto add = [&](const char* type, absl::Time at) {
          domain::Event e;
          e.event_id = StrCat("demo-", u, "-", events.size(), "-", day, "-", s, "-", type);
          e.user_id = user.id;
          e.item_id = item;
          e.type = type;
          e.timestamp = at;
          events.push_back(std::move(e));
          return &events.back();
        };
        add("view", t);
        bool liked = item_category[best] == fav1 || item_category[best] == fav2;
        if (rng.Uniform() < (liked ? 0.5 : 0.15)) add("click", t + absl::Seconds(20));
        if (rng.Uniform() < (liked ? 0.12 : 0.02)) add("add_to_cart", t + absl::Seconds(60));
        if (rng.Uniform() < (liked ? 0.06 : 0.01)) {
          add("purchase", t + absl::Seconds(120))->value = std::round(rng.Uniform() * 9000 + 500) / 100.0;
        }
        if (rng.Uniform() < 0.03) {
          domain::Event* r = add("rate", t + absl::Seconds(300));
          r->value = liked ? 4 + static_cast<double>(rng.UniformInt(2))
                           : 1 + static_cast<double>(rng.UniformInt(3));
        }
        if (rng.Uniform() < 0.02) {
          domain::Event* f = add("feedback", t + absl::Seconds(400));
          f->text = Pick(rng, kFeedback);
        }
      }
      // Notifications: a few per week; opened more on the favourite channel.
      if (rng.Uniform() < 0.3) {
        const char* sent_on = Pick(rng, kChannels);
        absl::Time t = absl::FromCivil(
            absl::CivilHour(civil.year(), civil.month(), civil.day(), 10), atz);
        if (t < now) {
          std::string decision = StrCat("demo-decision-", u, "-", day);
          for (const char* type : {"notification_sent", "notification_delivered"}) {
            domain::Event e;
            e.user_id = user.id;
            e.type = type;
            e.timestamp = t;
            e.context["channel"] = sent_on;
            e.context["decision_id"] = decision;
            events.push_back(std::move(e));
          }
          double p_open = std::string_view(sent_on) == channel ? 0.45 : 0.08;
          if (std::abs(peak_hour - 10) <= 2) p_open *= 1.5;
          if (rng.Uniform() < p_open) {
            domain::Event e;
            e.user_id = user.id;
            e.type = "notification_opened";
            e.timestamp = t + absl::Minutes(5 + static_cast<int>(rng.UniformInt(120)));
            e.context["channel"] = sent_on;
            e.context["decision_id"] = decision;
            events.push_back(e);
            if (rng.Uniform() < 0.4) {
              e.type = "notification_clicked";
              e.timestamp += absl::Minutes(1);
              events.push_back(e);
            }
          }
        }
      }
    }
    if (events.size() > 20000) {
      if (absl::Status s = flush_events(); !s.ok()) return s;
    }
  }
  auto r = store.WriteSync(tenant, std::move(users));
  if (!r.ok()) return r.status();
  summary.users = r->upserted;
  if (absl::Status s = flush_events(); !s.ok()) return s;
  return summary;
}

}  // namespace tailor::importer
