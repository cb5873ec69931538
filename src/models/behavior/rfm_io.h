// Readers for RFM summaries and raw transactions on disk.
//
// RFM CSV: a header naming the columns, in any order (names are
// case-sensitive, no quoting):
//   ID,frequency,recency,T[,monetary_value]   (lifetimes / BTYD style)
//   ID,x,t_x,T[,zbar]                           (Fader-Hardie style)
// "monetary" is accepted for the spend column too. Extra columns are
// ignored. Empty lines are skipped.
//
// CDNOW transactions (whitespace-separated, one purchase per line):
//   master_id sample_id yyyymmdd number_of_cds dollar_value   (CDNOW_sample.txt)
//   customer_id yyyymmdd number_of_cds dollar_value           (CDNOW_master.txt)
// A first line that does not start with a digit is a header and skipped.
// The customer id is sample_id (resp. customer_id) without leading zeros;
// times are midnight UTC of the date.
//
//   auto customers = tailor::behavior::ReadRfmCsv("cdnow_customers_summary.csv");
//   auto transactions = tailor::behavior::ReadCdnowTransactions("CDNOW_sample.txt");
#ifndef TAILOR_MODELS_BEHAVIOR_RFM_IO_H_
#define TAILOR_MODELS_BEHAVIOR_RFM_IO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/behavior/rfm.h"

namespace tailor::behavior {

struct RfmTable {
  std::vector<CustomerRfm> customers;
  bool has_monetary = false;  // whether the file had a spend column
};

// Errors: NotFound if the file cannot be opened; InvalidArgument for a bad
// header ("line 1: ...") or a bad row ("line N: ..."), including a row that
// fails ValidateRfm (see bg_nbd.h).
absl::StatusOr<RfmTable> ReadRfmCsv(const std::string& path);
absl::StatusOr<RfmTable> ParseRfmCsv(absl::string_view content);

absl::StatusOr<std::vector<Transaction>> ReadCdnowTransactions(const std::string& path);
absl::StatusOr<std::vector<Transaction>> ParseCdnowTransactions(absl::string_view content);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_RFM_IO_H_
