// ThreadSanitizer annotations for Debian's prebuilt abseil: synchronization
// and absl::Status reference counts.
//
// Debian's abseil libraries are not compiled with -fsanitize=thread, so TSan
// cannot see absl::Mutex, absl::CondVar or absl::Notification synchronise
// anything and reports every correctly locked access as a race; nor does it
// see the atomic reference count of a shared absl::Status payload, so the
// thread that drops the last copy seems to free it under the others' reads. This file is
// linked into the executables of the `tsan` preset only (never into a
// shipped binary). It defines the public entry points we use; the dynamic
// linker binds calls to these definitions, which announce the operation to
// TSan with the __tsan_mutex_* interface and forward to the library's own
// definition, found with dlsym(RTLD_NEXT, ...).
//
// Annotation scheme (the same one abseil uses when built with TSan):
//   lock:    pre_lock, real lock, post_lock
//   unlock:  pre_unlock, real unlock, post_unlock
// Memory accesses between pre_ and post_ are ignored by TSan, which covers
// absl::Condition functions the library evaluates on the unlocking thread.
// A wait (CondVar::Wait, Mutex::Await) is an unlock followed by a lock.

#ifndef __SANITIZE_THREAD__
#error "absl_annotations.cc is for -fsanitize=thread builds only"
#endif

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/base/options.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

#define TAILOR_STR2(x) #x
#define TAILOR_STR(x) TAILOR_STR2(x)

// Itanium-mangled name of a member of absl::<inline namespace>, where `rest`
// is the mangled tail after the namespace ("5Mutex4LockEv"); a const member
// function starts with "K" ("K12Notification...").
std::string AbslSymbol(const char* rest) {
  const char* ns = TAILOR_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const bool is_const = rest[0] == 'K';
  return std::string(is_const ? "_ZNK" : "_ZN") + "4absl" + std::to_string(std::strlen(ns)) + ns +
         (is_const ? rest + 1 : rest);
}

void* Next(const char* rest) {
  const std::string name = AbslSymbol(rest);
  void* fn = dlsym(RTLD_NEXT, name.c_str());
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan absl annotations: %s not found: %s\n", name.c_str(), dlerror());
    std::abort();
  }
  return fn;
}

// The library's definition of a member function, resolved once.
template <typename Fn>
Fn Real(const char* rest) {
  return reinterpret_cast<Fn>(Next(rest));
}

constexpr unsigned kRead = __tsan_mutex_read_lock;

// The library calls its own entry points (LockWhenWithTimeout calls
// LockWhenWithDeadline, Notification calls Mutex); those calls reach the
// definitions below too. Only the outermost call on a thread is announced.
thread_local int depth = 0;

class Outermost {
 public:
  Outermost() : outer_(depth++ == 0) {}
  ~Outermost() { --depth; }
  explicit operator bool() const { return outer_; }

 private:
  const bool outer_;
};

// `call` takes the lock (flags as for __tsan_mutex_pre_lock).
template <typename Call>
auto AsLock(void* mu, unsigned flags, Call call) {
  Outermost outer;
  if (outer) __tsan_mutex_pre_lock(mu, flags);
  if constexpr (std::is_void_v<decltype(call())>) {
    call();
    if (outer) __tsan_mutex_post_lock(mu, flags, 0);
  } else {
    auto result = call();
    if (outer) __tsan_mutex_post_lock(mu, flags, 0);
    return result;
  }
}

// `call` releases the lock.
template <typename Call>
void AsUnlock(void* mu, unsigned flags, Call call) {
  Outermost outer;
  if (outer) __tsan_mutex_pre_unlock(mu, flags);
  call();
  if (outer) __tsan_mutex_post_unlock(mu, flags);
}

// `call` releases a write lock, waits, and takes it again.
template <typename Call>
auto AsWait(void* mu, Call call) {
  {
    Outermost outer;
    if (outer) {
      __tsan_mutex_pre_unlock(mu, 0);
      __tsan_mutex_post_unlock(mu, 0);
    }
  }
  return AsLock(mu, 0, call);
}

