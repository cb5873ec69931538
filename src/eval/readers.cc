#include "eval/readers.h"

#include <algorithm>
#include <charconv>
#include <fstream>

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tailor::eval {
namespace {

std::vector<absl::string_view> SplitFields(absl::string_view line, const std::string& sep) {
  std::vector<absl::string_view> out;
  if (sep == " ") {
    out = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  } else {
    out = absl::StrSplit(line, sep);
  }
  for (auto& f : out) f = absl::StripAsciiWhitespace(f);
  return out;
}

std::string DetectSeparator(absl::string_view line) {
  if (absl::StrContains(line, "::")) return "::";
  if (absl::StrContains(line, "\t")) return "\t";
  if (absl::StrContains(line, ",")) return ",";
  return " ";
}

absl::Status LineError(const std::string& path, int64_t line_no, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": ", why));
}

bool ParseIndex(absl::string_view s, int32_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

// Lines of `<count> <index> ...`; returns one vector per line.
absl::StatusOr<std::vector<std::vector<int32_t>>> ReadCountLists(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<std::vector<int32_t>> rows;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::vector<absl::string_view> f = SplitFields(line, " ");
    std::vector<int32_t> row;
    if (!f.empty()) {
      int32_t count = 0;
      if (!ParseIndex(f[0], count)) return LineError(path, line_no, "bad count");
      if (static_cast<size_t>(count) != f.size() - 1) return LineError(path, line_no, "count does not match");
      for (size_t k = 1; k < f.size(); ++k) {
        int32_t v = 0;
        if (!ParseIndex(f[k], v)) return LineError(path, line_no, "bad index");
        row.push_back(v);
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void GrowTo(Dataset& d, int32_t user, int32_t item) {
  d.num_users = std::max(d.num_users, user + 1);
  d.num_items = std::max(d.num_items, item + 1);
}

}  // namespace

absl::StatusOr<Dataset> ReadDelimited(const std::string& path, const DelimitedOptions& options) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  Dataset d;
  IdMap users, items;
  std::string line, sep = options.separator;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (sep == "auto") sep = DetectSeparator(line);
    std::vector<absl::string_view> f = SplitFields(line, sep);
    if (line_no == 1) {
      bool header = options.header == 1;
      if (options.header == -1) {
        double unused;
        header = (!f.empty() && absl::StrContains(absl::AsciiStrToLower(std::string(f[0])), "user")) ||
                 (f.size() >= 3 && !absl::SimpleAtod(f[2], &unused));
      }
      if (header) continue;
    }
    if (f.size() < 2 || f[0].empty() || f[1].empty()) return LineError(path, line_no, "need user and item");
    Interaction x{users.Intern({f[0].data(), f[0].size()}), items.Intern({f[1].data(), f[1].size()}), 1.0f, line_no};
    if (f.size() >= 3 && !f[2].empty()) {
      double v;
      if (!absl::SimpleAtod(f[2], &v)) return LineError(path, line_no, "bad value");
      x.value = static_cast<float>(v);
    }
    if (f.size() >= 4 && !f[3].empty()) {
      double t;  // some files write timestamps as 8.8e8 or with decimals
      if (!absl::SimpleAtod(f[3], &t)) return LineError(path, line_no, "bad timestamp");
      x.timestamp = static_cast<int64_t>(t);
    }
    d.interactions.push_back(x);
  }
  d.user_ids = users.ids();
  d.item_ids = items.ids();
  d.num_users = static_cast<int32_t>(d.user_ids.size());
  d.num_items = static_cast<int32_t>(d.item_ids.size());
  return d;
}

absl::StatusOr<Dataset> ReadAmazonJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  Dataset d;
  IdMap users, items;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) return LineError(path, line_no, "not a JSON object");
    const boost::json::object& o = v.get_object();
    const auto* user = o.if_contains("reviewerID");
    const auto* item = o.if_contains("asin");
    if (user == nullptr || item == nullptr || !user->is_string() || !item->is_string()) {
      return LineError(path, line_no, "need string reviewerID and asin");
    }
    Interaction x{users.Intern(user->get_string()), items.Intern(item->get_string()), 1.0f, line_no};
    if (const auto* r = o.if_contains("overall"); r != nullptr && r->is_number()) {
      x.value = static_cast<float>(r->to_number<double>());
    }
    if (const auto* t = o.if_contains("unixReviewTime"); t != nullptr && t->is_number()) {
      x.timestamp = t->to_number<int64_t>();
    }
    d.interactions.push_back(x);
  }
  d.user_ids = users.ids();
  d.item_ids = items.ids();
  d.num_users = static_cast<int32_t>(d.user_ids.size());
  d.num_items = static_cast<int32_t>(d.item_ids.size());
  return d;
}

