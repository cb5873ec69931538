#include "notify/channel_eligibility.h"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "common/strings.h"
#include "domain/contact_policy.h"
#include "domain/validation.h"
#include "notify/tenant_notify.h"

namespace tailor::notify {

namespace json = boost::json;
using decide::Channel;
using decide::MessageCategory;

namespace {

domain::Purpose PurposeOf(MessageCategory c) {
  return c == MessageCategory::kMarketing ? domain::Purpose::kMarketing
                                          : domain::Purpose::kTransactional;
}

}  // namespace

std::string_view CategoryName(MessageCategory c) {
  return c == MessageCategory::kMarketing ? "marketing" : "transactional";
}

Eligibility CheckChannels(const ChannelFacts& f, const decide::CapPolicy& caps) {
  Eligibility out;
  for (Channel c : f.requested) {
    ChannelCheck cs;
    cs.channel = c;
    cs.earliest = f.start;
    for (const personalize::TemplateVariant& v : f.templ.variants) {
      cs.has_variant = cs.has_variant || v.Has(c);
    }
    // Engagement the profile saw (e.g. before the notifier kept counts) counts too.
    double engaged = f.counts[Index(c)].engagements;
    if (f.signals) {
      const insights::ChannelFunnel& funnel = f.signals->channels[Index(c)];
      engaged = std::max<double>(engaged, std::max(funnel.opened, funnel.clicked));
    }
    const std::string_view name = decide::ChannelName(c);
    cs.reachable = domain::Reachable(domain::HasContact(f.user, name), name, std::llround(engaged));
    cs.consented = domain::Consents(f.user, name, PurposeOf(f.category));
    if (!cs.has_variant) {
      cs.note = "the template has no variant for this channel";
    } else if (!cs.reachable) {
      cs.note = "no contact for this channel";
    } else if (!cs.consented) {
      cs.note = StrCat("no ", CategoryName(f.category), " consent");
    } else if (f.category == MessageCategory::kMarketing) {
      decide::CapDecision cap = decide::CheckFrequencyCap(c, f.category, f.cap_history, f.start, caps);
      if (!cap.allow) {
        if (cap.next_allowed < f.end) {
          cs.earliest = cap.next_allowed;
          cs.note = StrCat("frequency cap (", cap.reason, "): not before ",
                           domain::FormatRfc3339(cap.next_allowed));
        } else {
          cs.capped = true;
          cs.note = StrCat("frequency cap: ", cap.reason);
        }
      }
    }
    if (cs.eligible()) {
      decide::ChannelOption option{c, true, true, f.counts[Index(c)]};
      if (f.signals) {
        const insights::ChannelFunnel& funnel = f.signals->channels[Index(c)];
        option.user.sends = std::max<double>(option.user.sends, funnel.sent);
        option.user.engagements =
            std::max<double>(option.user.engagements, std::max(funnel.opened, funnel.clicked));
        option.user.sends = std::max(option.user.sends, option.user.engagements);
      }
      out.options.push_back(option);
    }
    out.checks.push_back(std::move(cs));
  }
  return out;
}

NoChannelReason WhyNoChannel(const std::vector<ChannelCheck>& checks, MessageCategory category) {
  bool any_variant = false, any_reachable = false, any_consent = false;
  for (const ChannelCheck& cs : checks) {
    any_variant = any_variant || cs.has_variant;
    any_reachable = any_reachable || (cs.has_variant && cs.reachable);
    any_consent = any_consent || (cs.has_variant && cs.reachable && cs.consented);
  }
  if (!any_variant) {
    return {"no_variant_for_channels", "no variant of the template has a requested channel"};
  }
  if (!any_reachable) return {"unreachable", "the user has no contact on any requested channel"};
  if (!any_consent) {
    return {"no_consent", StrCat("the user has not consented to ", CategoryName(category),
                                 " messages on any reachable channel")};
  }
  return {"frequency_cap", "every eligible channel is over its frequency cap in the window"};
}

json::array ChannelScoresJson(const std::vector<ChannelCheck>& checks,
                              const decide::ChannelDecision& chosen) {
  json::array out;
  for (const ChannelCheck& cs : checks) {
    json::object row{{"channel", decide::ChannelName(cs.channel)}};
    const decide::ChannelScore* score = nullptr;
    for (const decide::ChannelScore& s : chosen.scores) {
      if (s.channel == cs.channel) score = &s;
    }
    row["eligible"] = score != nullptr;
    if (score != nullptr) {
      row["score"] = Round4(score->score);
      row["posterior_mean"] = Round4(score->posterior_mean);
      row["prior_mean"] = Round4(score->prior_mean);
    }
    if (!cs.note.empty()) row["note"] = cs.note;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace tailor::notify
