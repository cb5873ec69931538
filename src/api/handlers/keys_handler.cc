// API key lifecycle, for a tenant's admin keys:
//   GET  /v1/keys          the tenant's keys: prefix, role, created_at,
//                          last_used_at, revoke_at, status (never a secret)
//   POST /v1/keys          {"role"} -> a new key; its secret is answered once
//   POST /v1/keys/revoke   {"key": secret} or {"prefix"}: refused from now on
//   POST /v1/keys/rotate   {"key"|"prefix", "overlap_seconds"}: a new key with
//                          the same role; the old one keeps working for the
//                          overlap (default 1 day, at most 30), then stops
// Every node applies a revocation once it has followed the change log to it
// (well under a second).
#include <boost/json.hpp>

#include "api/auth.h"
#include "api/handlers/handlers.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxOverlapSeconds = 30 * 24 * 3600;

// The key a revoke or rotate body names, by secret or by prefix, within the
// caller's tenant; answers a problem and returns nullopt otherwise.
std::optional<domain::ApiKey> NamedKey(RequestContext& ctx, const json::object& body,
                                       const Respond& respond) {
  const json::value* secret = body.if_contains("key");
  const json::value* prefix = body.if_contains("prefix");
  if ((secret == nullptr) == (prefix == nullptr)) {
    respond(ProblemFromStatus(
        InvalidField("key", "give either \"key\" (the API key) or \"prefix\" (from GET /v1/keys)"),
        "key"));
    return std::nullopt;
  }
  const char* field = secret != nullptr ? "key" : "prefix";
  const json::value* v = secret != nullptr ? secret : prefix;
  if (!v->is_string() || v->get_string().empty() || v->get_string().size() > 256) {
    respond(ProblemFromStatus(InvalidField(field, "must be a non-empty string"), field));
    return std::nullopt;
  }
  const std::string text(v->get_string());
  auto not_found = [&] {
    respond(Problem(404, "not-found", "Not found", "no such API key in this tenant",
                    {{field, StrCat("no API key of this tenant has this ", field)}}));
  };
  if (secret != nullptr) {
    absl::StatusOr<domain::ApiKey> key = ctx.env->store.FindApiKey(HashApiKey(text));
    if (absl::IsNotFound(key.status()) || (key.ok() && key->tenant_id != ctx.tenant())) {
      not_found();
      return std::nullopt;
    }
    if (RespondIfError(key.status(), respond, field)) return std::nullopt;
    return *key;
  }
  absl::StatusOr<std::vector<domain::ApiKey>> keys = ctx.env->store.ListApiKeys(ctx.tenant());
  if (RespondIfError(keys.status(), respond, field)) return std::nullopt;
  std::vector<domain::ApiKey> matches;
  for (const domain::ApiKey& k : *keys) {
    if (k.prefix == text) matches.push_back(k);
  }
  if (matches.empty()) {
    not_found();
    return std::nullopt;
  }
  if (matches.size() > 1) {
    respond(Problem(409, "ambiguous-prefix", "Ambiguous prefix",
                    "several keys share this prefix; name the key by its secret",
                    {{"prefix", "matches several keys"}}));
    return std::nullopt;
  }
  return matches.front();
}

json::value TimeField(const storage::Record* record, const char* field) {
  if (record == nullptr) return nullptr;
  boost::system::error_code ec;
  json::value doc = json::parse(record->doc, ec);
  if (ec || !doc.is_object()) return nullptr;
  const json::value* v = doc.get_object().if_contains(field);
  return v != nullptr && v->is_string() ? *v : json::value(nullptr);
}

void ListKeys(RequestContext& ctx, Respond respond) {
  absl::StatusOr<std::vector<domain::ApiKey>> keys = ctx.env->store.ListApiKeys(ctx.tenant());
  if (RespondIfError(keys.status(), respond, "keys")) return;
  const absl::Time now = ctx.env->clock.Now();
  json::array out;
  for (const domain::ApiKey& key : *keys) {
    absl::StatusOr<storage::Record> revoked =
        ctx.env->store.GetRecord(ctx.tenant(), kRevokedKeysCollection, key.key_hash);
    absl::StatusOr<storage::Record> used =
        ctx.env->store.GetRecord(ctx.tenant(), kKeyUsageCollection, key.key_hash);
    for (const auto* s : {&revoked, &used}) {
      if (!s->ok() && !absl::IsNotFound(s->status())) {
        RespondIfError(s->status(), respond, "keys");
        return;
      }
    }
    // The same reading of the record as the authenticator's.
    json::value revoke_at = nullptr;
    std::string status = "active";
    if (revoked.ok()) {
      const absl::Time at = RevocationTime(revoked->doc, now);
      revoke_at = domain::FormatRfc3339(at);
      status = at > now ? "expiring" : "revoked";
    }
    out.push_back(
        json::object{{"prefix", key.prefix},
                     {"role", domain::RoleName(key.role)},
                     {"created_at", domain::FormatRfc3339(key.created_at)},
                     {"last_used_at", TimeField(used.ok() ? &*used : nullptr, "last_used_at")},
                     {"revoke_at", revoke_at},
                     {"status", status}});
  }
  respond(JsonResponse(200, json::object{{"keys", std::move(out)}}));
}

