#include "notify/decision_policy.h"

#include <algorithm>
#include <string_view>

#include <boost/json.hpp>

#include "common/strings.h"
#include "domain/validation.h"
#include "models/decide/quality_gate.h"
#include "models/decide/quality_score.h"
#include "notify/channel_eligibility.h"

namespace tailor::notify {

namespace json = boost::json;
using personalize::TemplateVariant;

namespace {

// Pseudo-sends that shrink a user's rate for one tag toward their overall rate.
constexpr double kTagShrinkage = 3.0;

struct Rendered {
  const TemplateVariant* variant = nullptr;
  Channel channel = Channel::kEmail;
  personalize::RenderedMessage message;
};

void Reason(json::array& reasons, std::string text) {
  reasons.push_back(json::string(text));
}

void Suppress(Decision& d, json::array& reasons, std::string_view code, std::string detail) {
  d.sent = false;
  d.answer["suppressed"] = {{"reason", code}, {"detail", detail}};
  Reason(reasons, std::move(detail));
}

std::string FormatLocal(absl::Time t, const std::string& zone_name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) zone = absl::UTCTimeZone();
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, zone);
}

// The first variant with `channel`, in the order given, that renders.
std::optional<Rendered> RenderFirst(const std::vector<const TemplateVariant*>& order,
                                    Channel channel, const DecideInputs& in,
                                    json::array& reasons) {
  for (const TemplateVariant* v : order) {
    absl::StatusOr<personalize::RenderedMessage> m =
        personalize::RenderVariant(*v, channel, in.context, in.render);
    if (m.ok()) return Rendered{v, channel, std::move(*m)};
    Reason(reasons, StrCat("variant ", v->id, " skipped on ", decide::ChannelName(channel), ": ",
                           View(m.status().message())));
  }
  return std::nullopt;
}

// 1. The chosen channel, then the other eligible ones by score.
std::vector<Channel> ChooseChannels(const DecideInputs& in, const PolicyState& s,
                                    const Eligibility& eligibility, json::array& channel_scores,
                                    json::array& reasons) {
  std::optional<Channel> stated;
  if (const json::value* p = in.user->attributes.if_contains("preferred_channel");
      p != nullptr && p->is_string()) {
    if (absl::StatusOr<Channel> c = decide::ParseChannel(View(p->get_string())); c.ok()) stated = *c;
  }
  decide::ChannelDecision channels =
      decide::ChooseChannel(eligibility.options, s.channel_priors, stated, &s.rng);
  channel_scores = ChannelScoresJson(eligibility.checks, channels);
  std::vector<Channel> order;
  if (!channels.chosen) return order;
  order.push_back(*channels.chosen);
  std::vector<const decide::ChannelScore*> rest;
  for (const decide::ChannelScore& cs : channels.scores) {
    if (cs.eligible && cs.channel != *channels.chosen) rest.push_back(&cs);
  }
  std::sort(rest.begin(), rest.end(), [](auto* a, auto* b) { return a->score > b->score; });
  for (auto* cs : rest) order.push_back(cs->channel);
  Reason(reasons, StrCat("channel ", decide::ChannelName(*channels.chosen), ": ", channels.reason));
  return order;
}

// 2. The variant on the first channel of `order` that renders: a Thompson
// draw per channel, tried in the order of the draws.
std::optional<Rendered> ChooseVariant(const DecideInputs& in, const PolicyState& s,
                                      const std::string& template_key,
                                      const std::vector<Channel>& order,
                                      json::array& variant_scores, json::array& reasons) {
  const DecideRequest& req = *in.request;
  decide::UserPreferences prefs;
  prefs.tone = Affinities(s.history.tones);
  prefs.length = Affinities(s.history.lengths);
  for (Channel c : order) {
    std::vector<decide::Variant> candidates;
    std::map<std::string, const TemplateVariant*> by_id;
    for (const TemplateVariant& v : in.templ->variants) {
      if (!v.Has(c)) continue;
      candidates.push_back({v.id, v.tone, v.length});
      by_id[v.id] = &v;
    }
    absl::StatusOr<decide::VariantChoice> pick =
        s.bandit.Choose(template_key, req.segment, candidates, &prefs, s.rng, in.templ->objective);
    if (!pick.ok()) continue;
    std::vector<decide::VariantChoice::Score> drawn = pick->scores;
    std::stable_sort(drawn.begin(), drawn.end(),
                     [](const auto& a, const auto& b) { return a.sampled > b.sampled; });
    std::vector<const TemplateVariant*> variants;
    for (const auto& score : drawn) variants.push_back(by_id[score.variant_id]);
    std::optional<Rendered> chosen = RenderFirst(variants, c, in, reasons);
    if (!chosen) continue;
    for (const auto& score : pick->scores) {
      variant_scores.push_back({{"variant_id", score.variant_id},
                                {"sampled", Round4(score.sampled)},
                                {"open_mean", Round4(score.open_mean)},
                                {"click_mean", Round4(score.click_mean)},
                                {"conversion_mean", Round4(score.conversion_mean)}});
    }
    Reason(reasons, StrCat("variant ", chosen->variant->id, ": highest Thompson draw of ",
                           candidates.size(), " that rendered (tone ",
                           chosen->variant->tone.empty() ? "-" : chosen->variant->tone,
                           ", length ",
                           chosen->variant->length.empty() ? "-" : chosen->variant->length, ")"));
    return chosen;
  }
  return std::nullopt;
}

