#include "cluster/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <charconv>

#include "common/strings.h"

namespace tailor::cluster {
namespace {

bool ParseInt(std::string_view s, int min, int max, int& out) {
  if (s.empty()) return false;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) return false;
  out = v;
  return true;
}

timeval Timeval(absl::Duration d) { return absl::ToTimeval(d); }

RedisReply Copy(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Copy(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return absl::InvalidArgumentError("redis URL must start with redis://");
  }
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint ep;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      ep.user = std::string(userinfo.substr(0, colon));
      ep.password = std::string(userinfo.substr(colon + 1));
    } else {
      ep.password = std::string(userinfo);
    }
  }
  std::string_view hostport = rest;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ParseInt(db, 0, 1 << 20, ep.db)) {
      return absl::InvalidArgumentError("redis URL: the database must be a number");
    }
  }
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError("redis URL: unclosed [ in the host");
    }
    ep.host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return absl::InvalidArgumentError("redis URL: bad port");
      port = after.substr(1);
    }
  } else if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
    ep.host = std::string(hostport.substr(0, colon));
    port = hostport.substr(colon + 1);
  } else {
    ep.host = std::string(hostport);
  }
  if (ep.host.empty()) return absl::InvalidArgumentError("redis URL: missing host");
  if (!port.empty() && !ParseInt(port, 1, 65535, ep.port)) {
    return absl::InvalidArgumentError("redis URL: the port must be 1-65535");
  }
  return ep;
}

std::string DescribeRedis(const RedisEndpoint& endpoint) {
  return StrCat("redis://", endpoint.host.find(':') != std::string::npos ? "[" : "", endpoint.host,
                endpoint.host.find(':') != std::string::npos ? "]" : "", ":", endpoint.port, "/",
                endpoint.db);
}

RedisClient::RedisClient(RedisEndpoint endpoint, absl::Duration timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

absl::Status RedisClient::EnsureConnected() {
  if (context_ != nullptr) return absl::OkStatus();
  redisContext* c =
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, Timeval(timeout_));
  if (c == nullptr) return absl::UnavailableError("redis: out of memory");
  if (c->err != 0) {
    absl::Status s =
        absl::UnavailableError(StrCat("redis ", DescribeRedis(endpoint_), ": ", c->errstr));
    redisFree(c);
    return s;
  }
  redisSetTimeout(c, Timeval(timeout_));
  redisEnableKeepAlive(c);
  context_ = c;
  context_timeout_ = timeout_;
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);
    auth.push_back(endpoint_.password);
    if (absl::StatusOr<RedisReply> r = Run(auth, timeout_); !r.ok()) {
      Disconnect();
      return r.status();
    }
  }
  if (endpoint_.db != 0) {
    if (absl::StatusOr<RedisReply> r = Run({"SELECT", StrCat(endpoint_.db)}, timeout_); !r.ok()) {
      Disconnect();
      return r.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  return Run(argv, timeout_);
}

absl::StatusOr<RedisReply> RedisClient::BlockingCommand(const std::vector<std::string>& argv,
                                                        absl::Duration block) {
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  return Run(argv, timeout_ + block);
}

absl::StatusOr<RedisReply> RedisClient::Run(const std::vector<std::string>& argv,
                                            absl::Duration timeout) {
  if (context_timeout_ != timeout) {
    redisSetTimeout(context_, Timeval(timeout));
    context_timeout_ = timeout;
  }
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (const std::string& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(args.size()), args.data(), lens.data()));
  if (reply == nullptr) {
    absl::Status s =
        absl::UnavailableError(StrCat("redis ", DescribeRedis(endpoint_), ": ",
                                      context_->err != 0 ? context_->errstr : "no reply"));
    Disconnect();
    return s;
  }
  std::unique_ptr<redisReply, void (*)(void*)> owner(reply, freeReplyObject);
  if (reply->type == REDIS_REPLY_ERROR) {
    return absl::FailedPreconditionError(
        StrCat("redis: ", std::string_view(reply->str, reply->len)));
  }
  return Copy(reply);
}

const std::string* StreamEntry::Field(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::vector<StreamEntry> ParseEntries(const RedisReply& list) {
  std::vector<StreamEntry> out;
  if (list.type != RedisReply::Type::kArray) return out;
  out.reserve(list.elements.size());
  for (const RedisReply& e : list.elements) {
    // [id, [field, value, ...]]; a deleted entry claimed by XAUTOCLAIM in
    // older servers comes as nil.
    if (e.type != RedisReply::Type::kArray || e.elements.size() != 2) continue;
    StreamEntry entry;
    entry.id = e.elements[0].str;
    const RedisReply& kv = e.elements[1];
    for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
      entry.fields.emplace_back(kv.elements[i].str, kv.elements[i + 1].str);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<StreamEntry>>> ParseStreamsReply(
    const RedisReply& reply) {
  std::vector<std::pair<std::string, std::vector<StreamEntry>>> out;
  if (reply.type != RedisReply::Type::kArray) return out;  // nil: timed out
  for (const RedisReply& stream : reply.elements) {
    if (stream.type != RedisReply::Type::kArray || stream.elements.size() != 2) continue;
    out.emplace_back(stream.elements[0].str, ParseEntries(stream.elements[1]));
  }
  return out;
}

}  // namespace tailor::cluster
