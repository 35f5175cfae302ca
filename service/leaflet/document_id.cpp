#include "leaflet/document_id.h"

#include <Poco/SHA2Engine.h>

namespace wardprint::leaflet {

std::string documentIdFor(const std::string& eventId, const std::string& layoutId) {
  // Crockford's alphabet: no I, L, O or U, so ids survive being read aloud or retyped.
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  constexpr int kLength = 13;
  Poco::SHA2Engine sha;
  sha.update(eventId + '\n' + layoutId);
  const auto& digest = sha.digest();
  std::string id = "WP-";
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; id.size() < 3 + kLength; ++i) {
    buffer = (buffer << 8) | digest[i];
    bits += 8;
    while (bits >= 5 && id.size() < 3 + kLength) {
      id += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

}  // namespace wardprint::leaflet
