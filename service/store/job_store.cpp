// What both stores share: job states by name, the damaged state, and no watching by default.
#include "store/job_store.h"

namespace wardprint::store {

std::unique_ptr<JobStore::Watch> JobStore::watchNewJobs(std::function<void(const std::string& printer)>) {
  return nullptr;
}

const char* toString(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kSubmitting:
      return "submitting";
    case JobState::kPrinting:
      return "printing";
    case JobState::kPrinted:
      return "printed";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

JobState jobStateFromString(const std::string& text) {
  for (const auto state : kAllJobStates) {
    if (text == toString(state)) return state;
  }
  throw StoreError("unknown job state '" + text + "' in the database");
}

std::pair<Acceptance, std::string> JobStore::acceptDischarge(const NewDocument& document,
                                                             const std::optional<NewPrintJob>& job, Millis now) {
  return acceptDischarges({{document, job}}, now).front();
}

std::optional<std::string> JobStore::damage() const {
  std::lock_guard lock(damageMutex_);
  return damage_;
}

void JobStore::recordDamage(const std::string& reason) {
  std::lock_guard lock(damageMutex_);
  if (!damage_) damage_ = reason;
}

void JobStore::refuseIfDamaged() const {
  std::lock_guard lock(damageMutex_);
  if (damage_) throw StoreDamaged(*damage_);
}

}  // namespace wardprint::store
