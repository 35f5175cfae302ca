#pragma once

#include <string>
#include <vector>

namespace wardprint::http {

// The address a request really comes from. That is the connection's `peer`, unless the
// peer is one of `trustedProxies` (server.trusted_proxies): then X-Forwarded-For is read
// from its right-hand end, skipping the trusted proxies, and the first other address is
// the client. An entry that is not an IP address ends the walk at the proxy that sent it,
// so a client can never name itself an address by writing the header itself.
// `forwardedFor` holds each X-Forwarded-For header's value, in the order received.
std::string clientAddress(const std::string& peer, const std::vector<std::string>& forwardedFor,
                          const std::vector<std::string>& trustedProxies);

// Whether `address` is a loopback address (127.0.0.0/8, ::1).
bool isLoopback(const std::string& address);

}  // namespace wardprint::http
