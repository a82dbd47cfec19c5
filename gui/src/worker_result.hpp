// Worker results that survive QtConcurrent. Exceptions crossing a QFuture must derive from
// QException, otherwise Qt rethrows them as QUnhandledException and the message is lost
// ("std::exception"); dotakv::Cancelled would read as a failure. So workers catch inside the
// task and return a WorkerResult: the value, or `cancelled`, or core's error message.
//   watcher.setFuture(QtConcurrent::run([=] { return run_caught([&] { return work(); }); }));
//   const auto r = watcher.result();  // never throws
//   if (r.cancelled) ... else if (!r.ok()) show(r.error); else use(*r.value);
#pragma once
#include <QString>
#include <exception>
#include <optional>
#include <utility>

#include "dotakv/error.hpp"

namespace dotakv::gui {

template <class T>
struct WorkerResult {
  std::optional<T> value;
  bool cancelled = false;
  QString error;  // core's message when neither a value nor cancelled
  bool ok() const { return value.has_value(); }
};

template <class F>
auto run_caught(F&& f) -> WorkerResult<decltype(f())> {
  WorkerResult<decltype(f())> r;
  try {
    r.value.emplace(f());
  } catch (const Cancelled&) {
    r.cancelled = true;
  } catch (const std::exception& e) {
    r.error = QString::fromStdString(e.what());
    if (r.error.isEmpty()) r.error = QStringLiteral("unknown error");
  } catch (...) {
    r.error = QStringLiteral("unknown error");
  }
  return r;
}

}  // namespace dotakv::gui
