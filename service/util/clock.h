#pragma once

#include <cstdint>

namespace wardprint::util {

// The daemon's only source of time, passed in so tests can move it. Two readings:
// wall time, for what is stored and shown (and can jump when the system clock is set),
// and a monotonic reading, for deadlines, timeouts and back-off (never jumps).
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t wallMillis() const = 0;
  // Milliseconds since an arbitrary fixed point; only differences mean anything.
  virtual std::int64_t steadyMillis() const = 0;
};

// The system's clocks (CLOCK_REALTIME and CLOCK_MONOTONIC). Lives for the program's life.
const Clock& systemClock();

}  // namespace wardprint::util
