#include "models/text/npm_data.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace tailor::text {
namespace {

namespace fs = std::filesystem;

TEST(NpmDataTest, NodeModulesVariableComesFirst) {
  const fs::path root = fs::temp_directory_path() / "tailor_npm_data_test";
  fs::remove_all(root);
  fs::create_directories(root / "some-package" / "data");
  std::ofstream(root / "some-package" / "data" / "list.json") << "{}";
  ASSERT_EQ(setenv(kNodeModulesEnvVar, root.c_str(), 1), 0);

  EXPECT_EQ(NpmPackageCandidates("some-package").front(), root / "some-package");
  absl::StatusOr<fs::path> found = FindNpmPackage("some-package", "data/list.json");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, root / "some-package");
  absl::StatusOr<std::string> text = ReadWholeFile(*found / "data" / "list.json");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{}");

  // Missing: the error names what was tried and how to install.
  absl::StatusOr<fs::path> missing = FindNpmPackage("some-package", "data/other.json");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find((root / "some-package/data/other.json").string()),
            std::string::npos);
  EXPECT_NE(missing.status().message().find("npm ci"), std::string::npos);

  unsetenv(kNodeModulesEnvVar);
  fs::remove_all(root);
}

}  // namespace
}  // namespace tailor::text
