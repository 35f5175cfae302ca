#include "store_backends.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "pgstore/pg_store.h"

namespace wardprint::testsupport {
namespace {

class SqliteUnderTest : public StoreUnderTest {
 public:
  SqliteUnderTest() { store_ = store::JobStore::open(path(), true); }
  std::string backend() const override { return "SQLite"; }
  std::unique_ptr<store::JobStore> openAnother() const override { return store::JobStore::open(path()); }
  bool runSql(const std::string& sql) const override {
    sqlite3* db = nullptr;
    sqlite3_open(path().c_str(), &db);
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
  }

 private:
  std::string path() const { return dir_.path("store.db"); }
  TempDir dir_;
};

class PostgresUnderTest : public StoreUnderTest {
 public:
  PostgresUnderTest() { store_ = openAnother(); }
  std::string backend() const override { return "PostgreSQL"; }
  std::unique_ptr<store::JobStore> openAnother() const override {
    return pgstore::openPostgresStore(server_.connection(), 4);
  }
  bool runSql(const std::string& sql) const override {
    return runProcess({"psql", server_.connection(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql}).exitCode == 0;
  }

 private:
  PgServer server_;
};

}  // namespace

void forEachBackend(const std::function<void(StoreUnderTest&)>& check) {
  {
    SqliteUnderTest sqlite;
    CAPTURE(sqlite.backend());
    check(sqlite);
  }
  PostgresUnderTest postgres;
  CAPTURE(postgres.backend());
  check(postgres);
}

}  // namespace wardprint::testsupport
