#include "notify/notifier.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/field_errors.h"
#include "common/random.h"
#include "common/strings.h"
#include "domain/contact_policy.h"
#include "domain/validation.h"
#include "models/decide/beta_posterior.h"
#include "models/decide/channel_chooser.h"
#include "models/decide/local_time.h"
#include "models/decide/quality_gate.h"
#include "models/decide/quality_score.h"
#include "models/decide/send_time.h"
#include "models/decide/thompson_sampler.h"
#include "notify/tenant_notify.h"
#include "recommend/recommender.h"
#include "serving/engine.h"

namespace tailor::notify {

namespace json = boost::json;
using decide::Channel;
using decide::MessageCategory;
using personalize::NotificationTemplate;
using personalize::TemplateVariant;

namespace {

constexpr int kMaxRecommendations = 20;


std::string_view CategoryName(MessageCategory c) {
  return c == MessageCategory::kMarketing ? "marketing" : "transactional";
}



// Pseudo-sends that shrink a user's rate for one tag toward their overall rate.
constexpr double kTagShrinkage = 3.0;

// Affinity in [0, 1] (0.5 neutral) of each tag value (tone or length) from
// this user's sends and engagements by tag: half the lift of the tag's rate,
// shrunk toward the user's overall rate, over that overall rate.
std::map<std::string, double> Affinities(const std::map<std::string, decide::EngagementCounts>& by_tag) {
  std::map<std::string, double> out;
  double sends = 0, engaged = 0;
  for (const auto& [tag, c] : by_tag) {
    sends += c.sends;
    engaged += c.engagements;
  }
  if (sends <= 0) return out;
  const double overall = (engaged + 0.5) / (sends + 1.0);
  for (const auto& [tag, c] : by_tag) {
    const double rate = (c.engagements + kTagShrinkage * overall) / (c.sends + kTagShrinkage);
    out[tag] = std::clamp(0.5 * rate / overall, 0.0, 1.0);
  }
  return out;
}

domain::Purpose PurposeOf(MessageCategory c) {
  return c == MessageCategory::kMarketing ? domain::Purpose::kMarketing
                                          : domain::Purpose::kTransactional;
}

json::object UserContext(const domain::User& user) {
  json::object out = user.attributes;
  out["id"] = user.id;
  if (!user.locale.empty()) out["locale"] = user.locale;
  if (!user.timezone.empty()) out["timezone"] = user.timezone;
  return out;
}

std::string FormatLocal(absl::Time t, const std::string& zone_name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) zone = absl::UTCTimeZone();
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, zone);
}

Memo MemoOf(const Decision& d, const TemplateVariant* variant) {
  Memo m;
  m.user_id = d.user_id;
  m.template_id = d.template_id;
  m.variant_id = d.variant_id;
  m.segment = d.segment;
  m.channel = d.channel;
  m.category = d.category;
  m.send_at = d.send_at;
  if (variant != nullptr) {
    m.tone = variant->tone;
    m.length = variant->length;
  }
  return m;
}

}  // namespace


Notifier::Notifier(storage::Store& store, serving::Engine* engine, Clock& clock,
                   NotifierOptions options)
    : store_(store), engine_(engine), clock_(clock), options_(options) {}

Notifier::~Notifier() = default;

absl::StatusOr<Notifier::TenantNotify*> Notifier::Tenant(domain::TenantId tenant) {
  std::lock_guard lock(tenants_mu_);
  auto it = tenants_.find(tenant);
  if (it != tenants_.end()) return it->second.get();
  auto state = std::make_unique<TenantNotify>(options_.seed ^ (static_cast<uint64_t>(tenant) *
                                                               0x9E3779B97F4A7C15ull));
  // First use of the tenant: rebuild from its records (under tenants_mu_, so
  // a second caller waits for the load instead of seeing half a state).
  if (absl::Status s = Load(tenant, *state); !s.ok()) return s;
  TenantNotify* out = state.get();
  tenants_.emplace(tenant, std::move(state));
  return out;
}

