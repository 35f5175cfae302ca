#include "util/wakeup.h"

namespace wardprint::util {

bool Wakeup::sleep(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return woken_ || stopped_; });
  woken_ = false;
  return !stopped_;
}

void Wakeup::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void Wakeup::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

void Wakeup::restart() {
  std::lock_guard lock(mutex_);
  stopped_ = false;
  woken_ = false;
}

bool Wakeup::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

}  // namespace wardprint::util
