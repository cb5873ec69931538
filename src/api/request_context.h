// What a route handler gets: the request, its decoded path and query
// parameters, the caller's tenant and role, and the shared environment.
// Helpers here turn the common request shapes into Status-checked values.
#ifndef TAILOR_API_REQUEST_CONTEXT_H_
#define TAILOR_API_REQUEST_CONTEXT_H_

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "api/auth.h"
#include "api/http_types.h"
#include "common/clock.h"
#include "storage/change_feed.h"
#include "storage/store.h"

namespace tailor::text {
class SentimentAnalyzer;
}
namespace tailor::serving {
class Engine;
}
namespace tailor::jobs {
class TrainingScheduler;
}
namespace tailor::notify {
class Notifier;
class CampaignRunner;
}

namespace tailor::cluster {
class ChangeBus;
}

namespace tailor::api {

class WebhookDispatcher;

// Long-lived dependencies shared by every handler.
struct ServiceEnv {
  storage::Store& store;
  Clock& clock;
  // Null when the lexicon is not installed; the route then answers 503.
  const text::SentimentAnalyzer* sentiment = nullptr;
  // Null in a server without recommendations; those routes then answer 503.
  serving::Engine* engine = nullptr;
  jobs::TrainingScheduler* scheduler = nullptr;
  // Null in a server without notification decisions (routes answer 503).
  notify::Notifier* notifier = nullptr;
  // Null in a server without campaigns (routes answer 503).
  notify::CampaignRunner* campaigns = nullptr;
  // Null in a server without webhooks (routes answer 503).
  WebhookDispatcher* webhooks = nullptr;
  // Delivers committed changes to the serving state; a write is answered
  // once its change is applied here (read-your-writes). Null: answered at
  // commit.
  storage::ChangeFeed* feed = nullptr;
  // Announces commits to the other nodes through Redis (cluster mode);
  // null without --redis. /readyz reports it.
  cluster::ChangeBus* bus = nullptr;
};

struct RequestContext {
  HttpRequest request;
  std::map<std::string, std::string> params;  // from the path pattern
  std::map<std::string, std::string> query;   // decoded query string
  Principal principal;
  ServiceEnv* env = nullptr;

  domain::TenantId tenant() const { return principal.tenant_id; }
  const std::string& param(const std::string& name) const { return params.at(name); }

  // The body parsed as JSON. InvalidArgument naming "body" when it is empty,
  // not JSON, or nested too deeply.
  absl::StatusOr<boost::json::value> JsonBody() const;
  // An integer query parameter in [min, max]; `fallback` when absent.
  absl::StatusOr<int> QueryInt(const std::string& name, int fallback, int min, int max) const;
  // A number query parameter in [min, max]; `fallback` when absent.
  absl::StatusOr<double> QueryDouble(const std::string& name, double fallback, double min,
                                     double max) const;
  // "true"/"1" or "false"/"0"; `fallback` when absent.
  absl::StatusOr<bool> QueryBool(const std::string& name, bool fallback) const;
  // A string query parameter, or empty.
  std::string QueryString(const std::string& name) const;
};

HttpResponse JsonResponse(int status, const boost::json::value& body);

}  // namespace tailor::api

#endif  // TAILOR_API_REQUEST_CONTEXT_H_
