#include "store/filter_sql.h"

namespace wardprint::store {

FilterSql filterSql(const DocumentFilter& filter) {
  FilterSql sql;
  if (filter.wards) {
    sql.wardList = ",";
    for (const auto& ward : *filter.wards) *sql.wardList += ward + ",";
  }
  if (filter.nameContains) {
    sql.namePattern = "%";
    for (const char c : *filter.nameContains) {
      if (c == '%' || c == '_' || c == '\\') *sql.namePattern += '\\';
      *sql.namePattern += c;
    }
    *sql.namePattern += "%";
  }
  return sql;
}

}  // namespace wardprint::store
