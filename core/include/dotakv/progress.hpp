// Progress reporting and cooperative cancellation shared by the CLI and the GUI.
// Long-running core functions take a `Progress*` (may be null). They call report() from any
// thread now and then; report() returning false (or cancel() having been called) makes the
// function throw dotakv::Cancelled at the next safe point, leaving outputs untouched.
#pragma once
#include <atomic>
#include <functional>
#include <string>

namespace dotakv {

class Progress {
 public:
  // callback(done, total, message); may be called from worker threads, keep it cheap.
  using Callback = std::function<void(double done, double total, const std::string& message)>;
  Progress() = default;
  explicit Progress(Callback cb) : callback_(std::move(cb)) {}

  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  // Reports progress; throws Cancelled if cancellation was requested.
  void report(double done, double total, const std::string& message = {});
  // Throws Cancelled if cancellation was requested (cheap; call in loops).
  void check() const;

 private:
  Callback callback_;
  std::atomic<bool> cancelled_{false};
};

// Null-safe helpers for functions taking an optional Progress*.
inline void report(Progress* p, double done, double total, const std::string& msg = {}) {
  if (p) p->report(done, total, msg);
}
inline void check_cancel(const Progress* p) {
  if (p) p->check();
}

}  // namespace dotakv
