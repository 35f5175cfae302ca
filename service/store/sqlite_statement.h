#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/job_store.h"

namespace wardprint::store {

// One prepared statement: bind by position (from 1), step, read columns (from 0).
// Throws StoreError with SQLite's message on failure. Internal to the store.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bindBlob(int index, const std::string& bytes);

  // True while there is a row to read.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool isNull(int column) const;
  std::optional<std::string> optionalText(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

// Runs SQL with no parameters; throws StoreError.
void execute(sqlite3* db, const char* sql);

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() is called.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  void commit();

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace wardprint::store
