// A small RFC 4180 CSV field splitter (quotes, doubled quotes, separators
// inside quotes) for the import formats. One record per line: quoted fields
// may not span lines.
//
//   std::vector<std::string> fields;
//   if (!SplitCsvLine("a,\"b,c\",d", ',', &fields)) { /* unbalanced quote */ }
#ifndef TAILOR_IMPORTER_CSV_H_
#define TAILOR_IMPORTER_CSV_H_

#include <string>
#include <string_view>
#include <vector>

namespace tailor::importer {

bool SplitCsvLine(std::string_view line, char separator, std::vector<std::string>* fields);

// Splits on a multi-character separator such as "::" (MovieLens .dat files).
std::vector<std::string_view> SplitOn(std::string_view line, std::string_view separator);

}  // namespace tailor::importer

#endif  // TAILOR_IMPORTER_CSV_H_
