#include "hl7/mapping_config.h"

namespace wardprint::hl7 {

std::set<std::string> defaultDiedDispositions() {
  return {"Dead", "Died", "Deceased", "Expired", "4", "5", "79"};
}

}  // namespace wardprint::hl7
