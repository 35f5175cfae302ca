// An LD_PRELOAD shim for the clock-jump tests: moves CLOCK_REALTIME (what
// std::chrono::system_clock reads) by the whole seconds written in the file named by
// WARDPRINT_CLOCK_SHIFT_FILE ("8640000", "-86400"), re-read at most every 100 ms so a test
// can move the clock of a running daemon. The monotonic clock is left alone, as a real
// clock change leaves it.
#include <dlfcn.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace {

using ClockGettime = int (*)(clockid_t, timespec*);

ClockGettime realClockGettime() {
  static const auto real = reinterpret_cast<ClockGettime>(dlsym(RTLD_NEXT, "clock_gettime"));
  return real;
}

std::atomic<long long> shiftSeconds{0};
std::atomic<long long> readAtMillis{-1000000};

long long shift() {
  timespec now{};
  realClockGettime()(CLOCK_MONOTONIC, &now);
  const long long millis = now.tv_sec * 1000LL + now.tv_nsec / 1000000;
  if (millis - readAtMillis.load() < 100) return shiftSeconds;
  readAtMillis = millis;
  const char* path = std::getenv("WARDPRINT_CLOCK_SHIFT_FILE");
  if (!path) return shiftSeconds;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return shiftSeconds;
  char text[32] = {};
  const auto got = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (got > 0) shiftSeconds = std::strtoll(text, nullptr, 10);
  return shiftSeconds;
}

}  // namespace

extern "C" int clock_gettime(clockid_t clock, timespec* time) {
  const int result = realClockGettime()(clock, time);
  if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) time->tv_sec += shift();
  return result;
}
