#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wardprint::auth {

// Who a user or an API token is, and what each may do (the daemon's auth section).
enum class Role { kNurse, kAdmin, kWardSystem };

// "nurse", "admin", "ward-system".
const char* toString(Role role);

struct UserConfig {
  std::string name;
  std::string passwordHash;  // from `wardprint hash-password`
  Role role = Role::kNurse;
  std::vector<std::string> wards;
};

struct ApiTokenConfig {
  std::string name;
  std::string sha256;  // lower-case hex SHA-256 of the token; the token itself is never stored
  Role role = Role::kWardSystem;
  std::optional<std::vector<std::string>> wards;  // absent: every ward
};

struct AuthConfig {
  int sessionIdleMinutes = 30;
  int maxLoginFailures = 5;     // in a row, per (name, address) or per address, before sign-in is refused
  int lockoutSeconds = 300;     // for that long
  std::vector<UserConfig> users;
  std::vector<ApiTokenConfig> apiTokens;
};

}  // namespace wardprint::auth
