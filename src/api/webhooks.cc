#include "api/webhooks.h"

#include <fmt/format.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "api/webhook_url.h"
#include "common/field_errors.h"
#include "common/json_text.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::api {

namespace json = boost::json;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

std::string NewSecret() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  return "whsec_" + Hex(bytes, sizeof bytes);
}

}  // namespace

std::string WebhookSignature(std::string_view secret, int64_t t, std::string_view body) {
  const std::string message = StrCat(t, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Hex(mac, len);
}

WebhookDispatcher::WebhookDispatcher(storage::Store& store, Clock& clock, std::string node_id,
                                     WebhookOptions options)
    : store_(store), clock_(clock), node_id_(std::move(node_id)), options_(options) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  if (!workers_.empty()) return;
  for (int w = 0; w < std::max(1, options_.workers); ++w) {
    workers_.emplace_back([this, w] { Run(w); });
  }
}

void WebhookDispatcher::Stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    workers.swap(workers_);
  }
  cv_.notify_all();
  for (std::thread& t : workers) t.join();
}

absl::StatusOr<json::object> WebhookDispatcher::ParseWebhook(const json::value& body,
                                                             const AddressPolicy& policy) {
  if (!body.is_object()) return InvalidField("body", "must be a webhook object");
  const json::object& obj = body.get_object();
  FieldErrors errors;
  json::object out;
  for (const auto& [key, value] : obj) {
    // Server-managed fields of a GET answer are accepted and ignored.
    if (key != "url" && key != "events" && key != "secret" && key != "id" && key != "stats" &&
        key != "created_at" && key != "updated_at") {
      errors.Add(std::string(key), "is not a webhook field");
    }
  }
  const json::value* url = obj.if_contains("url");
  if (url == nullptr || !url->is_string()) {
    errors.Add("url", "is required: an http:// URL");
  } else if (absl::StatusOr<WebhookUrl> u = ParseWebhookUrl(View(url->get_string())); !u.ok()) {
    errors.Add("url", std::string(u.status().message()));
  } else if (boost::system::error_code ec; [&] {
               net::ip::address a = net::ip::make_address(u->host, ec);
               return !ec && !policy.Allows(a);
             }()) {
    errors.Add("url", StrCat("points at a ",
                             AddressClassName(ClassifyAddress(net::ip::make_address(u->host))),
                             " address; only public addresses (or the server's --webhook-allow "
                             "networks) are delivered to"));
  } else {
    out["url"] = *url;
  }
  const json::value* events = obj.if_contains("events");
  if (events == nullptr || !events->is_array() || events->get_array().empty()) {
    errors.Add("events", "must list decision.created, profile.updated or quality.threshold_failed");
  } else {
    json::array list;
    for (size_t i = 0; i < events->get_array().size(); ++i) {
      const json::value& e = events->get_array()[i];
      const bool known =
          e.is_string() && std::any_of(std::begin(kWebhookEvents), std::end(kWebhookEvents),
                                       [&](const char* k) { return e.get_string() == k; });
      if (!known) {
        errors.Add(StrCat("events[", i, "]"),
                   "must be decision.created, profile.updated or quality.threshold_failed");
      } else {
        list.push_back(e);
      }
    }
    out["events"] = std::move(list);
  }
  if (const json::value* secret = obj.if_contains("secret")) {
    if (!secret->is_string() || secret->get_string().size() < 16 ||
        secret->get_string().size() > 256) {
      errors.Add("secret", "must be a string of 16 to 256 bytes");
    } else {
      out["secret"] = *secret;
    }
  } else {
    out["secret"] = NewSecret();
  }
  if (!errors.empty()) return errors.ToStatus("invalid webhook");
  return out;
}

const std::vector<WebhookDispatcher::Hook>& WebhookDispatcher::HooksLocked(
    domain::TenantId tenant) {
  auto it = hooks_.find(tenant);
  if (it != hooks_.end()) return it->second;
  std::vector<Hook> hooks;
  absl::Status s = store_.ScanRecords(tenant, kWebhooksCollection, [&](const storage::Record& r) {
    boost::system::error_code ec;
    json::value doc = json::parse(r.doc, ec);
    if (ec || !doc.is_object()) return true;
    Hook h{r.id,
           std::string(doc.at("url").as_string()),
           std::string(doc.at("secret").as_string()),
           {}};
    for (const json::value& e : doc.at("events").as_array()) h.events.emplace_back(e.as_string());
    hooks.push_back(std::move(h));
    return true;
  });
  if (!s.ok())
    spdlog::warn("webhooks: cannot read tenant {}: {}", tenant, std::string(s.message()));
  return hooks_.emplace(tenant, std::move(hooks)).first->second;
}

void WebhookDispatcher::OnWebhookStored(domain::TenantId tenant, const std::string& id,
                                        const json::object& doc) {
  std::lock_guard lock(mu_);
  std::vector<Hook>& hooks = const_cast<std::vector<Hook>&>(HooksLocked(tenant));
  std::erase_if(hooks, [&](const Hook& h) { return h.id == id; });
  Hook h{id, std::string(doc.at("url").as_string()), std::string(doc.at("secret").as_string()), {}};
  for (const json::value& e : doc.at("events").as_array()) h.events.emplace_back(e.as_string());
  hooks.push_back(std::move(h));
}

