// The public data sets as streams of Tailor events, for evaluating the
// insights models (churn, engagement) offline with the same code the server
// runs. Every reader returns NotFound when the file cannot be opened and
// InvalidArgument naming the line for a malformed one.
//
//   auto events = tailor::eval::ReadEventLog("cdnow", ".../cdnow/CDNOW_master.txt");
//
// Formats:
//   cdnow    CDNOW transactions (rfm_io.h): one `purchase` per line, value =
//            dollar value, at midnight UTC of the date.
//   ml-100k  MovieLens `user \t item \t rating \t unix_time`: one `rate`
//            event per line with the rating as value.
//   amazon   Amazon review JSON lines: one `rate` event per review (value =
//            stars) whose text is the review text, so sentiment counts.
//   tailor   JSON lines in the POST /v1/events event format.
#ifndef TAILOR_EVAL_EVENT_LOG_H_
#define TAILOR_EVAL_EVENT_LOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/event.h"

namespace tailor::eval {

inline constexpr const char* kEventLogFormats[] = {"cdnow", "ml-100k", "amazon", "tailor"};

absl::StatusOr<std::vector<domain::Event>> ReadEventLog(std::string_view format,
                                                        const std::string& path);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_EVENT_LOG_H_
