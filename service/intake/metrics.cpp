#include "intake/metrics.h"

#include <sstream>

namespace wardprint::intake {

void Histogram::observe(double millis) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kBoundsMs.size(); ++i) {
    if (millis <= kBoundsMs[i]) ++buckets_[i];
  }
  ++count_;
  sumMs_ += millis;
}

std::string Histogram::render(const std::string& name, const std::string& help) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
  for (std::size_t i = 0; i < kBoundsMs.size(); ++i) {
    out << name << "_bucket{le=\"" << kBoundsMs[i] / 1000 << "\"} " << buckets_[i] << "\n";
  }
  out << name << "_bucket{le=\"+Inf\"} " << count_ << "\n";
  out << name << "_sum " << sumMs_ / 1000 << "\n" << name << "_count " << count_ << "\n";
  return out.str();
}

void Metrics::jobAccepted(const std::string&, std::int64_t sinceCreatedMs) {
  printAcceptMs.observe(static_cast<double>(sinceCreatedMs));
}

void Metrics::jobFinished(const std::string& printer, bool printed) {
  std::lock_guard lock(mutex_);
  ++(printed ? printed_ : failed_)[printer];
}

void Metrics::printerSeen(const std::string& printer, bool up) {
  std::lock_guard lock(mutex_);
  printerUp_[printer] = up;
}

void Metrics::notPrinted(const std::string& reasonCode) {
  std::lock_guard lock(mutex_);
  ++notPrinted_[reasonCode];
}

std::string Metrics::render(const std::string& extra) const {
  std::ostringstream out;
  out << "# HELP wardprint_events_total Discharge events received, by outcome.\n"
      << "# TYPE wardprint_events_total counter\n"
      << "wardprint_events_total{outcome=\"accepted\"} " << eventsAccepted << "\n"
      << "wardprint_events_total{outcome=\"repeat\"} " << eventsRepeated << "\n"
      << "wardprint_events_total{outcome=\"refused\"} " << eventsRefused << "\n"
      << "wardprint_events_total{outcome=\"cancelled\"} " << dischargesCancelled << "\n"
      << "# HELP wardprint_leaflets_rendered_total Leaflets rendered.\n"
      << "# TYPE wardprint_leaflets_rendered_total counter\n"
      << "wardprint_leaflets_rendered_total " << leafletsRendered << "\n";
  out << renderMs.render("wardprint_render_seconds", "Time to render one leaflet.");
  out << storeCommitMs.render("wardprint_store_commit_seconds",
                              "Time to store one discharge, until its commit is durable.");
  out << printAcceptMs.render("wardprint_print_accept_seconds",
                              "Time from the print job's creation to the printer accepting it.");
  std::lock_guard lock(mutex_);
  out << "# HELP wardprint_print_jobs_finished_total Print jobs finished since start, by printer and result.\n"
      << "# TYPE wardprint_print_jobs_finished_total counter\n";
  for (const auto& [printer, count] : printed_) {
    out << "wardprint_print_jobs_finished_total{printer=\"" << printer << "\",result=\"printed\"} " << count << "\n";
  }
  for (const auto& [printer, count] : failed_) {
    out << "wardprint_print_jobs_finished_total{printer=\"" << printer << "\",result=\"failed\"} " << count << "\n";
  }
  out << "# HELP wardprint_discharges_not_printed_total Discharges recorded but not printed, by reason.\n"
      << "# TYPE wardprint_discharges_not_printed_total counter\n";
  for (const auto& [reason, count] : notPrinted_) {
    out << "wardprint_discharges_not_printed_total{reason=\"" << reason << "\"} " << count << "\n";
  }
  out << "# HELP wardprint_printer_up Whether the printer answered its last status request.\n"
      << "# TYPE wardprint_printer_up gauge\n";
  for (const auto& [printer, up] : printerUp_) {
    out << "wardprint_printer_up{printer=\"" << printer << "\"} " << (up ? 1 : 0) << "\n";
  }
  return out.str() + extra;
}

}  // namespace wardprint::intake
