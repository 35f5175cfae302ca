#include "auth/auth_config.h"

namespace wardprint::auth {

const char* toString(Role role) {
  switch (role) {
    case Role::kNurse:
      return "nurse";
    case Role::kAdmin:
      return "admin";
    case Role::kWardSystem:
      return "ward-system";
  }
  return "unknown";
}

}  // namespace wardprint::auth
