#pragma once

#include <memory>
#include <string>

#include "store/job_store.h"

namespace wardprint::pgstore {

// The store in a PostgreSQL database, shared by any number of daemons (store.postgresql in
// the configuration). `conninfo` is a libpq connection string ("host=... port=... dbname=...
// user=..."); up to `poolSize` connections are opened as they are needed.
//
// Brings the schema up to date (one daemon at a time: the migrations run under a lock),
// and throws StoreError when the server cannot be reached or when its schema is newer
// than this wardprint knows. Later, while the server is down, every call throws
// StoreError; connections are made again when it is back, without a restart.
// What the database enforces, for every daemon at once: one document and one job per
// intake key, an append-only audit log, one retention pass at a time, one lease holder
// per printer (expiring by the database's clock).
std::unique_ptr<store::JobStore> openPostgresStore(const std::string& conninfo, int poolSize);

}  // namespace wardprint::pgstore
