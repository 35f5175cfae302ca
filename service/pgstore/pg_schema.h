#pragma once

#include <array>

#include "store/schema.h"

namespace wardprint::pgstore {

// The store's schema in PostgreSQL's SQL: the same numbered migrations as the SQLite
// store's (store/schema.h), one script per version, each giving the same tables. Internal
// to the PostgreSQL store.
extern const std::array<const char*, store::kSchemaVersion> kPostgresMigrations;

}  // namespace wardprint::pgstore
