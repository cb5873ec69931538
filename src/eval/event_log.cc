#include "eval/event_log.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "models/behavior/rfm_io.h"

namespace tailor::eval {
namespace {

absl::Status LineError(const std::string& path, int64_t line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", what));
}

// Seconds from 1970 to the year 9999.
bool ValidUnixTime(int64_t seconds) { return seconds >= 0 && seconds < 253402300800; }

template <typename T>
bool ParseNumber(absl::string_view s, T* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

absl::StatusOr<std::vector<domain::Event>> ReadCdnow(const std::string& path) {
  absl::StatusOr<std::vector<behavior::Transaction>> tx = behavior::ReadCdnowTransactions(path);
  if (!tx.ok()) return tx.status();
  std::vector<domain::Event> out;
  out.reserve(tx->size());
  for (const behavior::Transaction& t : *tx) {
    domain::Event e;
    e.user_id = t.customer;
    e.type = "purchase";
    e.value = t.amount;
    e.timestamp = t.time;
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<domain::Event>> ReadMovieLens(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<domain::Event> out;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    double rating = 0;
    int64_t seconds = 0;
    if (f.size() != 4 || !ParseNumber(f[2], &rating) || !std::isfinite(rating) ||
        !ParseNumber(absl::StripAsciiWhitespace(f[3]), &seconds) || !ValidUnixTime(seconds)) {
      return LineError(path, line_no, "need user \\t item \\t rating \\t unix_time (1970..9999)");
    }
    domain::Event e;
    e.user_id = std::string(f[0]);
    e.item_id = std::string(f[1]);
    e.type = "rate";
    e.value = rating;
    e.timestamp = absl::FromUnixSeconds(seconds);
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<domain::Event>> ReadJsonLines(const std::string& path, bool amazon) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<domain::Event> out;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) return LineError(path, line_no, "not a JSON object");
    if (!amazon) {
      absl::StatusOr<domain::Event> e = domain::ParseEvent(v, absl::InfiniteFuture());
      if (!e.ok()) return LineError(path, line_no, e.status().message());
      if (e->timestamp == absl::InfiniteFuture()) return LineError(path, line_no, "timestamp required");
      out.push_back(*std::move(e));
      continue;
    }
    const boost::json::object& o = v.get_object();
    const auto* user = o.if_contains("reviewerID");
    const auto* item = o.if_contains("asin");
    const auto* time = o.if_contains("unixReviewTime");
    boost::system::error_code time_ec;
    const int64_t seconds =
        time != nullptr && time->is_number() ? time->to_number<int64_t>(time_ec) : -1;
    if (user == nullptr || item == nullptr || !user->is_string() || !item->is_string() ||
        time == nullptr || time_ec || !ValidUnixTime(seconds)) {
      return LineError(path, line_no,
                       "need string reviewerID and asin and an integer unixReviewTime from 1970");
    }
    domain::Event e;
    e.user_id = std::string(user->get_string());
    e.item_id = std::string(item->get_string());
    e.type = "rate";
    if (const auto* r = o.if_contains("overall"); r != nullptr && r->is_number()) {
      const double stars = r->to_number<double>();
      if (!(std::abs(stars) <= domain::kMaxEventValue)) return LineError(path, line_no, "bad overall");
      e.value = stars;
    }
    if (const auto* t = o.if_contains("reviewText"); t != nullptr && t->is_string()) {
      e.text = std::string(t->get_string());
    }
    e.timestamp = absl::FromUnixSeconds(seconds);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<domain::Event>> ReadEventLog(std::string_view format,
                                                        const std::string& path) {
  if (format == "cdnow") return ReadCdnow(path);
  if (format == "ml-100k") return ReadMovieLens(path);
  if (format == "amazon") return ReadJsonLines(path, true);
  if (format == "tailor") return ReadJsonLines(path, false);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format \"", absl::string_view(format.data(), format.size()),
                   "\" (cdnow, ml-100k, amazon, tailor)"));
}

}  // namespace tailor::eval
