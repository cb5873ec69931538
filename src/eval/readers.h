// Readers for the research data formats the evaluator understands. Every
// reader returns NotFound when a file cannot be opened and InvalidArgument
// (with the line number) on a malformed line.
//
//   auto ml = tailor::eval::ReadDelimited(".../ml-100k/u.data", {});        // tab
//   auto m1 = tailor::eval::ReadDelimited(".../ml-1m/ratings.dat", {});     // "::"
//   auto ml = tailor::eval::ReadDelimited(".../ml-latest/ratings.csv", {}); // CSV + header
//   auto cu = tailor::eval::ReadCiteULike(".../cf-train-10-users.dat", ".../cf-test-10-users.dat");
//   auto nc = tailor::eval::ReadNcf("ml-1m.train.rating", "ml-1m.test.rating", "ml-1m.test.negative");
#ifndef TAILOR_EVAL_READERS_H_
#define TAILOR_EVAL_READERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/dataset.h"

namespace tailor::eval {

struct DelimitedOptions {
  // "auto": "::" if the first line has it, else tab, else comma, else runs of
  // spaces. Otherwise the literal separator ("\t", ",", "::", " ").
  std::string separator = "auto";
  // -1 auto (header when the first field mentions "user" or the third field
  // is not a number), 0 no header, 1 header.
  int header = -1;
};

// Lines `user item [value] [timestamp]` (MovieLens u.data / ratings.dat /
// ratings.csv, Last.fm user_artists.dat, plain files). Ids are strings mapped
// in order of appearance; value defaults to 1, timestamp to the line number.
absl::StatusOr<Dataset> ReadDelimited(const std::string& path, const DelimitedOptions& options);

// Amazon review dumps: one JSON object per line with reviewerID, asin,
// overall (value) and unixReviewTime.
absl::StatusOr<Dataset> ReadAmazonJson(const std::string& path);

// A fixed train/test split whose files already hold 0-based indexes.
struct SplitData {
  Dataset train;                  // num_users/num_items cover train, test and negatives
  std::vector<Interaction> test;  // held-out pairs
  // negatives[u]: sampled items for user u to rank the test item against
  // (NCF *.test.negative); empty when the split has none.
  std::vector<std::vector<int32_t>> negatives;
};

// CiteULike-a (Wang & Blei / CVAE): line u = `<count> <item> <item> ...`.
absl::StatusOr<SplitData> ReadCiteULike(const std::string& train_path, const std::string& test_path);

// NCF (He et al. 2017): `*.train.rating` / `*.test.rating` lines
// `user \t item \t rating \t timestamp`; `*.test.negative` lines
// `(user,item) \t neg \t neg ...`. `negative_path` may be empty.
absl::StatusOr<SplitData> ReadNcf(const std::string& train_path, const std::string& test_path,
                                  const std::string& negative_path);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_READERS_H_
