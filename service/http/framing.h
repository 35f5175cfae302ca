#pragma once

#include <Poco/Net/MessageHeader.h>

#include <optional>
#include <string>

namespace wardprint::http {

// Why a request's framing is ambiguous (RFC 9112 section 6.3), or nullopt when it is not:
// Content-Length together with Transfer-Encoding, more than one Content-Length (even
// "5, 5" in one header), a Content-Length that is not a plain number, or a
// Transfer-Encoding other than chunked. A proxy in front could frame such a request
// differently and smuggle a second request in its body, so it gets 400 and the
// connection is closed.
std::optional<std::string> framingProblem(const Poco::Net::MessageHeader& headers);

}  // namespace wardprint::http
