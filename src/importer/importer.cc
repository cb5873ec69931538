#include "importer/importer.h"

#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "common/field_errors.h"
#include "common/strings.h"
#include "domain/event.h"
#include "domain/item.h"
#include "domain/user.h"
#include "domain/validation.h"
#include "importer/csv.h"

namespace tailor::importer {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// MovieLens 100K and 1M are Latin-1; the API speaks UTF-8.
std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xc0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// Unix seconds or RFC 3339, as the JSON string the domain parser expects.
std::string TimestampText(std::string_view s) {
  if (!AllDigits(s) || s.size() > 12) return std::string(s);
  int64_t secs = 0;
  std::from_chars(s.data(), s.data() + s.size(), secs);
  return domain::FormatRfc3339(absl::FromUnixSeconds(secs));
}

json::value NumberOrString(std::string_view s) {
  double d;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return d;
  return json::value(s);
}

json::array SplitPipes(std::string_view s) {
  json::array out;
  for (std::string_view part : SplitOn(s, "|")) {
    if (!part.empty()) out.push_back(json::value(part));
  }
  return out;
}

class Importer {
 public:
  Importer(storage::Store& store, domain::TenantId tenant, const ImportOptions& options,
           std::ostream& report)
      : store_(store), tenant_(tenant), options_(options), report_(report), now_(absl::Now()) {}

  using LineFn = std::function<void(int64_t line_no, std::string_view line)>;

  absl::Status ForEachLine(const fs::path& path, const LineFn& fn) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(StrCat("cannot read ", path.string()));
    file_ = path.filename().string();
    std::error_code ec;
    uintmax_t size = fs::file_size(path, ec);
    uintmax_t done = 0;
    int last_percent = -1;
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      ++summary_.lines;
      done += line.size() + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) fn(line_no, line);
      if (options_.progress && size > 0) {
        int percent = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(size));
        if (percent != last_percent) {
          last_percent = std::min(percent, 100);
          int bars = last_percent / 4;
          report_ << "\r" << file_ << " [" << std::string(bars, '#') << std::string(25 - bars, ' ')
                  << "] " << last_percent << "% " << line_no << " lines" << std::flush;
        }
      }
      if (!status_.ok()) break;
    }
    if (options_.progress && size > 0) report_ << "\n";
    Flush();
    return status_;
  }

  void Bad(int64_t line_no, std::string_view message) {
    ++summary_.bad_rows;
    if (options_.progress) report_ << "\r";
    report_ << file_ << ":" << line_no << ": " << message << "\n";
  }
  void BadStatus(int64_t line_no, const absl::Status& s) {
    std::vector<FieldError> errors = FieldErrorsOf(s);
    if (errors.empty()) return Bad(line_no, View(s.message()));
    std::string text;
    for (const FieldError& e : errors) text += StrCat(text.empty() ? "" : "; ", e.field, ": ", e.message);
    Bad(line_no, text);
  }

  void AddUser(int64_t line_no, const json::value& v, std::string_view id) {
    auto user = domain::ParseUser(v, id);
    if (!user.ok()) return BadStatus(line_no, user.status());
    user->updated_at = now_;
    batch_.PutUser(*user);
    ++summary_.users;
    MaybeFlush();
  }
  void AddItem(int64_t line_no, const json::value& v) {
    auto item = domain::ParseItem(v, "");
    if (!item.ok()) return BadStatus(line_no, item.status());
    item->updated_at = now_;
    batch_.PutItem(*item);
    ++summary_.items;
    MaybeFlush();
  }
  void AddEvent(int64_t line_no, const json::value& v) {
    auto event = domain::ParseEvent(v, now_);
    if (!event.ok()) return BadStatus(line_no, event.status());
    events_.push_back(std::move(*event));
    MaybeFlush();
  }

  void MaybeFlush() {
    if (events_.size() + batch_.ops().size() >= options_.batch_size) Flush();
  }
  void Flush() {
    if (!events_.empty()) batch_.AppendEvents(std::move(events_));
    events_.clear();
    if (batch_.empty() || !status_.ok()) return;
    auto r = store_.WriteSync(tenant_, std::move(batch_));
    batch_ = storage::WriteBatch();
    if (!r.ok()) {
      status_ = r.status();
      return;
    }
    summary_.events_accepted += r->events_accepted;
    summary_.events_duplicate += r->events_duplicate;
  }

  ImportSummary& summary() { return summary_; }

 private:
  storage::Store& store_;
  domain::TenantId tenant_;
  const ImportOptions& options_;
  std::ostream& report_;
  absl::Time now_;
  std::string file_;
  storage::WriteBatch batch_;
  std::vector<domain::Event> events_;
  ImportSummary summary_;
  absl::Status status_;
};