// A new key's answer: its secret is shown only here.
json::object NewKeyAnswer(const std::string& secret, const domain::ApiKey& key) {
  return json::object{{"key", secret},
                      {"prefix", key.prefix},
                      {"role", domain::RoleName(key.role)},
                      {"created_at", domain::FormatRfc3339(key.created_at)}};
}

// Stores a new key of `role` for the caller's tenant; nullopt after
// answering a problem.
std::optional<std::pair<std::string, domain::ApiKey>> StoreNewKey(RequestContext& ctx,
                                                                  domain::Role role,
                                                                  const Respond& respond) {
  const std::string secret = GenerateApiKey();
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  domain::ApiKey key{HashApiKey(secret), KeyPrefix(secret), ctx.tenant(), role, now};
  if (RespondIfError(ctx.env->store.PutApiKey(key), respond, "key")) return std::nullopt;
  return std::make_pair(secret, key);
}

void CreateKey(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  const json::object* obj = body->if_object();
  const json::value* role = obj != nullptr ? obj->if_contains("role") : nullptr;
  std::optional<domain::Role> parsed;
  if (role != nullptr && role->is_string()) parsed = domain::ParseRole(View(role->get_string()));
  if (!parsed || obj->size() != 1) {
    respond(ProblemFromStatus(InvalidField("role", "must be read, write or admin"), "role"));
    return;
  }
  if (auto created = StoreNewKey(ctx, *parsed, respond)) {
    respond(JsonResponse(201, NewKeyAnswer(created->first, created->second)));
  }
}

void RevokeKey(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  if (!body->is_object()) {
    respond(ProblemFromStatus(InvalidField("body", "must be {\"key\"} or {\"prefix\"}"), "body"));
    return;
  }
  for (const auto& [k, v] : body->get_object()) {
    if (k != "key" && k != "prefix") {
      respond(ProblemFromStatus(InvalidField(std::string(k), "is not a field of this request"),
                                std::string(k)));
      return;
    }
  }
  std::optional<domain::ApiKey> key = NamedKey(ctx, body->get_object(), respond);
  if (!key) return;
  absl::StatusOr<storage::WriteBatch> batch =
      RevocationOfHash(ctx.env->store, key->key_hash, ctx.env->clock.Now(), ctx.tenant());
  if (RespondIfError(batch.status(), respond, "key")) return;
  // Answered once this node's authenticator applied it (read-your-writes);
  // the other nodes follow within the change feed's delay.
  SubmitWrite(
      ctx, *std::move(batch),
      [prefix = key->prefix](const storage::WriteResult&) {
        return JsonResponse(200, json::object{{"revoked", true}, {"prefix", prefix}});
      },
      std::move(respond), "key");
}

void RotateKey(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  if (!body->is_object()) {
    respond(ProblemFromStatus(InvalidField("body", "must be a JSON object"), "body"));
    return;
  }
  int64_t overlap = 24 * 3600;
  for (const auto& [k, v] : body->get_object()) {
    if (k == "overlap_seconds") {
      if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > kMaxOverlapSeconds) {
        respond(ProblemFromStatus(
            InvalidField("overlap_seconds",
                         StrCat("must be an integer from 0 to ", kMaxOverlapSeconds)),
            "overlap_seconds"));
        return;
      }
      overlap = v.get_int64();
    } else if (k != "key" && k != "prefix") {
      respond(ProblemFromStatus(InvalidField(std::string(k), "is not a field of this request"),
                                std::string(k)));
      return;
    }
  }
  std::optional<domain::ApiKey> old = NamedKey(ctx, body->get_object(), respond);
  if (!old) return;
  const absl::Time now = ctx.env->clock.Now();
  const absl::Time until = now + absl::Seconds(overlap);
  absl::StatusOr<storage::WriteBatch> batch =
      RevocationOfHash(ctx.env->store, old->key_hash, now, ctx.tenant(), until);
  if (RespondIfError(batch.status(), respond, "key")) return;
  // The new key first: if it cannot be stored, the old one keeps working.
  std::optional<std::pair<std::string, domain::ApiKey>> created =
      StoreNewKey(ctx, old->role, respond);
  if (!created) return;
  // Then the old key's scheduled revocation, answered once this node's
  // authenticator has it.
  SubmitWrite(
      ctx, *std::move(batch),
      [created = *std::move(created), old_prefix = old->prefix,
       until](const storage::WriteResult&) {
        json::object out = NewKeyAnswer(created.first, created.second);
        out["replaces"] =
            json::object{{"prefix", old_prefix}, {"revoke_at", domain::FormatRfc3339(until)}};
        return JsonResponse(201, out);
      },
      std::move(respond), "key");
}

}  // namespace

void AddKeyRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/keys", Access::kAdmin, ListKeys);
  router.Add("POST", "/v1/keys", Access::kAdmin, CreateKey);
  router.Add("POST", "/v1/keys/revoke", Access::kAdmin, RevokeKey);
  router.Add("POST", "/v1/keys/rotate", Access::kAdmin, RotateKey);
}

}  // namespace tailor::api
