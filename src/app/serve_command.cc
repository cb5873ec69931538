// tailor serve: the HTTP server on a store.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "api/auth.h"
#include "api/http_server.h"
#include "api/service.h"
#include "api/webhooks.h"
#include "app/command_registry.h"
#include "app/common_flags.h"
#include "cluster/change_bus.h"
#include "cluster/event_stream_ingest.h"
#include "common/clock.h"
#include "jobs/training.h"
#include "jobs/training_scheduler.h"
#include "models/text/sentiment_analyzer.h"
#include "models/text/stop_words.h"
#include "notify/campaign_runner.h"
#include "notify/notifier.h"
#include "serving/engine.h"
#include "spdlog/spdlog.h"
#include "storage/change_feed.h"
#include "storage/store_url.h"

namespace tailor::app {
namespace {

struct ServeFlags {
  StoreFlags store;
  std::string listen = "127.0.0.1:8080";
  std::string port_file;
  int threads = 0;
  size_t body_limit = 8 << 20;
  size_t max_connections = 0;
  std::string webhook_allow;
  int header_timeout_s = 30;
  int drain_timeout_s = 15;
  int64_t retrain_after_events = 10000;
  double retrain_growth = 1.0;
  double retrain_interval_hours = 6.0;
  std::vector<std::string> train_models = {"popularity", "itemknn", "ease", "ials"};
  bool background_training = true;
  int32_t ann_min_items = serving::kAnnMinItems;
  double churn_horizon_days = 30.0;
  std::string redis;
  bool stream_ingest = true;
};

int Serve(const ServeFlags& flags) {
  auto store = OpenStoreFromFlags(flags.store);
  if (!store.ok()) {
    spdlog::error("cannot open store: {}", std::string(store.status().message()));
    return 1;
  }
  // First start on an empty store: a default tenant with an admin key,
  // shown once (only its hash is kept).
  auto keys = (*store)->CountApiKeys();
  if (keys.ok() && *keys == 0) {
    auto secret = api::CreateApiKey(**store, "default", domain::Role::kAdmin);
    if (!secret.ok()) {
      spdlog::error("cannot create the admin key: {}", std::string(secret.status().message()));
      return 1;
    }
    std::cout << "Created tenant \"default\". Its admin API key (shown only now, keep it):\n  "
              << *secret << "\n"
              << std::flush;
  }
  api::ServerOptions options;
  size_t colon = flags.listen.rfind(':');
  if (colon == std::string::npos) {
    spdlog::error("--listen must be HOST:PORT");
    return 2;
  }
  options.host = flags.listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  try {
    int port = std::stoi(flags.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    spdlog::error("--listen port must be 0-65535");
    return 2;
  }
  std::optional<cluster::RedisEndpoint> redis;
  if (!flags.redis.empty()) {
    absl::StatusOr<cluster::RedisEndpoint> ep = cluster::ParseRedisUrl(flags.redis);
    if (!ep.ok()) {
      spdlog::error("--redis: {}", std::string(ep.status().message()));
      return 2;
    }
    redis = *ep;
  }
  options.threads = flags.threads;
  options.body_limit = flags.body_limit;
  options.max_connections = flags.max_connections;
  options.header_timeout = absl::Seconds(flags.header_timeout_s);
  options.drain_timeout = absl::Seconds(flags.drain_timeout_s);

  // Sentiment needs the lexicon from the npm data packages; without it the
  // server still runs and /v1/ai/sentiment answers 503.
  auto sentiment = text::SentimentAnalyzer::CreateDefault();
  if (!sentiment.ok()) {
    spdlog::warn("sentiment disabled: {}", std::string(sentiment.status().message()));
  }
  // Content similarity drops each language's stop words (npm stopwords-iso);
  // without the package it keeps every word.
  if (absl::Status s = text::StopWords::DefaultStatus(); !s.ok()) {
    spdlog::warn("stop words unavailable: {}", std::string(s.message()));
  }
  // Serving state for every tenant, rebuilt from the store with the models
  // stored there (tenant configuration files may sit in <data-dir>/models);
  // training runs on one low-priority thread: on-demand jobs always, and
  // unless --no-background-training also at start for tenants without
  // models, then on a schedule, after --retrain-after-events new events and
  // as the data grows (--retrain-growth); one node of a cluster trains a
  // tenant at a time (the tenant's trainer lease).
  serving::Engine engine(
      **store, {.config_dir = (std::filesystem::path(flags.store.data_dir) / "models").string(),
                .ann_min_items = flags.ann_min_items,
                .insights = {.churn_horizon = absl::Seconds(flags.churn_horizon_days * 86400)},
                .sentiment = sentiment.ok() ? &*sentiment : nullptr});
  // Committed changes reach the serving state through the store's change
  // log, this node's writes and other nodes' alike, in commit order, on the
  // feed's own thread. The feed starts from the position before the load;
  // the load records the position its snapshot covers, so nothing is applied
  // twice or missed.
  absl::StatusOr<int64_t> start_position = (*store)->LastChangePosition();
  if (!start_position.ok()) {
    spdlog::error("cannot read the change log: {}", std::string(start_position.status().message()));
    return 1;
  }
  if (absl::Status s = engine.LoadAll(); !s.ok()) {
    spdlog::error("cannot load serving state: {}", std::string(s.message()));
    return 1;
  }
  // This process's name in leases, announcements and stream consumer
  // groups: host and pid, plus a random part.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string node_id =
      absl::StrCat(host, ":", ::getpid(), ":", absl::Hex(std::random_device{}(), absl::kZeroPad8));
  storage::ChangeFeed feed(**store, {});
  feed.Subscribe("serving", [&engine](const storage::Change& c) { engine.ApplyChange(c); });
  feed.Subscribe("models", [&engine](const storage::Change& c) { engine.ApplyModelChange(c); });
  jobs::TrainingScheduler scheduler(engine, Clock::Real(),
                                    {.background = flags.background_training,
                                     .node_id = node_id,
                                     .interval = absl::Seconds(flags.retrain_interval_hours * 3600),
                                     .retrain_after_events = flags.retrain_after_events,
                                     .retrain_growth = flags.retrain_growth,
                                     .models = flags.train_models});
  if (flags.background_training) {
    // The content index and the insights models are not persisted: rebuild
    // them for tenants with persisted models (tenants without get them with
    // their first models, from the scheduler's first pass).
    for (serving::TenantRuntime* t : engine.Tenants()) {
      if (t->registry.Current()->models.empty()) continue;
      (void)scheduler.Enqueue(t->id, "content", {});
      (void)scheduler.Enqueue(t->id, "insights", {});
    }
  }
  // The worker runs POST /v1/models/{name}/train jobs either way.
  scheduler.Start();
  // Webhook deliveries are stored with the writes that cause them (an outbox
  // every node follows) and delivered by whichever node claims them.
  api::WebhookOptions webhook_options;
  if (absl::StatusOr<api::AddressPolicy> policy = api::AddressPolicy::Parse(flags.webhook_allow);
      policy.ok()) {
    webhook_options.address_policy = *std::move(policy);
  } else {
    spdlog::error("--webhook-allow: {}", std::string(policy.status().message()));
    return 2;
  }
  api::WebhookDispatcher webhooks(**store, Clock::Real(), node_id, webhook_options);
  feed.Subscribe("webhooks", [&webhooks](const storage::Change& c) { webhooks.ApplyChange(c); });
  webhooks.Start();
  notify::Notifier notifier(
      **store, &engine, Clock::Real(),
      {.seed = std::random_device{}(),
       .announce = [&webhooks](domain::TenantId tenant, std::string_view type,
                               const boost::json::object& data, storage::WriteBatch& batch) {
         webhooks.AddDeliveries(tenant, type, data, batch);
       }});
  // Campaigns run on one low-priority thread; unfinished ones resume here.
  notify::CampaignRunner campaigns(**store, notifier, Clock::Real(),
                                   {.seed = std::random_device{}(), .node_id = node_id});
  if (absl::Status s = campaigns.Start(); !s.ok()) {
    spdlog::error("cannot start campaigns: {}", std::string(s.message()));
    return 1;
  }
  // Decisions, attributions, settings and templates written by any node
  // reach this node's notifier (it is applied idempotently after the
  // immediate local apply).
  feed.Subscribe("notify", [&notifier](const storage::Change& c) { notifier.ApplyChange(c); });
  // Cluster mode: commits are announced to the other nodes through Redis
  // (they read the change log at once instead of at their next poll), and
  // producers may add events to per-tenant Redis Streams. Without Redis,
  // or while it is down, nodes poll the change log.
  std::unique_ptr<cluster::ChangeBus> bus;
  std::unique_ptr<cluster::EventStreamIngest> stream_ingest;
  if (redis) {
    bus =
        std::make_unique<cluster::ChangeBus>(*redis, feed, node_id, cluster::ChangeBus::Options{});
  }
  api::Service service({**store, Clock::Real(), sentiment.ok() ? &*sentiment : nullptr, &engine,
                        &scheduler, &notifier, &campaigns, &webhooks, &feed, bus.get()});
  // API key revocations written on any node reach this node's key cache.
  feed.Subscribe("auth",
                 [&service](const storage::Change& c) { service.authenticator().ApplyChange(c); });
  if (bus) bus->Start();
  feed.Start(*start_position);
  if (redis && flags.stream_ingest) {
    stream_ingest = std::make_unique<cluster::EventStreamIngest>(
        *redis, **store, Clock::Real(), node_id,
        [&notifier](domain::TenantId tenant, std::vector<domain::Event>& events,
                    storage::WriteBatch& batch) { notifier.PrepareEvents(tenant, events, batch); },
        cluster::EventStreamIngest::Options{});
    stream_ingest->Start();
  }
  api::HttpServer server(
      options,
      [&service](api::HttpRequest req, api::Respond respond) {
        service.Handle(std::move(req), std::move(respond));
      },
      [&service](const api::HttpRequest& head) { return service.CheckHead(head); });
  if (absl::Status s = server.Listen(); !s.ok()) {
    spdlog::error("{}", std::string(s.message()));
    if (stream_ingest) stream_ingest->Stop();
    if (bus) bus->Stop();
    feed.Stop();  // before the subscribers it calls are destroyed
    return 1;
  }
  spdlog::info("tailor listening on {}:{} (store {}{})", options.host, server.port(),
               storage::RedactStoreUrl(flags.store.Url()),
               redis ? ", redis " + cluster::DescribeRedis(*redis) : std::string());
  if (!flags.port_file.empty()) {
    std::string tmp = flags.port_file + ".tmp";
    std::ofstream(tmp) << server.port() << "\n";
    std::filesystem::rename(tmp, flags.port_file);
  }
  server.Run();
  if (!scheduler.StopWithin(options.drain_timeout)) {
    // A model fit cannot be interrupted. Every acknowledged write is
    // already committed, so leaving now loses nothing; the next start
    // trains again.
    spdlog::warn("a model is still training; exiting without waiting for it");
    std::_Exit(0);
  }
  // Every acknowledged write is already committed; this applies the rest of
  // the queue before closing the database (the feed stops first: writes
  // still queued are then answered at commit).
  if (stream_ingest) stream_ingest->Stop();
  if (bus) bus->Stop();
  feed.Stop();
  store->reset();
  spdlog::info("tailor stopped");
  return 0;
}

void AddServe(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Start the HTTP server");
  AddStoreFlags(cmd, flags->store);
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0 = any free port)");
  cmd->add_option("--port-file", flags->port_file, "Write the bound port to this file");
  cmd->add_option("--threads", flags->threads, "I/O threads (0 = one per core)");
  cmd->add_option("--body-limit", flags->body_limit, "Largest request body in bytes");
  cmd->add_option("--webhook-allow", flags->webhook_allow,
                  "Comma-separated networks (CIDR) webhooks may be delivered to besides public "
                  "addresses, e.g. 127.0.0.0/8 for a receiver on this machine");
  cmd->add_option("--max-connections", flags->max_connections,
                  "Open connections at most (0: the descriptor limit less 64)");
  cmd->add_option("--header-timeout", flags->header_timeout_s,
                  "Seconds to wait for request headers (and idle keep-alive)");
  cmd->add_option("--drain-timeout", flags->drain_timeout_s,
                  "Seconds to let requests in flight finish on SIGTERM/SIGINT");
  cmd->add_option("--retrain-after-events", flags->retrain_after_events,
                  "Retrain a tenant's models after this many new events")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--retrain-growth", flags->retrain_growth,
                  "Retrain a tenant's models once its events grew by this ratio since the last "
                  "training (1 = doubled; at least 100 new events)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--retrain-interval-hours", flags->retrain_interval_hours,
                  "Retrain a changed tenant at least this often")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--train-models", flags->train_models,
                  "Models the background trainer keeps fresh")
      ->delimiter(',');
  cmd->add_option("--ann-min-items", flags->ann_min_items,
                  "Serve iALS through an hnswlib index from this many items up")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--churn-horizon-days", flags->churn_horizon_days,
                  "Churn = no user action within this many days (per tenant: insights.json)")
      ->check(CLI::Range(1.0, 3650.0));
  cmd->add_option("--redis", flags->redis,
                  "redis://[:password@]host:port[/db]: announce commits to the other nodes and "
                  "consume per-tenant event streams (cluster mode; see docs/DEPLOYMENT.md)");
  cmd->add_flag("!--no-stream-ingest", flags->stream_ingest,
                "With --redis: do not consume the tailor:events:<tenant> streams on this node");
  cmd->add_flag("!--no-background-training", flags->background_training,
                "Train only on POST /v1/models/{name}/train (those jobs always run)");
  cmd->callback([flags] { SetExitCode(Serve(*flags)); });
}
TAILOR_REGISTER_COMMAND(AddServe);

}  // namespace
}  // namespace tailor::app