absl::Status ImportJsonl(Importer& im, const fs::path& path, const std::string& kind) {
  return im.ForEachLine(path, [&](int64_t n, std::string_view line) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) return im.Bad(n, StrCat("malformed JSON: ", ec.message()));
    if (kind == "users") {
      const json::value* id = v.is_object() ? v.get_object().if_contains("user_id") : nullptr;
      if (id == nullptr || !id->is_string()) return im.Bad(n, "user_id: is required");
      im.AddUser(n, v, id->get_string());
    } else if (kind == "items") {
      im.AddItem(n, v);
    } else {
      im.AddEvent(n, v);
    }
  });
}

absl::Status ImportCsv(Importer& im, const fs::path& path, const std::string& kind) {
  std::vector<std::string> header;
  std::vector<std::string> fields;
  return im.ForEachLine(path, [&](int64_t n, std::string_view line) {
    if (header.empty()) {
      if (!SplitCsvLine(line, ',', &header)) im.Bad(n, "malformed header");
      for (auto& h : header) h = absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(h)));
      return;
    }
    if (!SplitCsvLine(line, ',', &fields)) return im.Bad(n, "unbalanced quote");
    if (fields.size() != header.size()) {
      return im.Bad(n, StrCat("expected ", header.size(), " fields, got ", fields.size()));
    }
    json::object obj;
    json::object attributes;
    std::string id;
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string& col = header[i];
      const std::string& val = fields[i];
      if (val.empty()) continue;
      if (kind == "users") {
        if (col == "user_id") {
          id = val;
        } else if (col == "timezone" || col == "locale" || col == "email" || col == "phone") {
          obj[col] = val;
        } else {
          attributes[col] = val;
        }
      } else if (kind == "items") {
        if (col == "categories" || col == "tags") {
          obj[col] = SplitPipes(val);
        } else if (col == "available") {
          obj[col] = val == "true" || val == "1";
        } else if (col == "item_id" || col == "title" || col == "text" || col == "language" ||
                   col == "published_at" || col == "expires_at") {
          obj[col] = col.ends_with("_at") ? json::value(TimestampText(val)) : json::value(val);
        } else {
          attributes[col] = NumberOrString(val);
        }
      } else {
        if (col == "value") {
          obj[col] = NumberOrString(val);
        } else if (col == "timestamp") {
          obj[col] = TimestampText(val);
        } else {
          obj[col] = val;
        }
      }
    }
    if (!attributes.empty()) obj["attributes"] = std::move(attributes);
    if (kind == "users") {
      if (id.empty()) return im.Bad(n, "user_id: is required");
      im.AddUser(n, obj, id);
    } else if (kind == "items") {
      im.AddItem(n, obj);
    } else {
      im.AddEvent(n, obj);
    }
  });
}

json::object RatingEvent(std::string_view user, std::string_view movie, std::string_view rating,
                         std::string_view ts) {
  return json::object{{"event_id", StrCat("ml:", user, ":", movie, ":", ts)},
                      {"user_id", user},
                      {"item_id", movie},
                      {"type", "rate"},
                      {"value", NumberOrString(rating)},
                      {"timestamp", TimestampText(ts)}};
}

absl::Status ImportMl100k(Importer& im, const fs::path& dir) {
  std::vector<std::string> genres;
  {
    std::ifstream in(dir / "u.genre");
    std::string line;
    while (std::getline(in, line)) {
      auto parts = SplitOn(line, "|");
      if (parts.size() == 2 && !parts[0].empty()) genres.emplace_back(parts[0]);
    }
  }
  absl::Status s = im.ForEachLine(dir / "u.user", [&](int64_t n, std::string_view line) {
    auto f = SplitOn(line, "|");
    if (f.size() != 5) return im.Bad(n, "expected 5 |-separated fields");
    json::object attrs{{"age", NumberOrString(f[1])}, {"gender", f[2]}, {"occupation", f[3]},
                       {"zip", f[4]}};
    im.AddUser(n, json::object{{"attributes", std::move(attrs)}}, f[0]);
  });
  if (!s.ok()) return s;
  s = im.ForEachLine(dir / "u.item", [&](int64_t n, std::string_view raw) {
    std::string line = Latin1ToUtf8(raw);
    auto f = SplitOn(line, "|");
    if (f.size() != 5 + genres.size()) return im.Bad(n, "unexpected number of fields");
    json::array cats;
    for (size_t g = 0; g < genres.size(); ++g) {
      if (f[5 + g] == "1") cats.push_back(json::value(genres[g]));
    }
    json::object item{{"item_id", f[0]}, {"title", f[1]}, {"categories", std::move(cats)},
                      {"attributes", json::object{{"release_date", f[2]}, {"imdb_url", f[4]}}}};
    im.AddItem(n, item);
  });
  if (!s.ok()) return s;
  return im.ForEachLine(dir / "u.data", [&](int64_t n, std::string_view line) {
    auto f = SplitOn(line, "\t");
    if (f.size() != 4) return im.Bad(n, "expected user, item, rating, timestamp");
    im.AddEvent(n, RatingEvent(f[0], f[1], f[2], f[3]));
  });
}

