// Hostile clients over real HTTP: each test is a defect found by probing the
// running server (the security issue's hardening list), kept as a regression.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

class HardeningE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    admin_ = new std::string(CreateKey(dir_->path(), "default", "admin"));
    server_ = new ServerProcess(dir_->path(), {"--body-limit", "1048576"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    delete admin_;
  }
  void TearDown() override {
    ASSERT_TRUE(server_->Alive());
    EXPECT_EQ(Http(server_->port(), "GET", "/healthz").status, 200);
  }
  static TempDir* dir_;
  static std::string* admin_;
  static ServerProcess* server_;
};
TempDir* HardeningE2eTest::dir_;
std::string* HardeningE2eTest::admin_;
ServerProcess* HardeningE2eTest::server_;

// The Bearer scheme is case-insensitive (RFC 7235).
TEST_F(HardeningE2eTest, BearerSchemeIsCaseInsensitive) {
  auto get = [&](const std::string& authorization) {
    return RawHttp(server_->port(), "GET /v1/users?limit=1 HTTP/1.1\r\nHost: t\r\nAuthorization: " +
                                        authorization + "\r\nConnection: close\r\n\r\n");
  };
  EXPECT_EQ(get("Bearer " + *admin_).status, 200);
  EXPECT_EQ(get("bearer " + *admin_).status, 200);
  EXPECT_EQ(get("BEARER " + *admin_).status, 200);
  EXPECT_EQ(get("Basic " + *admin_).status, 401);
}

// An unauthenticated client cannot make the server wait for (and buffer) a
// body: the answer comes from the head alone, before any "100 Continue".
TEST_F(HardeningE2eTest, CredentialsAreCheckedBeforeTheBodyIsRead) {
  RawOptions open{.half_close = false, .read_timeout_ms = 5000};
  const std::string head =
      "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 8000000\r\n";
  HttpResult no_key = RawHttp(server_->port(), head + "\r\n", open);
  EXPECT_EQ(no_key.status, 401) << no_key.raw;
  HttpResult bad_key =
      RawHttp(server_->port(), head + "Authorization: Bearer tk_nope\r\n\r\n", open);
  EXPECT_EQ(bad_key.status, 401) << bad_key.raw;
  HttpResult expect_continue =
      RawHttp(server_->port(), head + "Expect: 100-continue\r\n\r\n", open);
  EXPECT_EQ(expect_continue.status, 401) << expect_continue.raw;
  EXPECT_EQ(expect_continue.raw.find("100 Continue"), std::string::npos) << expect_continue.raw;
  // A small body too: no "100 Continue" for a client without a key.
  HttpResult small =
      RawHttp(server_->port(),
              "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: "
              "application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n",
              open);
  EXPECT_EQ(small.status, 401) << small.raw;
  EXPECT_EQ(small.raw.find("100 Continue"), std::string::npos) << small.raw;
  // Unknown routes too: no body is read for a 404.
  HttpResult unknown =
      RawHttp(server_->port(),
              "POST /v1/nope HTTP/1.1\r\nHost: t\r\nContent-Length: 8000000\r\n\r\n", open);
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  // With a valid key the body is read as before (here: announced, sent).
  std::string body = R"({"user_id":"u1","type":"view","item_id":"i1"})";
  HttpResult ok =
      RawHttp(server_->port(),
              "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              "Authorization: Bearer " +
                  *admin_ +
                  "\r\nExpect: 100-continue\r\n"
                  "Connection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_NE(ok.raw.find("100 Continue"), std::string::npos) << ok.raw;
  EXPECT_NE(ok.raw.find("HTTP/1.1 200 OK"), std::string::npos) << ok.raw;
}

// A client that sends its whole body before reading (Python urllib) still
// reads the 413: the server drains the rest instead of resetting.
TEST_F(HardeningE2eTest, ClientsThatSendTheWholeBodyFirstReadThe413) {
  std::string body(3 << 20, 'a');
  std::string request =
      "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      *admin_ + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (int i = 0; i < 3; ++i) {
    bool sent_all = false;
    HttpResult r = RawHttp(server_->port(), request, {.sent_all = &sent_all});
    EXPECT_TRUE(sent_all) << "the server reset the connection while the body was sent";
    EXPECT_EQ(r.status, 413) << r.raw.substr(0, 200);
    EXPECT_TRUE(r.IsProblem());
  }
  // The same for a request refused from its head.
  bool sent_all = false;
  HttpResult r = RawHttp(server_->port(),
                         "POST /v1/events HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                             std::to_string(512 << 10) + "\r\n\r\n" + std::string(512 << 10, 'b'),
                         {.sent_all = &sent_all});
  EXPECT_TRUE(sent_all);
  EXPECT_EQ(r.status, 401);
}

