#include "http/client_address.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>

#include <algorithm>
#include <optional>

namespace wardprint::http {
namespace {

std::optional<std::string> normalAddress(const std::string& text) {
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(Poco::trim(text), address)) return std::nullopt;
  return address.toString();
}

// Every comma-separated entry of the headers, left to right.
std::vector<std::string> entries(const std::vector<std::string>& headers) {
  std::vector<std::string> all;
  for (const auto& header : headers) {
    std::size_t start = 0;
    while (start <= header.size()) {
      const auto comma = std::min(header.find(',', start), header.size());
      all.push_back(header.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return all;
}

}  // namespace

std::string clientAddress(const std::string& peer, const std::vector<std::string>& forwardedFor,
                          const std::vector<std::string>& trustedProxies) {
  const auto trusted = [&](const std::string& address) {
    return std::find(trustedProxies.begin(), trustedProxies.end(), address) != trustedProxies.end();
  };
  std::string client = normalAddress(peer).value_or(peer);
  const auto hops = entries(forwardedFor);
  for (auto hop = hops.rbegin(); hop != hops.rend() && trusted(client); ++hop) {
    const auto address = normalAddress(*hop);
    if (!address) break;
    client = *address;
  }
  return client;
}

bool isLoopback(const std::string& address) {
  Poco::Net::IPAddress parsed;
  return Poco::Net::IPAddress::tryParse(address, parsed) && parsed.isLoopback();
}

}  // namespace wardprint::http