void WebhookDispatcher::OnWebhookDeleted(domain::TenantId tenant, const std::string& id) {
  storage::WriteBatch drop;
  {
    std::lock_guard lock(mu_);
    std::vector<Hook>& hooks = const_cast<std::vector<Hook>&>(HooksLocked(tenant));
    std::erase_if(hooks, [&](const Hook& h) { return h.id == id; });
    // Its queued deliveries go now, from the queue and from the outbox
    // (each node drops what it had queued; the deletes are conditional on
    // the version seen, so they cannot remove a newer entry).
    auto q = queues_.find(tenant);
    if (q == queues_.end()) return;
    std::vector<Pending> kept;
    while (!q->second.pending.empty()) {
      const Pending& p = q->second.pending.top();
      if (p.hook_id != id) {
        kept.push_back(p);
      } else {
        drop.DeleteRecordIf(kWebhookOutboxCollection, p.id, p.version);
      }
      q->second.pending.pop();
    }
    for (Pending& p : kept) q->second.pending.push(std::move(p));
  }
  if (drop.empty()) return;
  // Not waited for: this runs on the change feed's thread. An entry missed
  // here (claimed, or not yet seen) is dropped by whichever node meets it.
  store_.Write(tenant, std::move(drop), [](absl::StatusOr<storage::WriteResult>) {});
}

json::object WebhookDispatcher::Stats(domain::TenantId tenant, const std::string& id) {
  std::lock_guard lock(mu_);
  const Counters& c = counters_[{tenant, id}];
  return {{"delivered", c.delivered},
          {"failed", c.failed},
          {"retries", c.retries},
          {"last_status", c.last_status == 0 ? json::value(nullptr) : json::value(c.last_status)},
          {"last_error", c.last_error.empty() ? json::value(nullptr) : json::value(c.last_error)}};
}

absl::StatusOr<int> WebhookDispatcher::Post(const Delivery& d, int64_t t) {
  absl::StatusOr<WebhookUrl> url = ParseWebhookUrl(d.url);
  if (!url.ok()) return url.status();
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::verb::post, url->target, 11};
  req.set(http::field::host, url->HostHeader());
  req.set(http::field::user_agent, "tailor-webhooks/1");
  req.set(http::field::content_type, "application/json");
  req.set("Tailor-Signature", fmt::format("t={},v1={}", t, WebhookSignature(d.secret, t, d.body)));
  req.set("Tailor-Event-Id", d.event_id);
  req.body() = d.body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code failure;
  bool blocked = false;
  std::vector<tcp::endpoint> endpoints;
  // Resolve, check every address against the policy, connect to the
  // checked addresses (no second resolution), write, read; each step chains
  // the next, and the whole exchange is bounded by the timeout.
  resolver.async_resolve(
      url->host, url->port, [&](beast::error_code ec, tcp::resolver::results_type r) {
        if (ec) {
          blocked = true;  // reported like a refused address: no oracle for names
          return;
        }
        for (const auto& entry : r) {
          if (!options_.address_policy.Allows(entry.endpoint().address())) {
            blocked = true;
            return;
          }
          endpoints.push_back(entry.endpoint());
        }
        stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return void(failure = ec);
          http::async_write(stream, req, [&](beast::error_code ec, size_t) {
            if (ec) return void(failure = ec);
            http::async_read(stream, buffer, res, [&](beast::error_code ec, size_t) {
              if (ec) failure = ec;
            });
          });
        });
      });
  ioc.run_for(std::chrono::microseconds(absl::ToInt64Microseconds(options_.timeout)));
  // One fixed answer, whatever the address: a refused delivery says nothing
  // about what listens there.
  if (blocked) {
    return absl::PermissionDeniedError(
        "blocked: the host does not resolve, or resolves to a non-public address");
  }
  if (!ioc.stopped()) return absl::DeadlineExceededError("timed out");
  if (failure) return absl::UnavailableError(failure.message());
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return static_cast<int>(res.result_int());
}

bool WebhookDispatcher::TakeDueLocked(absl::Time now, Pending* out) {
  if (queues_.empty()) return false;
  // Tenants in turn, starting after the one served last.
  auto start = queues_.upper_bound(last_served_);
  for (size_t n = 0; n < queues_.size(); ++n, ++start) {
    if (start == queues_.end()) start = queues_.begin();
    TenantQueue& q = start->second;
    if (q.pending.empty() || q.in_flight >= std::max(1, options_.per_tenant)) continue;
    if (q.pending.top().due > now) continue;
    *out = q.pending.top();
    q.pending.pop();
    ++q.in_flight;
    last_served_ = start->first;
    return true;
  }
  return false;
}

absl::Time WebhookDispatcher::NextDueLocked() const {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [tenant, q] : queues_) {
    if (!q.pending.empty() && q.in_flight < std::max(1, options_.per_tenant)) {
      next = std::min(next, q.pending.top().due);
    }
  }
  return next;
}

void WebhookDispatcher::Run(int worker) {
  absl::Time next_rescan = absl::InfinitePast();
  for (;;) {
    if (worker == 0 && clock_.Now() >= next_rescan) {
      Rescan();
      next_rescan = clock_.Now() + options_.rescan_interval;
    }
    Pending p;
    bool took = false;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        if (stopping_) return;
        const absl::Time now = clock_.Now();
        if (TakeDueLocked(now, &p)) {
          took = true;
          break;
        }
        absl::Time wake = NextDueLocked();
        if (worker == 0) wake = std::min(wake, next_rescan);
        if (wake <= now) break;  // time to rescan
        // Bounded, so a clock that moves on its own (tests) is noticed.
        const int64_t ms = std::clamp<int64_t>(absl::ToInt64Milliseconds(wake - now), 1, 1000);
        cv_.wait_for(lock, std::chrono::milliseconds(ms));
      }
    }
    if (!took) continue;
    Deliver(p);
    {
      std::lock_guard lock(mu_);
      --queues_[p.tenant].in_flight;
    }
    cv_.notify_all();  // the tenant's slot is free
  }
}

}  // namespace tailor::api