// A transfer coding other than chunked is refused, and what follows on the
// connection is never run as a second request (request smuggling).
TEST_F(HardeningE2eTest, OnlyChunkedTransferEncodingIsAccepted) {
  const std::string smuggled =
      "GET /v1/users?limit=1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + *admin_ + "\r\n\r\n";
  for (const std::string coding : {"gzip", "chunked, gzip", "identity", "xchunked"}) {
    HttpResult r = RawHttp(
        server_->port(), "POST /v1/events HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + *admin_ +
                             "\r\nContent-Type: application/json\r\nTransfer-Encoding: " + coding +
                             "\r\n\r\n" + smuggled);
    EXPECT_EQ(r.status, 400) << coding << ": " << r.raw;
    std::vector<std::string> fields = r.ErrorFields();
    EXPECT_NE(std::find(fields.begin(), fields.end(), "Transfer-Encoding"), fields.end()) << r.body;
    size_t answers = 0;
    for (size_t at = r.raw.find("HTTP/1.1 "); at != std::string::npos;
         at = r.raw.find("HTTP/1.1 ", at + 1)) {
      ++answers;
    }
    EXPECT_EQ(answers, 1u) << coding << ": the rest ran as a request:\n" << r.raw;
  }
  // Chunked still works.
  std::string body = R"({"user_id":"u2","type":"view","item_id":"i1"})";
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", body.size());
  HttpResult chunked = RawHttp(
      server_->port(), "POST /v1/events HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + *admin_ +
                           "\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                           size + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 200) << chunked.raw;
}

// One listing cannot build an unbounded answer: 80 users of 60 KB each
// (4.8 MB) come back in pages of at most 4 MiB, and the cursors still reach
// every user exactly once.
TEST_F(HardeningE2eTest, ListAnswersAreBoundedAndResumable) {
  const std::string big(60000, 'x');
  for (int i = 0; i < 80; ++i) {
    char id[16];
    std::snprintf(id, sizeof(id), "big%03d", i);
    ASSERT_EQ(Http(server_->port(), "PUT", std::string("/v1/users/") + id,
                   R"({"attributes":{"blob":")" + big + R"("}})", *admin_)
                  .status,
              200);
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    HttpResult page =
        Http(server_->port(), "GET",
             "/v1/users?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor), "", *admin_);
    ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
    EXPECT_LE(page.body.size(), size_t{4 << 20});
    for (const auto& u : page.Json().at("users").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(u.at("user_id").as_string())).second) << u.at("user_id");
    }
    const auto& next = page.Json().at("next_cursor");
    cursor = next.is_null() ? "" : std::string(next.as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_GE(pages, 2);
  size_t big_users = 0;
  for (const std::string& id : seen) big_users += id.starts_with("big") ? 1 : 0;
  EXPECT_EQ(big_users, 80u);
}

size_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<size_t>(size);
}

// Flood: more connections than the server has descriptors. It must neither
// spin logging accept errors nor stop serving once the flood ends.
TEST(HardeningFloodE2eTest, RunningOutOfDescriptorsBacksOffAndRecovers) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check probes memory through a pipe, which needs a free
  // descriptor: in a server out of descriptors it reports a valid object as
  // invalid and stops the server. The release build runs this test.
  GTEST_SKIP() << "needs a server without the sanitizers' descriptor use";
#endif
  TempDir dir;
  // A cap above the descriptor limit, so accept() itself fails (EMFILE).
  ServerProcess server(dir.path(), {"--max-connections", "100000", "--threads", "2"},
                       /*open_files=*/96);
  ASSERT_GT(server.port(), 0);
  const std::string log = dir.path() + "/server.log";
  std::vector<int> flood;
  for (int i = 0; i < 200; ++i) {
    int fd = ConnectLoopback(server.port());
    if (fd >= 0) flood.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  size_t before = FileSize(log);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  size_t grown = FileSize(log) - before;
  EXPECT_LT(grown, 4096u) << "the accept loop logs while out of descriptors";
  EXPECT_TRUE(server.Alive());
  for (int fd : flood) ::close(fd);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Http(server.port(), "GET", "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// With the default cap (descriptors less a reserve), connections over it are
// told so (503, Retry-After) and the server keeps serving the others.
TEST(HardeningFloodE2eTest, ConnectionsOverTheCapGet503) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--threads", "2"}, /*open_files=*/128);
  ASSERT_GT(server.port(), 0);
  std::vector<int> flood;
  for (int i = 0; i < 120; ++i) {
    int fd = ConnectLoopback(server.port());
    if (fd >= 0) flood.push_back(fd);
  }
  // The last connections are over the cap (half of 128 descriptors, the
  // default for small limits): each gets a 503.
  int answered_503 = 0;
  for (auto it = flood.rbegin(); it != flood.rbegin() + 20; ++it) {
    timeval tv{2, 0};
    setsockopt(*it, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[512];
    ssize_t n = ::recv(*it, buf, sizeof(buf) - 1, 0);
    if (n > 0) {
      buf[n] = 0;
      if (std::string_view(buf).starts_with("HTTP/1.1 503")) ++answered_503;
    }
  }
  EXPECT_EQ(answered_503, 20);
  for (int fd : flood) ::close(fd);
  EXPECT_EQ(Http(server.port(), "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace tailor::e2e
