// RedisClient against the real Redis server ctest starts on loopback
// (fixture `redis`), and its URL parser.
#include "cluster/redis_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "storage/postgres/test_server_for_test.h"

namespace tailor::cluster {
namespace {

RedisEndpoint TestEndpoint() {
  absl::StatusOr<RedisEndpoint> ep = ParseRedisUrl(storage::TestRedisUrl());
  EXPECT_TRUE(ep.ok()) << ep.status();
  return ep.ok() ? *ep : RedisEndpoint{};
}

// A loopback port nothing listens on: bound, then closed.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(RedisUrlTest, ParsesHostPortPasswordAndDatabase) {
  auto ep = ParseRedisUrl("redis://:s3cret@127.0.0.1:6380/2");
  ASSERT_TRUE(ep.ok()) << ep.status();
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->password, "s3cret");
  EXPECT_EQ(ep->user, "");
  EXPECT_EQ(ep->db, 2);
  EXPECT_EQ(DescribeRedis(*ep), "redis://127.0.0.1:6380/2");  // no password

  ep = ParseRedisUrl("redis://app:pw@[::1]");
  ASSERT_TRUE(ep.ok()) << ep.status();
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 6379);
  EXPECT_EQ(ep->user, "app");
  EXPECT_EQ(DescribeRedis(*ep), "redis://[::1]:6379/0");
}

TEST(RedisUrlTest, RefusesWhatIsNotARedisUrl) {
  EXPECT_FALSE(ParseRedisUrl("http://127.0.0.1:6379").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://127.0.0.1:99999").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://127.0.0.1:6379/x").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://[::1:6379").ok());
}

TEST(RedisClientTest, RunsCommandsAndCopiesReplies) {
  RedisClient redis(TestEndpoint(), absl::Seconds(2));
  auto pong = redis.Command({"PING"});
  ASSERT_TRUE(pong.ok()) << pong.status();
  EXPECT_EQ(pong->type, RedisReply::Type::kStatus);
  EXPECT_EQ(pong->str, "PONG");
  ASSERT_TRUE(redis.Command({"DEL", "client-test"}).ok());
  // Binary-safe arguments.
  const std::string value("a\0b", 3);
  ASSERT_TRUE(redis.Command({"SET", "client-test", value}).ok());
  auto got = redis.Command({"GET", "client-test"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str, value);
  auto n = redis.Command({"INCR", "client-test-n"});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->type, RedisReply::Type::kInteger);
  EXPECT_TRUE(redis.Command({"GET", "no-such-key"})->is_nil());
}

TEST(RedisClientTest, AnErrorReplyIsAStatusNamingTheServersMessage) {
  RedisClient redis(TestEndpoint(), absl::Seconds(2));
  ASSERT_TRUE(redis.Command({"SET", "client-test-s", "x"}).ok());
  auto r = redis.Command({"INCR", "client-test-s"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "not an integer")) << r.status();
  // The connection is still usable.
  EXPECT_TRUE(redis.Command({"PING"}).ok());
}

TEST(RedisClientTest, AnUnreachableServerIsUnavailable) {
  RedisEndpoint ep{.host = "127.0.0.1", .port = ClosedPort()};
  RedisClient redis(ep, absl::Milliseconds(500));
  auto r = redis.Command({"PING"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
}

TEST(RedisClientTest, StreamRepliesParseIntoEntries) {
  RedisClient redis(TestEndpoint(), absl::Seconds(2));
  ASSERT_TRUE(redis.Command({"DEL", "client-test-stream"}).ok());
  auto id = redis.Command({"XADD", "client-test-stream", "*", "pos", "7", "node", "a"});
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(redis.Command({"XADD", "client-test-stream", "*", "pos", "9"}).ok());
  auto r = redis.BlockingCommand({"XREAD", "BLOCK", "100", "STREAMS", "client-test-stream", "0"},
                                 absl::Milliseconds(100));
  ASSERT_TRUE(r.ok()) << r.status();
  auto streams = ParseStreamsReply(*r);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].first, "client-test-stream");
  ASSERT_EQ(streams[0].second.size(), 2u);
  EXPECT_EQ(streams[0].second[0].id, id->str);
  ASSERT_NE(streams[0].second[0].Field("node"), nullptr);
  EXPECT_EQ(*streams[0].second[0].Field("node"), "a");
  EXPECT_EQ(*streams[0].second[1].Field("pos"), "9");
  EXPECT_EQ(streams[0].second[1].Field("node"), nullptr);
  // Nothing new: a blocking read times out with nil, which parses to none.
  auto none = redis.BlockingCommand({"XREAD", "BLOCK", "50", "STREAMS", "client-test-stream", "$"},
                                    absl::Milliseconds(50));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(ParseStreamsReply(*none).empty());
}

}  // namespace
}  // namespace tailor::cluster