// 3a. The quality gate's verdict on `chosen` (a default verdict when null),
// and the answer's "quality".
decide::GateVerdict GateQuality(const DecideInputs& in, const PolicyState& s,
                                const std::string& template_key, const Rendered* chosen,
                                json::object& quality_json, json::array& reasons) {
  decide::GateVerdict gate;
  if (chosen != nullptr) {
    decide::GateInputs g;
    g.category = in.request->category;
    g.threshold = s.settings.quality_threshold;
    g.exploration = s.settings.exploration;
    const decide::VariantStats stats =
        s.bandit.Stats({template_key, in.request->segment, chosen->variant->id});
    g.components = {
        decide::DataConfidence(in.signals ? static_cast<double>(in.signals->events) : 0.0),
        decide::ModelConfidence(stats.open),
        decide::RenderCompleteness(chosen->message.stats.variables,
                                   chosen->message.stats.defaulted_variables)};
    if (auto it = s.variant_counts.find({template_key, chosen->variant->id});
        it != s.variant_counts.end()) {
      g.variant_sends = it->second.sends;
    }
    gate = decide::ApplyQualityGate(g, s.rng);
    quality_json = {{"data_confidence", Round4(g.components.data_confidence)},
                    {"model_confidence", Round4(g.components.model_confidence)},
                    {"render_completeness", Round4(g.components.render_completeness)}};
    if (gate.kind != decide::GateVerdict::kPass && gate.kind != decide::GateVerdict::kFallback) {
      Reason(reasons, gate.reason);
    }
  }
  quality_json["threshold"] = s.settings.quality_threshold;
  quality_json["exploration"] = gate.kind == decide::GateVerdict::kExplore;
  return gate;
}

// 3b. The tenant's safe default rendered on its own channel when eligible,
// else on the first eligible one of `order` it has. Never for a transactional
// message.
std::optional<Rendered> RenderSafeDefault(const DecideInputs& in, const PolicyState& s,
                                          const std::vector<decide::ChannelOption>& eligible,
                                          const std::vector<Channel>& order,
                                          json::array& reasons) {
  const std::optional<FallbackSpec>& fallback = s.settings.fallback;
  if (!fallback || !in.fallback_templ || in.request->category != MessageCategory::kMarketing) {
    return std::nullopt;
  }
  const TemplateVariant* fv = nullptr;
  for (const TemplateVariant& v : in.fallback_templ->variants) {
    if (v.id == fallback->variant_id) fv = &v;
  }
  if (fv == nullptr) return std::nullopt;
  std::vector<Channel> channels{fallback->channel};
  for (Channel c : order) channels.push_back(c);
  for (Channel c : channels) {
    const bool ok = std::any_of(eligible.begin(), eligible.end(),
                                [&](const auto& o) { return o.channel == c; });
    if (!ok || !fv->Has(c)) continue;
    if (std::optional<Rendered> safe = RenderFirst({fv}, c, in, reasons)) return safe;
  }
  return std::nullopt;
}