absl::Status Notifier::Load(domain::TenantId tenant, TenantNotify& state) {
  absl::StatusOr<storage::Record> settings =
      store_.GetRecord(tenant, kSettingsCollection, kSettingsRecordId);
  if (settings.ok()) {
    absl::StatusOr<NotifySettings> parsed = SettingsOfStoredRecord(settings->doc);
    if (!parsed.ok()) return parsed.status();
    state.settings = *parsed;
  } else if (!absl::IsNotFound(settings.status())) {
    return settings.status();
  }
  int64_t loaded = 0;
  absl::Status scan = store_.ScanRecords(tenant, kDecisionsCollection, [&](const storage::Record& r) {
    std::optional<Memo> m = MemoOfStoredDecision(r.doc, r.updated_at);
    if (!m) return true;  // suppressed decisions sent nothing
    state.ApplySendLocked(r.id, std::move(*m));
    ++loaded;
    return true;
  });
  if (!scan.ok()) return scan;
  scan = store_.ScanRecords(tenant, kAttributionsCollection, [&](const storage::Record& r) {
    const size_t slash = r.id.rfind('/');
    if (slash == std::string::npos) return true;
    auto it = state.decisions.find(r.id.substr(0, slash));
    if (it == state.decisions.end()) return true;
    state.ApplyAttributionLocked(it->second, std::string_view(r.id).substr(slash + 1));
    return true;
  });
  if (loaded > 0) spdlog::info("notify: tenant {} rebuilt from {} decisions", tenant, loaded);
  return scan;
}

absl::StatusOr<std::shared_ptr<const NotificationTemplate>> Notifier::Template(
    domain::TenantId tenant, TenantNotify& state, std::string_view id) {
  {
    std::lock_guard lock(state.templates_mu);
    auto it = state.templates.find(id);
    if (it != state.templates.end()) return it->second;
  }
  absl::StatusOr<json::object> doc = ReadRecord(store_, tenant, kTemplatesCollection, id, "template");
  if (!doc.ok()) return doc.status();
  absl::StatusOr<NotificationTemplate> parsed = personalize::ParseNotificationTemplate(*doc, id);
  if (!parsed.ok()) return absl::DataLossError(StrCat("stored template ", id, " is invalid"));
  auto shared = std::make_shared<const NotificationTemplate>(std::move(*parsed));
  std::lock_guard lock(state.templates_mu);
  state.templates.insert_or_assign(std::string(id), shared);
  return shared;
}

void Notifier::ForgetTemplate(domain::TenantId tenant, std::string_view template_id) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  std::lock_guard lock((*state)->templates_mu);
  if (auto it = (*state)->templates.find(template_id); it != (*state)->templates.end()) {
    (*state)->templates.erase(it);
  }
}

absl::StatusOr<NotifySettings> Notifier::Settings(domain::TenantId tenant) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return state.status();
  std::lock_guard lock((*state)->mu);
  return (*state)->settings;
}

void Notifier::OnSettingsCommitted(domain::TenantId tenant, const NotifySettings& settings) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  std::lock_guard lock((*state)->mu);
  (*state)->settings = settings;
}

