// RedisClient: one blocking connection to a Redis server (hiredis), for the
// cluster's change announcements and event streams.
//
//   auto ep = ParseRedisUrl("redis://127.0.0.1:6379/0");
//   RedisClient redis(*ep, absl::Seconds(2));
//   absl::StatusOr<RedisReply> r = redis.Command({"XADD", "s", "*", "k", "v"});
//
// The connection opens on first use. A command that fails on the socket
// (timeout, reset, server gone) answers Unavailable and drops the
// connection; the next command reconnects. An error reply from the server
// answers FailedPrecondition with the server's message (e.g. "BUSYGROUP ...").
//
// Thread-safety: not thread-safe; give each thread its own client.
#ifndef TAILOR_CLUSTER_REDIS_CLIENT_H_
#define TAILOR_CLUSTER_REDIS_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct redisContext;

namespace tailor::cluster {

// Where a Redis server is: redis://[[user]:password@]host[:port][/db].
struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string user;
  std::string password;
  int db = 0;
};

// InvalidArgument naming what is wrong.
absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url);
// For logs: host, port and db, never the password.
std::string DescribeRedis(const RedisEndpoint& endpoint);

// A reply, copied out of hiredis. Error replies become a Status instead.
struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
};

class RedisClient {
 public:
  // `timeout` bounds connecting and each command (a blocking command's own
  // block time is added to it).
  RedisClient(RedisEndpoint endpoint, absl::Duration timeout);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  // For commands that block on the server (XREAD BLOCK ms): the socket waits
  // `block` longer than the usual timeout.
  absl::StatusOr<RedisReply> BlockingCommand(const std::vector<std::string>& argv,
                                             absl::Duration block);
  // Drops the connection (the next command reconnects).
  void Disconnect();
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  absl::Status EnsureConnected();
  absl::StatusOr<RedisReply> Run(const std::vector<std::string>& argv, absl::Duration timeout);

  const RedisEndpoint endpoint_;
  const absl::Duration timeout_;
  redisContext* context_ = nullptr;
  absl::Duration context_timeout_;  // what the socket is set to now
};

// One stream entry: its id and field/value pairs (XREAD, XREADGROUP,
// XAUTOCLAIM replies).
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;
  // The value of `name`, or null.
  const std::string* Field(std::string_view name) const;
};
// The entries of one stream in an XREAD/XREADGROUP reply, by stream key.
std::vector<std::pair<std::string, std::vector<StreamEntry>>> ParseStreamsReply(
    const RedisReply& reply);
// A list of entries (the second element of XAUTOCLAIM's reply, XRANGE).
std::vector<StreamEntry> ParseEntries(const RedisReply& list);

}  // namespace tailor::cluster

#endif  // TAILOR_CLUSTER_REDIS_CLIENT_H_