// `call` attempts the lock and says whether it got it.
template <typename Call>
bool AsTryLock(void* mu, unsigned flags, Call call) {
  Outermost outer;
  flags |= __tsan_mutex_try_lock;
  if (outer) __tsan_mutex_pre_lock(mu, flags);
  const bool locked = call();
  if (outer) __tsan_mutex_post_lock(mu, locked ? flags : flags | __tsan_mutex_try_lock_failed, 0);
  return locked;
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

Mutex::~Mutex() {
  static auto real = Real<void (*)(Mutex*)>("5MutexD1Ev");
  if (depth == 0) __tsan_mutex_destroy(this, 0);
  real(this);
}

void Mutex::Lock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex4LockEv");
  AsLock(this, 0, [&] { real(this); });
}

void Mutex::Unlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex6UnlockEv");
  AsUnlock(this, 0, [&] { real(this); });
}

bool Mutex::TryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  return AsTryLock(this, 0, [&] { return real(this); });
}

void Mutex::ReaderLock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  AsLock(this, kRead, [&] { real(this); });
}

void Mutex::ReaderUnlock() {
  static auto real = Real<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  AsUnlock(this, kRead, [&] { real(this); });
}

bool Mutex::ReaderTryLock() {
  static auto real = Real<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  return AsTryLock(this, kRead, [&] { return real(this); });
}

void Mutex::LockWhen(const Condition& cond) {
  static auto real = Real<void (*)(Mutex*, const Condition&)>("5Mutex8LockWhenERKNS0_9ConditionE");
  AsLock(this, 0, [&] { real(this, cond); });
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return AsLock(this, 0, [&] { return real(this, cond, timeout); });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AsLock(this, 0, [&] { return real(this, cond, deadline); });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static auto real =
      Real<void (*)(Mutex*, const Condition&)>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AsLock(this, kRead, [&] { real(this, cond); });
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return AsLock(this, kRead, [&] { return real(this, cond, timeout); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AsLock(this, kRead, [&] { return real(this, cond, deadline); });
}

// Await* and CondVar::Wait* are called with a write lock held (the only way
// Tailor uses them); they release it while waiting and take it again.
void Mutex::Await(const Condition& cond) {
  static auto real = Real<void (*)(Mutex*, const Condition&)>("5Mutex5AwaitERKNS0_9ConditionE");
  AsWait(this, [&] { real(this, cond); });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, absl::Duration timeout) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return AsWait(this, [&] { return real(this, cond, timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, absl::Time deadline) {
  static auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AsWait(this, [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static auto real = Real<void (*)(CondVar*, Mutex*)>("7CondVar4WaitEPNS0_5MutexE");
  AsWait(mu, [&] { real(this, mu); });
}

bool CondVar::WaitWithTimeout(Mutex* mu, absl::Duration timeout) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, absl::Duration)>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return AsWait(mu, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, absl::Time deadline) {
  static auto real = Real<bool (*)(CondVar*, Mutex*, absl::Time)>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return AsWait(mu, [&] { return real(this, mu, deadline); });
}

// A notification publishes everything written before Notify() to every
// thread that has seen it notified. Its own mutex is internal (nested calls).
void Notification::Notify() {
  static auto real = Real<void (*)(Notification*)>("12Notification6NotifyEv");
  __tsan_release(this);
  Outermost outer;
  real(this);
}

void Notification::WaitForNotification() const {
  static auto real = Real<void (*)(const Notification*)>("K12Notification19WaitForNotificationEv");
  {
    Outermost outer;
    real(this);
  }
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(absl::Duration timeout) const {
  static auto real = Real<bool (*)(const Notification*, absl::Duration)>(
      "K12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  bool notified;
  {
    Outermost outer;
    notified = real(this, timeout);
  }
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(absl::Time deadline) const {
  static auto real = Real<bool (*)(const Notification*, absl::Time)>(
      "K12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  bool notified;
  {
    Outermost outer;
    notified = real(this, deadline);
  }
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

// A payload's reference count: each release of a reference publishes the
// releasing thread's accesses; the thread that then frees the payload has
// seen them all (the atomic decrement's acquire-release, which TSan cannot
// see inside the library).
void Status::UnrefNonInlined(uintptr_t rep) {
  static auto real = Real<void (*)(uintptr_t)>("6Status15UnrefNonInlinedEm");
  void* payload = reinterpret_cast<void*>(rep);
  __tsan_release(payload);
  __tsan_acquire(payload);
  real(rep);
}

ABSL_NAMESPACE_END
}  // namespace absl