absl::StatusOr<SplitData> ReadCiteULike(const std::string& train_path, const std::string& test_path) {
  auto train = ReadCountLists(train_path);
  if (!train.ok()) return train.status();
  auto test = ReadCountLists(test_path);
  if (!test.ok()) return test.status();
  SplitData s;
  s.train.num_users = static_cast<int32_t>(std::max(train->size(), test->size()));
  int64_t order = 0;
  for (size_t u = 0; u < train->size(); ++u) {
    for (int32_t i : (*train)[u]) {
      s.train.interactions.push_back({static_cast<int32_t>(u), i, 1.0f, order++});
      GrowTo(s.train, static_cast<int32_t>(u), i);
    }
  }
  for (size_t u = 0; u < test->size(); ++u) {
    for (int32_t i : (*test)[u]) {
      s.test.push_back({static_cast<int32_t>(u), i, 1.0f, order++});
      GrowTo(s.train, static_cast<int32_t>(u), i);
    }
  }
  return s;
}

absl::StatusOr<SplitData> ReadNcf(const std::string& train_path, const std::string& test_path,
                                  const std::string& negative_path) {
  auto read_rating = [](const std::string& path, Dataset& grow,
                        std::vector<Interaction>& out) -> absl::Status {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::vector<absl::string_view> f = SplitFields(line, " ");
      if (f.empty()) continue;
      Interaction x{0, 0, 1.0f, line_no};
      if (f.size() < 2 || !ParseIndex(f[0], x.user) || !ParseIndex(f[1], x.item)) {
        return LineError(path, line_no, "need user and item indexes");
      }
      double v;
      if (f.size() >= 3 && absl::SimpleAtod(f[2], &v)) x.value = static_cast<float>(v);
      if (f.size() >= 4 && absl::SimpleAtod(f[3], &v)) x.timestamp = static_cast<int64_t>(v);
      GrowTo(grow, x.user, x.item);
      out.push_back(x);
    }
    return absl::OkStatus();
  };
  SplitData s;
  if (absl::Status st = read_rating(train_path, s.train, s.train.interactions); !st.ok()) return st;
  if (absl::Status st = read_rating(test_path, s.train, s.test); !st.ok()) return st;
  if (!negative_path.empty()) {
    std::ifstream in(negative_path);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", negative_path));
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::vector<absl::string_view> f = SplitFields(line, " ");
      if (f.empty()) continue;
      absl::string_view pair = absl::StripSuffix(absl::StripPrefix(f[0], "("), ")");
      std::vector<absl::string_view> ui = absl::StrSplit(pair, ',');
      int32_t user = 0, item = 0;
      if (ui.size() != 2 || !ParseIndex(ui[0], user) || !ParseIndex(ui[1], item)) {
        return LineError(negative_path, line_no, "need (user,item)");
      }
      if (s.negatives.size() <= static_cast<size_t>(user)) s.negatives.resize(user + 1);
      for (size_t k = 1; k < f.size(); ++k) {
        int32_t neg = 0;
        if (!ParseIndex(f[k], neg)) return LineError(negative_path, line_no, "bad negative");
        s.negatives[user].push_back(neg);
        GrowTo(s.train, user, neg);
      }
    }
  }
  return s;
}

}  // namespace tailor::eval
