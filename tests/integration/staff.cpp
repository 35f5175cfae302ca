#include "staff.h"

#include <doctest/doctest.h>

#include "auth/password_hash.h"

namespace wardprint::testsupport {

std::string staffAuthSection(int maxLoginFailures) {
  const auto hash = auth::hashPassword(kStaffPassword, auth::kMinPasswordIterations);
  return "auth:\n"
         "  max_login_failures: " + std::to_string(maxLoginFailures) + "\n"
         "  api_tokens:\n"
         "    - { name: pas-feed, sha256: " + auth::sha256Hex(kFeedToken) + ", role: ward-system }\n"
         "    - { name: ward-8-feed, sha256: " + auth::sha256Hex(kWard8Token) + ", role: ward-system, wards: [ward-8] }\n"
         "  users:\n"
         "    - { name: nurse.jones, password_hash: \"" + hash + "\", role: nurse, wards: [ward-7] }\n"
         "    - { name: admin.lee, password_hash: \"" + hash + "\", role: admin, wards: [ward-7, ward-8] }\n";
}

Headers signInAs(const DaemonUnderTest& daemon, const std::string& name) {
  const auto reply = daemon.post("/v1/session", R"({"name": ")" + name + R"(", "password": ")" + kStaffPassword + "\"}");
  REQUIRE(reply.status == 200);
  return {{"Cookie", reply.setCookie.substr(0, reply.setCookie.find(';'))},
          {"X-CSRF-Token", json(reply.body)->getValue<std::string>("csrf_token")}};
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace wardprint::testsupport
