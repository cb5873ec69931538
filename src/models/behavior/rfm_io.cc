#include "models/behavior/rfm_io.h"

#include <cmath>
#include <cstdint>
#include <fstream>

#include "absl/strings/ascii.h"
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "models/behavior/bg_nbd.h"

namespace tailor::behavior {

namespace {

absl::StatusOr<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::Status LineError(size_t line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message));
}

int FindColumn(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    for (const char* name : names) {
      if (header[i] == name) return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

absl::StatusOr<RfmTable> ParseRfmCsv(absl::string_view content) {
  std::vector<absl::string_view> lines = absl::StrSplit(content, '\n');
  size_t line_no = 0;
  std::vector<std::string> header;
  int c_id = -1, c_x = -1, c_tx = -1, c_t = -1, c_m = -1;
  RfmTable table;
  for (absl::string_view raw : lines) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    for (std::string& f : fields) f = std::string(absl::StripAsciiWhitespace(f));
    if (header.empty()) {
      header = fields;
      c_id = FindColumn(header, {"ID", "id", "customer_id"});
      c_x = FindColumn(header, {"frequency", "x"});
      c_tx = FindColumn(header, {"recency", "t_x"});
      c_t = FindColumn(header, {"T"});
      c_m = FindColumn(header, {"monetary_value", "zbar", "monetary"});
      if (c_id < 0 || c_x < 0 || c_tx < 0 || c_t < 0) {
        return LineError(line_no,
                         "header must name ID,frequency,recency,T[,monetary_value] or "
                         "ID,x,t_x,T[,zbar]");
      }
      table.has_monetary = c_m >= 0;
      continue;
    }
    if (fields.size() != header.size()) {
      return LineError(line_no,
                       absl::StrCat("expected ", header.size(), " fields, got ", fields.size()));
    }
    CustomerRfm c;
    c.id = fields[c_id];
    if (c.id.empty()) return LineError(line_no, "empty ID");
    auto number = [&](int column, double* out) -> absl::Status {
      if (!absl::SimpleAtod(fields[column], out) || !std::isfinite(*out)) {
        return LineError(line_no, absl::StrCat("column ", header[column], ": not a number: '",
                                               fields[column], "'"));
      }
      return absl::OkStatus();
    };
    for (auto [column, target] :
         {std::pair{c_x, &c.frequency}, std::pair{c_tx, &c.recency}, std::pair{c_t, &c.age}}) {
      if (absl::Status s = number(column, target); !s.ok()) return s;
    }
    if (c_m >= 0) {
      if (absl::Status s = number(c_m, &c.monetary); !s.ok()) return s;
    }
    if (absl::Status s = ValidateRfm(c); !s.ok()) return LineError(line_no, s.message());
    table.customers.push_back(std::move(c));
  }
  if (header.empty()) return LineError(1, "empty file, expected a header");
  return table;
}

absl::StatusOr<RfmTable> ReadRfmCsv(const std::string& path) {
  absl::StatusOr<std::string> content = Slurp(path);
  if (!content.ok()) return content.status();
  return ParseRfmCsv(*content);
}

absl::StatusOr<std::vector<Transaction>> ParseCdnowTransactions(absl::string_view content) {
  std::vector<Transaction> out;
  size_t line_no = 0;
  for (absl::string_view raw : absl::StrSplit(content, '\n')) {
    ++line_no;
    std::vector<absl::string_view> fields =
        absl::StrSplit(raw, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    // The master file opens with a header line naming the columns.
    if (out.empty() && line_no == 1 && !fields[0].empty() && !absl::ascii_isdigit(fields[0][0])) {
      continue;
    }
    if (fields.size() != 4 && fields.size() != 5) {
      return LineError(line_no, absl::StrCat("expected 4 or 5 fields, got ", fields.size()));
    }
    const size_t offset = fields.size() - 4;  // 5 columns: skip master_id
    int64_t id = 0;
    int64_t date = 0;
    double cds = 0, dollars = 0;
    if (!absl::SimpleAtoi(fields[offset], &id) || id < 0) {
      return LineError(line_no, "bad customer id");
    }
    if (!absl::SimpleAtoi(fields[offset + 1], &date) || fields[offset + 1].size() != 8) {
      return LineError(line_no, "bad date, expected yyyymmdd");
    }
    if (!absl::SimpleAtod(fields[offset + 2], &cds) ||
        !absl::SimpleAtod(fields[offset + 3], &dollars) || !std::isfinite(dollars)) {
      return LineError(line_no, "bad number_of_cds or dollar_value");
    }
    const int year = static_cast<int>(date / 10000);
    const int month = static_cast<int>(date / 100 % 100);
    const int day = static_cast<int>(date % 100);
    const absl::CivilDay civil(year, month, day);
    if (civil.year() != year || civil.month() != month || civil.day() != day) {
      return LineError(line_no, "invalid calendar date");
    }
    out.push_back({absl::StrCat(id), absl::FromCivil(civil, absl::UTCTimeZone()), dollars});
  }
  return out;
}

absl::StatusOr<std::vector<Transaction>> ReadCdnowTransactions(const std::string& path) {
  absl::StatusOr<std::string> content = Slurp(path);
  if (!content.ok()) return content.status();
  return ParseCdnowTransactions(*content);
}

}  // namespace tailor::behavior
