#include "util/intake_key.h"

#include <Poco/SHA2Engine.h>

namespace wardprint::util {

std::string intakeKey(const std::string& frontDoor, const std::string& externalId) {
  Poco::SHA2Engine sha;
  sha.update(frontDoor + ":" + externalId);
  return Poco::SHA2Engine::digestToHex(sha.digest());
}

}  // namespace wardprint::util