absl::Status ImportMl1m(Importer& im, const fs::path& dir) {
  absl::Status s = im.ForEachLine(dir / "users.dat", [&](int64_t n, std::string_view line) {
    auto f = SplitOn(line, "::");
    if (f.size() != 5) return im.Bad(n, "expected UserID::Gender::Age::Occupation::Zip-code");
    json::object attrs{{"gender", f[1]}, {"age", NumberOrString(f[2])},
                       {"occupation", f[3]}, {"zip", f[4]}};
    im.AddUser(n, json::object{{"attributes", std::move(attrs)}}, f[0]);
  });
  if (!s.ok()) return s;
  s = im.ForEachLine(dir / "movies.dat", [&](int64_t n, std::string_view raw) {
    std::string line = Latin1ToUtf8(raw);
    auto f = SplitOn(line, "::");
    if (f.size() != 3) return im.Bad(n, "expected MovieID::Title::Genres");
    im.AddItem(n, json::object{{"item_id", f[0]}, {"title", f[1]}, {"categories", SplitPipes(f[2])}});
  });
  if (!s.ok()) return s;
  return im.ForEachLine(dir / "ratings.dat", [&](int64_t n, std::string_view line) {
    auto f = SplitOn(line, "::");
    if (f.size() != 4) return im.Bad(n, "expected UserID::MovieID::Rating::Timestamp");
    im.AddEvent(n, RatingEvent(f[0], f[1], f[2], f[3]));
  });
}

absl::Status ImportMlLatest(Importer& im, const fs::path& dir) {
  std::vector<std::string> f;
  absl::Status s = im.ForEachLine(dir / "movies.csv", [&](int64_t n, std::string_view line) {
    if (n == 1) return;  // header
    if (!SplitCsvLine(line, ',', &f) || f.size() != 3) return im.Bad(n, "expected movieId,title,genres");
    json::array cats = f[2] == "(no genres listed)" ? json::array() : SplitPipes(f[2]);
    im.AddItem(n, json::object{{"item_id", f[0]}, {"title", f[1]}, {"categories", std::move(cats)}});
  });
  if (!s.ok()) return s;
  return im.ForEachLine(dir / "ratings.csv", [&](int64_t n, std::string_view line) {
    if (n == 1) return;
    if (!SplitCsvLine(line, ',', &f) || f.size() != 4) {
      return im.Bad(n, "expected userId,movieId,rating,timestamp");
    }
    im.AddEvent(n, RatingEvent(f[0], f[1], f[2], f[3]));
  });
}

}  // namespace

absl::StatusOr<ImportSummary> Import(storage::Store& store, domain::TenantId tenant,
                                     const std::string& path, const ImportOptions& options,
                                     std::ostream& report) {
  Importer im(store, tenant, options, report);
  absl::Status s;
  const std::string& fmt = options.format;
  if (fmt == "jsonl" || fmt == "csv") {
    if (options.kind != "users" && options.kind != "items" && options.kind != "events") {
      return absl::InvalidArgumentError("--kind must be users, items or events");
    }
    s = fmt == "jsonl" ? ImportJsonl(im, path, options.kind) : ImportCsv(im, path, options.kind);
  } else if (fmt == "ml-100k" || fmt == "ml-1m" || fmt == "ml-latest") {
    if (!fs::is_directory(path)) {
      return absl::InvalidArgumentError(StrCat(fmt, " expects the data set's directory"));
    }
    s = fmt == "ml-100k" ? ImportMl100k(im, path)
        : fmt == "ml-1m" ? ImportMl1m(im, path)
                         : ImportMlLatest(im, path);
  } else {
    return absl::InvalidArgumentError(
        StrCat("unknown format \"", fmt, "\": jsonl, csv, ml-100k, ml-1m or ml-latest"));
  }
  if (!s.ok()) return s;
  return im.summary();
}

}  // namespace tailor::importer
