#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "print/print_queue.h"

namespace wardprint::intake {

// A latency histogram in milliseconds with fixed buckets, as Prometheus expects.
class Histogram {
 public:
  void observe(double millis);
  // Prometheus text lines for `name` (name_bucket, name_sum, name_count), in seconds.
  std::string render(const std::string& name, const std::string& help) const;

 private:
  static constexpr std::array<double, 12> kBoundsMs{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 30000};
  mutable std::mutex mutex_;
  std::array<std::uint64_t, kBoundsMs.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sumMs_ = 0;
};

// The daemon's counters. Thread-safe. Holds no patient data.
class Metrics : public print::PrintEvents {
 public:
  std::atomic<std::uint64_t> eventsAccepted{0};
  std::atomic<std::uint64_t> eventsRepeated{0};
  std::atomic<std::uint64_t> eventsRefused{0};
  std::atomic<std::uint64_t> dischargesCancelled{0};
  std::atomic<std::uint64_t> leafletsRendered{0};
  Histogram renderMs;
  Histogram storeCommitMs;  // one discharge's transaction, until its commit is durable
  Histogram printAcceptMs;  // from the event's arrival to the printer accepting the job

  void jobAccepted(const std::string& printer, std::int64_t sinceCreatedMs) override;
  void jobFinished(const std::string& printer, bool printed) override;
  void printerSeen(const std::string& printer, bool up) override;
  // A discharge recorded but not printed, by its reason code.
  void notPrinted(const std::string& reasonCode);

  // Prometheus text format. `extra` is appended as is (gauges read from the store).
  std::string render(const std::string& extra) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> printed_;
  std::map<std::string, std::uint64_t> failed_;
  std::map<std::string, bool> printerUp_;
  std::map<std::string, std::uint64_t> notPrinted_;
};

}  // namespace wardprint::intake
