// Background threads (training, campaigns) run at a lower CPU priority than
// the threads serving requests.
//
//   LowerThreadPriority(10);  // on the background thread itself
#ifndef TAILOR_COMMON_THREAD_PRIORITY_H_
#define TAILOR_COMMON_THREAD_PRIORITY_H_

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tailor {

// Sets the calling thread's nice value (Linux applies setpriority to one
// thread when given its tid). Failure leaves the priority unchanged.
inline void LowerThreadPriority(int nice) {
  const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  setpriority(PRIO_PROCESS, tid, nice);
}

}  // namespace tailor

#endif  // TAILOR_COMMON_THREAD_PRIORITY_H_
