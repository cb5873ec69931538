// Clock: the one source of "now" for code whose behaviour depends on time.
// Production code takes a `Clock&` (usually `Clock::Real()`); tests pass a
// `ManualClock` they advance by hand, so schedulers and models are
// deterministic.
//
//   tailor::ManualClock clock(absl::FromUnixSeconds(1700000000));
//   clock.Advance(absl::Hours(1));
#ifndef TAILOR_COMMON_CLOCK_H_
#define TAILOR_COMMON_CLOCK_H_

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tailor {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  // The process-wide wall clock. Never null, never destroyed.
  static Clock& Real();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_ns_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(now_ns_.load()); }
  void Advance(absl::Duration d) { now_ns_ += absl::ToInt64Nanoseconds(d); }
  void Set(absl::Time t) { now_ns_ = absl::ToUnixNanos(t); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace tailor

#endif  // TAILOR_COMMON_CLOCK_H_
