// A store file that reaches up to a front door: the module check must refuse it.
#include "http/api_router.h"
#include "store/job_store.h"
