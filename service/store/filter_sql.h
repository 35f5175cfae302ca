#pragma once

#include <optional>
#include <string>

#include "store/job_store.h"

namespace wardprint::store {

// A DocumentFilter's lists and patterns as both stores' SQL matches them. Internal to the
// stores (store and pgstore).
struct FilterSql {
  // ",ward-7,ward-8,": a ward matches when ",ward," is found in it.
  std::optional<std::string> wardList;
  // "%part%" for LIKE with '\' as its escape: %, _ and \ in the part match themselves.
  std::optional<std::string> namePattern;
};
FilterSql filterSql(const DocumentFilter& filter);

}  // namespace wardprint::store
