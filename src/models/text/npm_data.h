// Where the npm data packages that the text models read at run time are
// installed (`npm ci` in the repository root puts them in node_modules).
//
//   std::vector<std::filesystem::path> dirs =
//       tailor::text::NpmPackageCandidates("stopwords-iso");
//   // $TAILOR_NODE_MODULES/stopwords-iso, $TAILOR_LEXICON_DIR/../stopwords-iso
//   // (each when the variable is set), <TAILOR_SOURCE_DIR>/node_modules/stopwords-iso
//   // (the checkout the binary was built from), ./node_modules/stopwords-iso
#ifndef TAILOR_MODELS_TEXT_NPM_DATA_H_
#define TAILOR_MODELS_TEXT_NPM_DATA_H_

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tailor::text {

// Names the node_modules directory of an installation whose data packages
// live elsewhere than the source checkout.
inline constexpr const char* kNodeModulesEnvVar = "TAILOR_NODE_MODULES";

// Directories that may hold npm package `package`, most specific first.
// $TAILOR_LEXICON_DIR names the vader-sentiment directory, so its sibling
// directories are the other packages of the same node_modules.
std::vector<std::filesystem::path> NpmPackageCandidates(std::string_view package);

// The first candidate directory that contains `file` (a path relative to
// the package). NotFound lists every path tried and says how to install.
absl::StatusOr<std::filesystem::path> FindNpmPackage(std::string_view package,
                                                     std::string_view file);

// Reads a whole file. NotFound if it cannot be opened, DataLoss on a read
// error.
absl::StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path);

// Parses `data` (the contents of `path`, named in errors) as JSON whose root
// is an object; InvalidArgument otherwise.
absl::StatusOr<boost::json::value> ParseJsonObject(std::string_view data,
                                                   const std::filesystem::path& path);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_NPM_DATA_H_
