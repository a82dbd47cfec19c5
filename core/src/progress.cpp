#include "dotakv/progress.hpp"

#include "dotakv/error.hpp"

namespace dotakv {
void Progress::report(double done, double total, const std::string& message) {
  if (callback_) callback_(done, total, message);
  check();
}
void Progress::check() const {
  if (cancelled()) throw Cancelled();
}
}  // namespace dotakv
