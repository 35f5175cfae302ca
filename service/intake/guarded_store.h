#pragma once

#include "intake/intake.h"
#include "store/job_store.h"
#include "util/log.h"

namespace wardprint::intake {

// Runs a store call; a store that cannot be used becomes StorageUnavailable (a damaged
// one is marked so, and refuses writes from then on), logged as an error.
template <typename Work>
auto guarded(store::JobStore& store, const util::Log& log, Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const store::StoreDamaged& damaged) {
    store.recordDamage(damaged.what());
    log.error(std::string("store: damaged, every write is refused: ") + damaged.what());
    throw StorageUnavailable(damaged.what(), true);
  } catch (const store::StoreError& error) {
    log.error(std::string("store: cannot be used: ") + error.what());
    throw StorageUnavailable(error.what(), false);
  }
}

}  // namespace wardprint::intake