namespace {

// Everything Decide() knows about the request before choosing.
struct DecideInputs {
  const DecideRequest* request = nullptr;
  const domain::User* user = nullptr;
  std::shared_ptr<const NotificationTemplate> templ;
  std::shared_ptr<const NotificationTemplate> fallback_templ;
  std::optional<insights::NotifySignals> signals;
  json::value context;
  personalize::RenderOptions render;
  std::string time_zone;
  absl::Time now, start, end;
};

struct Rendered {
  const TemplateVariant* variant = nullptr;
  Channel channel = Channel::kEmail;
  personalize::RenderedMessage message;
};

// The first variant with `channel`, in the order given, that renders.
std::optional<Rendered> RenderFirst(const std::vector<const TemplateVariant*>& order,
                                    Channel channel, const DecideInputs& in,
                                    json::array& reasons) {
  for (const TemplateVariant* v : order) {
    absl::StatusOr<personalize::RenderedMessage> m =
        personalize::RenderVariant(*v, channel, in.context, in.render);
    if (m.ok()) return Rendered{v, channel, std::move(*m)};
    reasons.push_back(json::string(StrCat("variant ", v->id, " skipped on ",
                                          decide::ChannelName(channel), ": ",
                                          View(m.status().message()))));
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<Decision> Notifier::Decide(domain::TenantId tenant, const DecideRequest& req) {
  absl::StatusOr<TenantNotify*> state_or = Tenant(tenant);
  if (!state_or.ok()) return state_or.status();
  TenantNotify& state = **state_or;
  DecideInputs in;
  in.request = &req;
  in.now = clock_.Now();
  in.start = std::max(req.window_start.value_or(in.now), in.now);
  in.end = req.window_end.value_or(in.start + absl::Hours(24));
  if (in.end <= in.start) return InvalidField("window.end", "the window is entirely in the past");

  absl::StatusOr<domain::User> user = store_.GetUser(tenant, req.user_id);
  if (absl::IsNotFound(user.status())) {
    return absl::NotFoundError(StrCat("user ", req.user_id, " does not exist (PUT /v1/users first)"));
  }
  if (!user.ok()) return user.status();
  in.user = &*user;
  NotifySettings settings;
  {
    std::lock_guard lock(state.mu);
    settings = state.settings;
  }
  if (req.inline_template) {
    in.templ = req.inline_template;
  } else {
    absl::StatusOr<std::shared_ptr<const NotificationTemplate>> t =
        Template(tenant, state, req.template_id);
    if (!t.ok()) return t.status();
    in.templ = *t;
  }
  if (settings.fallback) {
    absl::StatusOr<std::shared_ptr<const NotificationTemplate>> t =
        Template(tenant, state, settings.fallback->template_id);
    if (t.ok()) in.fallback_templ = *t;  // a missing safe default only means no fallback
  }
  json::object context = req.context;
  context["user"] = UserContext(*user);
  if (!req.item_id.empty()) {
    absl::StatusOr<domain::Item> item = store_.GetItem(tenant, req.item_id);
    if (absl::IsNotFound(item.status())) {
      return absl::NotFoundError(StrCat("item ", req.item_id, " does not exist"));
    }
    if (!item.ok()) return item.status();
    json::object item_json = item->attributes;
    for (auto& [k, v] : domain::ItemToJson(*item)) item_json[k] = v;
    context["item"] = std::move(item_json);
  }
  in.context = std::move(context);
  in.time_zone = !user->timezone.empty() ? user->timezone : settings.default_time_zone;
  in.render.time_zone = in.time_zone;
  in.render.locale = !user->locale.empty()       ? user->locale
                     : !in.templ->locale.empty() ? in.templ->locale
                                                 : "en-US";
  serving::TenantRuntime* runtime = nullptr;
  if (engine_ != nullptr) {
    absl::StatusOr<serving::TenantRuntime*> r = engine_->Tenant(tenant);
    if (r.ok()) runtime = *r;
  }
  if (runtime != nullptr) in.signals = runtime->profiles.Signals(req.user_id, in.now);
  const std::string user_id = req.user_id;
  in.render.section_provider = [&, runtime](std::string_view name,
                                            const json::object& args) -> absl::StatusOr<json::array> {
    if (name != "recommendations") {
      return absl::InvalidArgumentError(StrCat("unknown provider section ", name));
    }
    if (runtime == nullptr) {
      return absl::FailedPreconditionError("recommendations are not enabled on this server");
    }
    int n = 3;
    if (const json::value* v = args.if_contains("n"); v && v->is_int64()) {
      n = static_cast<int>(std::clamp<int64_t>(v->get_int64(), 1, kMaxRecommendations));
    }
    recommend::Recommender recommender(*runtime, clock_);
    recommend::RecommendRequest ask;
    ask.user_id = user_id;
    ask.n = n;
    absl::StatusOr<recommend::Recommendation> r = recommender.Recommend(ask);
    if (!r.ok()) return r.status();
    json::array items;
    for (size_t i = 0; i < r->items.size(); ++i) {
      json::object item{{"id", r->items[i].item_id}, {"rank", i + 1}};
      runtime->state.WithItem(r->items[i].item_id, [&](const serving::ItemInfo& info) {
        item["title"] = info.title;
      });
      items.push_back(std::move(item));
    }
    return items;
  };

  // The tenant's priors: channel rates from every user's counts, the hour
  // prior from every user's activity; refreshed at most every prior_refresh.
  // One caller claims the refresh and computes it outside the lock (it is
  // linear in the tenant's users); the others keep using the previous priors.
  std::vector<std::vector<decide::EngagementCounts>> counts;
  {
    std::lock_guard lock(state.mu);
    if (in.now - state.priors_at >= options_.prior_refresh) {
      state.priors_at = in.now;
      counts.resize(decide::kAllChannels.size());
      for (const auto& [id, u] : state.users) {
        for (Channel c : decide::kAllChannels) {
          if (u.counts[Index(c)].sends > 0) counts[Index(c)].push_back(u.counts[Index(c)]);
        }
      }
    }
  }
  if (!counts.empty()) {
    std::map<Channel, decide::TenantChannelPrior> priors;
    for (Channel c : decide::kAllChannels) {
      double sends = 0, engaged = 0;
      for (const decide::EngagementCounts& e : counts[Index(c)]) {
        sends += e.sends;
        engaged += e.engagements;
      }
      absl::StatusOr<decide::TenantChannelPrior> prior =
          decide::EstimateChannelPrior(counts[Index(c)]);
      priors[c] = prior.ok() ? *prior
                             : decide::TenantChannelPrior{(engaged + 1.0) / (sends + 2.0), 2.0};
    }
    decide::HourOfWeekHistogram hours;
    if (runtime != nullptr) {
      const std::array<double, 168> totals = runtime->profiles.LocalHourTotals(in.now);
      for (int h = 0; h < decide::kHoursPerWeek; ++h) hours.AddToHour(h, totals[h]);
    }
    std::lock_guard lock(state.mu);
    state.channel_priors = std::move(priors);
    state.tenant_hours = hours;
  }

  std::lock_guard lock(state.mu);
  Decision d;
  d.user_id = req.user_id;
  d.segment = req.segment;
  d.category = req.category;
  d.dry_run = req.dry_run;
  d.id = fmt::format("nd_{:016x}{:016x}", state.rng.Next(), state.rng.Next());
  json::array reasons;
  UserNotify& history = state.users[req.user_id];
  const std::vector<decide::SentMessage> cap_history = history.CapHistory();

  // 1. Channels.
  struct ChannelState {
    Channel channel;
    bool has_variant = false, reachable = false, consented = false, capped = false;
    absl::Time earliest;
    std::string note;
  };
  std::vector<ChannelState> checks;
  std::vector<decide::ChannelOption> options;
  for (Channel c : req.channels) {
    ChannelState cs;
    cs.channel = c;
    cs.earliest = in.start;
    for (const TemplateVariant& v : in.templ->variants) cs.has_variant = cs.has_variant || v.Has(c);
    double engaged = history.counts[Index(c)].engagements;
    if (in.signals) {
      const insights::ChannelFunnel& f = in.signals->channels[Index(c)];
      engaged = std::max<double>(engaged, std::max(f.opened, f.clicked));
    }
    const std::string_view name = decide::ChannelName(c);
    cs.reachable = domain::Reachable(domain::HasContact(*user, name), name, std::llround(engaged));
    cs.consented = domain::Consents(*user, name, PurposeOf(req.category));
    if (!cs.has_variant) {
      cs.note = "the template has no variant for this channel";
    } else if (!cs.reachable) {
      cs.note = "no contact for this channel";
    } else if (!cs.consented) {
      cs.note = StrCat("no ", CategoryName(req.category), " consent");
    } else if (req.category == MessageCategory::kMarketing) {
      decide::CapDecision cap =
          decide::CheckFrequencyCap(c, req.category, cap_history, in.start, settings.caps);
      if (!cap.allow) {
        if (cap.next_allowed < in.end) {
          cs.earliest = cap.next_allowed;
          cs.note = StrCat("frequency cap (", cap.reason, "): not before ",
                           domain::FormatRfc3339(cap.next_allowed));
        } else {
          cs.capped = true;
          cs.note = StrCat("frequency cap: ", cap.reason);
        }
      }
    }
    const bool eligible = cs.has_variant && cs.reachable && cs.consented && !cs.capped;
    if (eligible) {
      decide::ChannelOption option{c, true, true, history.counts[Index(c)]};
      if (in.signals) {
        const insights::ChannelFunnel& f = in.signals->channels[Index(c)];
        option.user.sends = std::max<double>(option.user.sends, f.sent);
        option.user.engagements =
            std::max<double>(option.user.engagements, std::max(f.opened, f.clicked));
        option.user.sends = std::max(option.user.sends, option.user.engagements);
      }
      options.push_back(option);
    }
    checks.push_back(std::move(cs));
  }
  std::optional<Channel> stated;
  if (const json::value* p = user->attributes.if_contains("preferred_channel");
      p != nullptr && p->is_string()) {
    if (absl::StatusOr<Channel> c = decide::ParseChannel(View(p->get_string())); c.ok()) stated = *c;
  }
  decide::ChannelDecision channels =
      decide::ChooseChannel(options, state.channel_priors, stated, &state.rng);
  json::array channel_scores;
  for (const ChannelState& cs : checks) {
    json::object row{{"channel", decide::ChannelName(cs.channel)}};
    const decide::ChannelScore* score = nullptr;
    for (const decide::ChannelScore& s : channels.scores) {
      if (s.channel == cs.channel) score = &s;
    }
    row["eligible"] = score != nullptr;
    if (score != nullptr) {
      row["score"] = Round4(score->score);
      row["posterior_mean"] = Round4(score->posterior_mean);
      row["prior_mean"] = Round4(score->prior_mean);
    }
    if (!cs.note.empty()) row["note"] = cs.note;
    channel_scores.push_back(std::move(row));
  }

  auto suppress = [&](std::string_view code, std::string detail) {
    d.sent = false;
    d.answer["suppressed"] = {{"reason", code}, {"detail", detail}};
    reasons.push_back(json::string(detail));
  };

  // 2. Variant on the best channel that renders (then the next channels).
  std::optional<Rendered> chosen;
  json::array variant_scores;
  const std::string template_key = req.inline_template ? std::string("inline") : req.template_id;
  decide::UserPreferences prefs;
  prefs.tone = Affinities(history.tones);
  prefs.length = Affinities(history.lengths);
  std::vector<Channel> channel_order;
  if (channels.chosen) {
    channel_order.push_back(*channels.chosen);
    std::vector<const decide::ChannelScore*> rest;
    for (const decide::ChannelScore& s : channels.scores) {
      if (s.eligible && s.channel != *channels.chosen) rest.push_back(&s);
    }
    std::sort(rest.begin(), rest.end(),
              [](auto* a, auto* b) { return a->score > b->score; });
    for (auto* s : rest) channel_order.push_back(s->channel);
    reasons.push_back(json::string(StrCat("channel ", decide::ChannelName(*channels.chosen), ": ",
                                          channels.reason)));
  }
  for (Channel c : channel_order) {
    std::vector<decide::Variant> candidates;
    std::map<std::string, const TemplateVariant*> by_id;
    for (const TemplateVariant& v : in.templ->variants) {
      if (!v.Has(c)) continue;
      candidates.push_back({v.id, v.tone, v.length});
      by_id[v.id] = &v;
    }
    absl::StatusOr<decide::VariantChoice> pick =
        state.bandit.Choose(template_key, req.segment, candidates, &prefs, state.rng,
                            in.templ->objective);
    if (!pick.ok()) continue;
    std::vector<decide::VariantChoice::Score> order = pick->scores;
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.sampled > b.sampled; });
    std::vector<const TemplateVariant*> variants;
    for (const auto& s : order) variants.push_back(by_id[s.variant_id]);
    chosen = RenderFirst(variants, c, in, reasons);
    if (chosen) {
      for (const auto& s : pick->scores) {
        variant_scores.push_back({{"variant_id", s.variant_id},
                                  {"sampled", Round4(s.sampled)},
                                  {"open_mean", Round4(s.open_mean)},
                                  {"click_mean", Round4(s.click_mean)},
                                  {"conversion_mean", Round4(s.conversion_mean)}});
      }
      reasons.push_back(json::string(
          StrCat("variant ", chosen->variant->id, ": highest Thompson draw of ",
                 candidates.size(), " that rendered (tone ",
                 chosen->variant->tone.empty() ? "-" : chosen->variant->tone, ", length ",
                 chosen->variant->length.empty() ? "-" : chosen->variant->length, ")")));
      break;
    }
  }

  // 3. Quality, and the safe default below the threshold or when nothing
  // rendered (marketing only; see decide/quality_gate.h for exploration).
  decide::GateVerdict gate;
  json::object quality_json;
  if (chosen) {
    decide::GateInputs g;
    g.category = req.category;
    g.threshold = settings.quality_threshold;
    g.exploration = settings.exploration;
    const decide::VariantStats stats =
        state.bandit.Stats({template_key, req.segment, chosen->variant->id});
    g.components = {
        decide::DataConfidence(in.signals ? static_cast<double>(in.signals->events) : 0.0),
        decide::ModelConfidence(stats.open),
        decide::RenderCompleteness(chosen->message.stats.variables,
                                   chosen->message.stats.defaulted_variables)};
    if (auto it = state.variant_counts.find({template_key, chosen->variant->id});
        it != state.variant_counts.end()) {
      g.variant_sends = it->second.sends;
    }
    gate = decide::ApplyQualityGate(g, state.rng);
    quality_json = {{"data_confidence", Round4(g.components.data_confidence)},
                    {"model_confidence", Round4(g.components.model_confidence)},
                    {"render_completeness", Round4(g.components.render_completeness)}};
    if (gate.kind != decide::GateVerdict::kPass && gate.kind != decide::GateVerdict::kFallback) {
      reasons.push_back(json::string(gate.reason));
    }
  }
  const double quality = gate.quality;
  quality_json["threshold"] = settings.quality_threshold;
  quality_json["exploration"] = gate.kind == decide::GateVerdict::kExplore;
  bool fallback_used = false;
  d.template_id = template_key;
  const bool below = chosen && gate.kind == decide::GateVerdict::kFallback;
  if (!options.empty() && (!chosen || below)) {
    std::string why = below ? gate.reason : std::string("no variant rendered");
    std::optional<Rendered> safe;
    // The safe default is a marketing message: never a transactional one's stand-in.
    if (settings.fallback && in.fallback_templ && req.category == MessageCategory::kMarketing) {
      const TemplateVariant* fv = nullptr;
      for (const TemplateVariant& v : in.fallback_templ->variants) {
        if (v.id == settings.fallback->variant_id) fv = &v;
      }
      if (fv != nullptr) {
        // The safe default's own channel when eligible, else any eligible one it has.
        std::vector<Channel> order{settings.fallback->channel};
        for (Channel c : channel_order) order.push_back(c);
        for (Channel c : order) {
          const bool eligible = std::any_of(options.begin(), options.end(),
                                            [&](const auto& o) { return o.channel == c; });
          if (!eligible || !fv->Has(c)) continue;
          safe = RenderFirst({fv}, c, in, reasons);
          if (safe) break;
        }
      }
    }
    if (safe) {
      chosen = std::move(safe);
      fallback_used = true;
      d.template_id = settings.fallback->template_id;
      reasons.push_back(json::string(StrCat(why, ": the tenant's safe default ",
                                            d.template_id, "/", chosen->variant->id,
                                            " is used")));
    } else {
      chosen.reset();
      suppress(below ? "quality_below_threshold" : "render_failed",
               StrCat(why, " and no safe default could be sent"));
    }
  }

  // 4. Send time.
  if (chosen) {
    d.channel = chosen->channel;
    d.variant_id = chosen->variant->id;
    absl::Time earliest = in.start;
    for (const ChannelState& cs : checks) {
      if (cs.channel == d.channel) earliest = cs.earliest;
    }
    if (req.category == MessageCategory::kTransactional) {
      d.send_at = earliest;
      reasons.push_back("transactional: sent at once; quiet hours and caps do not apply");
      d.sent = true;
    } else {
      std::optional<decide::QuietHours> user_quiet;
      if (const json::value* q = user->attributes.if_contains("quiet_hours"); q != nullptr) {
        absl::StatusOr<decide::QuietHours> parsed = ParseQuietHours(*q, "quiet_hours");
        if (parsed.ok()) user_quiet = *parsed;
      }
      decide::HourOfWeekHistogram user_hours;
      if (in.signals) {
        for (int h = 0; h < decide::kHoursPerWeek; ++h) {
          user_hours.AddToHour(h, in.signals->local_hours[h]);
        }
      }
      decide::SendTimeOptions st;
      st.prior_strength = settings.send_time_prior_strength;
      st.quiet_hours = decide::EffectiveQuietHours(settings.quiet_hours, user_quiet);
      bool capped_later = false;  // scheduled sends make the caps non-monotone in time
      st.allowed = [&](absl::Time t) {
        const bool ok =
            decide::CheckFrequencyCap(d.channel, req.category, cap_history, t, settings.caps).allow;
        capped_later = capped_later || !ok;
        return ok;
      };
      if (earliest > in.start) {
        reasons.push_back(json::string(StrCat("deferred by the frequency cap: not before ",
                                              domain::FormatRfc3339(earliest))));
      }
      absl::StatusOr<decide::SendTimeDecision> when =
          decide::BestSendTime(user_hours, state.tenant_hours, in.time_zone, earliest, in.end, st);
      if (!when.ok()) {
        suppress(capped_later ? "frequency_cap" : absl::IsNotFound(when.status()) ? "quiet_hours" : "send_time",
                 StrCat("no send time: ", View(when.status().message())));
      } else {
        d.send_at = when->send_at;
        d.sent = true;
        reasons.push_back(json::string(StrCat("send time: ", when->reason)));
        if (when->moved_by_quiet_hours) {
          reasons.push_back(json::string(StrCat(
              "moved out of quiet hours (", user_quiet ? "the user's" : "the tenant's", ")")));
        }
      }
    }
  } else if (!d.answer.contains("suppressed")) {
    // No eligible channel: say the strongest reason.
    bool any_variant = false, any_reachable = false, any_consent = false;
    for (const ChannelState& cs : checks) {
      any_variant = any_variant || cs.has_variant;
      any_reachable = any_reachable || (cs.has_variant && cs.reachable);
      any_consent = any_consent || (cs.has_variant && cs.reachable && cs.consented);
    }
    suppress(!any_variant     ? "no_variant_for_channels"
             : !any_reachable ? "unreachable"
             : !any_consent   ? "no_consent"
                              : "frequency_cap",
             !any_variant     ? "no variant of the template has a requested channel"
             : !any_reachable ? "the user has no contact on any requested channel"
             : !any_consent   ? StrCat("the user has not consented to ",
                                       CategoryName(req.category), " messages on any reachable channel")
                              : "every eligible channel is over its frequency cap in the window");
  }

  if (d.sent && !d.dry_run) history.reserved[d.id] = {d.send_at, d.channel, d.category};
  json::object& a = d.answer;
  a["decision_id"] = d.id;
  a["user_id"] = d.user_id;
  a["template_id"] = d.template_id;
  a["segment"] = d.segment;
  a["category"] = CategoryName(d.category);
  a["dry_run"] = d.dry_run;
  a["created_at"] = domain::FormatRfc3339(in.now);
  if (d.sent) {
    a["suppressed"] = nullptr;
    a["variant_id"] = d.variant_id;
    a["channel"] = decide::ChannelName(d.channel);
    a["tone"] = chosen->variant->tone;
    a["length"] = chosen->variant->length;
    a["content"] = personalize::RenderedMessageToJson(d.channel, chosen->message);
    a["locale"] = in.render.locale;
    a["send_at"] = {{"utc", domain::FormatRfc3339(d.send_at)},
                    {"local", FormatLocal(d.send_at, in.time_zone)},
                    {"time_zone", in.time_zone}};
  } else {
    a["variant_id"] = nullptr;
    a["channel"] = nullptr;
    a["content"] = nullptr;
    a["send_at"] = nullptr;
  }
  a["quality_score"] = chosen ? Round4(quality) : json::value(0.0);
  a["quality"] = std::move(quality_json);
  a["fallback_used"] = fallback_used;
  a["objective"] = decide::ObjectiveName(in.templ->objective);
  if (!in.templ->conversion_event.empty()) a["conversion_event"] = in.templ->conversion_event;
  a["channel_scores"] = std::move(channel_scores);
  a["variant_scores"] = std::move(variant_scores);
  a["reasons"] = std::move(reasons);
  return d;
}

void Notifier::AddDecisionWrite(const Decision& decision, storage::WriteBatch& batch) const {
  if (decision.dry_run) return;
  batch.PutRecord(kDecisionsCollection, decision.id, json::serialize(decision.answer),
                  clock_.Now());
}

void Notifier::OnDecisionCommitted(domain::TenantId tenant, const Decision& decision) {
  if (decision.dry_run) return;
  if (options_.events) {
    options_.events(tenant, "decision.created", decision.answer);
    const json::value* fallback = decision.answer.if_contains("fallback_used");
    const json::value* suppressed = decision.answer.if_contains("suppressed");
    const bool below = suppressed != nullptr && suppressed->is_object() &&
                       suppressed->get_object().at("reason") == "quality_below_threshold";
    if (below || (fallback != nullptr && fallback->is_bool() && fallback->get_bool())) {
      options_.events(tenant, "quality.threshold_failed",
                      {{"decision_id", decision.id},
                       {"user_id", decision.user_id},
                       {"quality_score", decision.answer.at("quality_score")},
                       {"quality", decision.answer.at("quality")},
                       {"fallback_used", !below}});
    }
  }
  if (!decision.sent) return;
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  Memo memo = MemoOf(decision, nullptr);
  if (const json::value* t = decision.answer.if_contains("tone"); t && t->is_string()) {
    memo.tone = std::string(t->get_string());
  }
  if (const json::value* l = decision.answer.if_contains("length"); l && l->is_string()) {
    memo.length = std::string(l->get_string());
  }
  if (const json::value* c = decision.answer.if_contains("conversion_event"); c && c->is_string()) {
    memo.conversion_event = std::string(c->get_string());
  }
  std::lock_guard lock((*state)->mu);
  (*state)->ApplySendLocked(decision.id, std::move(memo));
}

absl::StatusOr<Decision> Notifier::DecideAndCommit(domain::TenantId tenant,
                                                   const DecideRequest& request) {
  absl::StatusOr<Decision> d = Decide(tenant, request);
  if (!d.ok()) return d;
  storage::WriteBatch batch;
  AddDecisionWrite(*d, batch);
  if (!batch.empty()) {
    absl::StatusOr<storage::WriteResult> w = store_.WriteSync(tenant, std::move(batch));
    if (!w.ok()) return w.status();
  }
  OnDecisionCommitted(tenant, *d);
  return d;
}

}  // namespace tailor::notify
