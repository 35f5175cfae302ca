#include "leaflet/document_id.h"

#include <doctest/doctest.h>

using wardprint::leaflet::documentIdFor;

TEST_CASE("document ids are stable, short and distinct per event and layout") {
  const auto id = documentIdFor("ADT-000123", "vertebroplasty.en-GB");
  CHECK(id == documentIdFor("ADT-000123", "vertebroplasty.en-GB"));
  CHECK(id.size() == 16);
  CHECK(id.rfind("WP-", 0) == 0);
  CHECK(id.find_first_of("ILOU", 3) == std::string::npos);
  CHECK(id != documentIdFor("ADT-000124", "vertebroplasty.en-GB"));
  CHECK(id != documentIdFor("ADT-000123", "vertebroplasty.en-GB.large"));
}
