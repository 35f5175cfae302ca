// A store file that includes only what the store may: the module check must pass it.
#include <sqlite3.h>

#include "store/job_store.h"
#include "util/clock.h"