// 4. When to send `chosen`: at once (transactional) or the best allowed
// hour of the window; suppresses `d` when there is none.
void ChooseSendTime(const DecideInputs& in, const PolicyState& s,
                    const std::vector<ChannelCheck>& checks, Decision& d, json::array& reasons) {
  absl::Time earliest = in.start;
  for (const ChannelCheck& cs : checks) {
    if (cs.channel == d.channel) earliest = cs.earliest;
  }
  if (d.category == MessageCategory::kTransactional) {
    d.send_at = earliest;
    Reason(reasons, "transactional: sent at once; quiet hours and caps do not apply");
    d.sent = true;
    return;
  }
  std::optional<decide::QuietHours> user_quiet;
  if (const json::value* q = in.user->attributes.if_contains("quiet_hours"); q != nullptr) {
    absl::StatusOr<decide::QuietHours> parsed = ParseQuietHours(*q, "quiet_hours");
    if (parsed.ok()) user_quiet = *parsed;
  }
  decide::HourOfWeekHistogram user_hours;
  if (in.signals) {
    for (int h = 0; h < decide::kHoursPerWeek; ++h) user_hours.AddToHour(h, in.signals->local_hours[h]);
  }
  decide::SendTimeOptions st;
  st.prior_strength = s.settings.send_time_prior_strength;
  st.quiet_hours = decide::EffectiveQuietHours(s.settings.quiet_hours, user_quiet);
  bool capped_later = false;  // scheduled sends make the caps non-monotone in time
  st.allowed = [&](absl::Time t) {
    const bool ok =
        decide::CheckFrequencyCap(d.channel, d.category, s.cap_history, t, s.settings.caps).allow;
    capped_later = capped_later || !ok;
    return ok;
  };
  if (earliest > in.start) {
    Reason(reasons, StrCat("deferred by the frequency cap: not before ",
                           domain::FormatRfc3339(earliest)));
  }
  absl::StatusOr<decide::SendTimeDecision> when =
      decide::BestSendTime(user_hours, s.tenant_hours, in.time_zone, earliest, in.end, st);
  if (!when.ok()) {
    Suppress(d, reasons,
             capped_later                          ? "frequency_cap"
             : absl::IsNotFound(when.status()) ? "quiet_hours"
                                               : "send_time",
             StrCat("no send time: ", View(when.status().message())));
    return;
  }
  d.send_at = when->send_at;
  d.sent = true;
  Reason(reasons, StrCat("send time: ", when->reason));
  if (when->moved_by_quiet_hours) {
    Reason(reasons, StrCat("moved out of quiet hours (", user_quiet ? "the user's" : "the tenant's",
                           ")"));
  }
}

}  // namespace

std::map<std::string, double> Affinities(
    const std::map<std::string, decide::EngagementCounts>& by_tag) {
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

void RunDecisionPolicy(const DecideInputs& in, const PolicyState& s, Decision& d) {
  const DecideRequest& req = *in.request;
  json::array reasons;

  // 1. Channels.
  const Eligibility eligibility = CheckChannels(
      {.requested = req.channels,
       .category = req.category,
       .templ = *in.templ,
       .user = *in.user,
       .counts = s.history.counts,
       .signals = in.signals,
       .cap_history = s.cap_history,
       .start = in.start,
       .end = in.end},
      s.settings.caps);
  json::array channel_scores;
  const std::vector<Channel> order = ChooseChannels(in, s, eligibility, channel_scores, reasons);

  // 2. Variant.
  const std::string template_key = req.inline_template ? std::string("inline") : req.template_id;
  json::array variant_scores;
  std::optional<Rendered> chosen =
      ChooseVariant(in, s, template_key, order, variant_scores, reasons);

  // 3. Quality, and the safe default below the threshold or when nothing
  // rendered (marketing only; see decide/quality_gate.h for exploration).
  json::object quality_json;
  const decide::GateVerdict gate =
      GateQuality(in, s, template_key, chosen ? &*chosen : nullptr, quality_json, reasons);
  bool fallback_used = false;
  d.template_id = template_key;
  const bool below = chosen && gate.kind == decide::GateVerdict::kFallback;
  if (!eligibility.options.empty() && (!chosen || below)) {
    const std::string why = below ? gate.reason : std::string("no variant rendered");
    if (std::optional<Rendered> safe =
            RenderSafeDefault(in, s, eligibility.options, order, reasons)) {
      chosen = std::move(safe);
      fallback_used = true;
      d.template_id = s.settings.fallback->template_id;
      Reason(reasons, StrCat(why, ": the tenant's safe default ", d.template_id, "/",
                             chosen->variant->id, " is used"));
    } else {
      chosen.reset();
      Suppress(d, reasons, below ? "quality_below_threshold" : "render_failed",
               StrCat(why, " and no safe default could be sent"));
    }
  }

  // 4. Send time.
  if (chosen) {
    d.channel = chosen->channel;
    d.variant_id = chosen->variant->id;
    ChooseSendTime(in, s, eligibility.checks, d, reasons);
  } else if (!d.answer.contains("suppressed")) {
    const NoChannelReason why = WhyNoChannel(eligibility.checks, req.category);
    Suppress(d, reasons, why.code, why.detail);
  }

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
  a["quality_score"] = chosen ? Round4(gate.quality) : json::value(0.0);
  a["quality"] = std::move(quality_json);
  a["fallback_used"] = fallback_used;
  a["objective"] = decide::ObjectiveName(in.templ->objective);
  if (!in.templ->conversion_event.empty()) a["conversion_event"] = in.templ->conversion_event;
  a["channel_scores"] = std::move(channel_scores);
  a["variant_scores"] = std::move(variant_scores);
  a["reasons"] = std::move(reasons);
}

}  // namespace tailor::notify
