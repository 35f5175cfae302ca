#pragma once

// The store suite runs against both backends: each case is given a fresh SQLite store and
// a fresh PostgreSQL store (a throwaway server of its own), one after the other.

#include <functional>
#include <memory>
#include <string>

#include "../support/pg_server.h"
#include "store/job_store.h"

namespace wardprint::testsupport {

// A fresh store of one backend, and the way to open a second one on the same data (as a
// second daemon would).
class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;
  virtual std::string backend() const = 0;
  virtual std::unique_ptr<store::JobStore> openAnother() const = 0;
  // Runs SQL straight on the database, outside the store; false when the database refused it.
  virtual bool runSql(const std::string& sql) const = 0;
  store::JobStore& store() { return *store_; }

 protected:
  std::unique_ptr<store::JobStore> store_;
};

// Calls `check` with a fresh SQLite store, then with a fresh PostgreSQL store.
void forEachBackend(const std::function<void(StoreUnderTest&)>& check);

}  // namespace wardprint::testsupport
