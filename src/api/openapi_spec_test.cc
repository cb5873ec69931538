#include "api/openapi_spec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/service.h"
#include "storage/store_url.h"

namespace tailor::api {
namespace {

// The spec is the contract: every route the server answers is described, and
// every described operation is served.
TEST(OpenApiSpecTest, RouterAndSpecAgree) {
  std::string path = ::testing::TempDir() + "/openapi_" + std::to_string(::getpid()) + ".db";
  auto store = storage::OpenStore("sqlite://" + path);
  ASSERT_TRUE(store.ok()) << store.status();
  Service service({**store, Clock::Real()});
  std::set<std::pair<std::string, std::string>> routed;
  for (const Route& r : service.router().routes()) routed.emplace(r.method, r.pattern);
  auto spec = OpenApiOperations();
  ASSERT_TRUE(spec.ok()) << spec.status();
  for (const auto& op : routed) {
    EXPECT_TRUE(spec->count(op)) << op.first << " " << op.second << " is routed but not in api/openapi.yaml";
  }
  for (const auto& op : *spec) {
    EXPECT_TRUE(routed.count(op)) << op.first << " " << op.second << " is in api/openapi.yaml but not routed";
  }
  store->reset();
  std::remove(path.c_str());
}

TEST(OpenApiSpecTest, SpecIsOpenApi31AndRendersDocs) {
  auto spec = OpenApiJson();
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->at("openapi").as_string(), "3.1.0");
  std::string html = RenderDocsPage(*spec);
  EXPECT_NE(html.find("/v1/events"), std::string::npos);
  EXPECT_NE(html.find("<html>"), std::string::npos);
}

}  // namespace
}  // namespace tailor::api
