#include "util/clock.h"

#include <chrono>

namespace wardprint::util {
namespace {

template <typename ClockType>
std::int64_t millisOf() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(ClockType::now().time_since_epoch()).count();
}

class SystemClock : public Clock {
 public:
  std::int64_t wallMillis() const override { return millisOf<std::chrono::system_clock>(); }
  std::int64_t steadyMillis() const override { return millisOf<std::chrono::steady_clock>(); }
};

}  // namespace

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace wardprint::util
