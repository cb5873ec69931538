#include "models/text/npm_data.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#ifndef TAILOR_SOURCE_DIR
#define TAILOR_SOURCE_DIR ""
#endif

namespace tailor::text {

std::vector<std::filesystem::path> NpmPackageCandidates(std::string_view package) {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv(kNodeModulesEnvVar); env != nullptr && *env != '\0') {
    candidates.push_back(std::filesystem::path(env) / package);
  }
  if (const char* env = std::getenv("TAILOR_LEXICON_DIR"); env != nullptr && *env != '\0') {
    candidates.push_back((std::filesystem::path(env) / ".." / package).lexically_normal());
  }
  if (std::string_view(TAILOR_SOURCE_DIR).size() > 0) {
    candidates.push_back(std::filesystem::path(TAILOR_SOURCE_DIR) / "node_modules" / package);
  }
  candidates.push_back(std::filesystem::path("node_modules") / package);
  return candidates;
}

absl::StatusOr<std::filesystem::path> FindNpmPackage(std::string_view package,
                                                     std::string_view file) {
  std::vector<std::string> tried;
  for (const std::filesystem::path& dir : NpmPackageCandidates(package)) {
    std::error_code ec;
    if (std::filesystem::exists(dir / file, ec)) return dir;
    tried.push_back((dir / file).string());
  }
  return absl::NotFoundError(absl::StrCat("npm package ", std::string(package),
                                          " not found (looked for ", absl::StrJoin(tried, ", "),
                                          "). Run `npm ci` in the repository root."));
}

absl::StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path.string()));
  return std::move(buffer).str();
}

absl::StatusOr<boost::json::value> ParseJsonObject(std::string_view data,
                                                   const std::filesystem::path& path) {
  boost::json::error_code ec;
  boost::json::value root = boost::json::parse(data, ec);
  if (ec || !root.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path.string(), ": not a JSON object: ", ec.message()));
  }
  return root;
}

}  // namespace tailor::text
