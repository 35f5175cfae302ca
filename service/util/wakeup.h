#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wardprint::util {

// How a background thread sleeps between rounds: until a timeout passes, until it is woken
// (new work), or until it is told to stop. Thread-safe; one thread sleeps, any may wake it.
class Wakeup {
 public:
  // Sleeps up to `timeout`, less if wake() was called since the last sleep or stop() is
  // called. Returns false once stopped (at once, without sleeping).
  bool sleep(std::chrono::milliseconds timeout);
  // Ends the current (or next) sleep early.
  void wake();
  // Ends every sleep, now and later, until restart().
  void stop();
  void restart();
  bool stopped() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool stopped_ = false;
};

}  // namespace wardprint::util
