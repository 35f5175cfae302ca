#include "http/framing.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace wardprint::http {

std::optional<std::string> framingProblem(const Poco::Net::MessageHeader& headers) {
  int lengths = 0;
  int encodings = 0;
  for (const auto& [name, value] : headers) {
    if (Poco::icompare(name, "Content-Length") == 0) {
      ++lengths;
      if (value.empty() || !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return "Content-Length must be one plain number";
      }
    } else if (Poco::icompare(name, "Transfer-Encoding") == 0) {
      ++encodings;
      if (Poco::icompare(Poco::trim(value), "chunked") != 0) return "the only Transfer-Encoding accepted is chunked";
    }
  }
  if (lengths > 1) return "more than one Content-Length";
  if (encodings > 1) return "more than one Transfer-Encoding";
  if (lengths && encodings) return "both Content-Length and Transfer-Encoding";
  return std::nullopt;
}

}  // namespace wardprint::http
