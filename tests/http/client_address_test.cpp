#include "http/client_address.h"

#include <doctest/doctest.h>

using wardprint::http::clientAddress;
using wardprint::http::isLoopback;

TEST_CASE("X-Forwarded-For is believed only from a trusted proxy, and only up to the first untrusted hop") {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.5"};
  const struct {
    const char* what;
    std::string peer;
    std::vector<std::string> forwardedFor;
    std::string expected;
  } cases[] = {
      {"no header", "127.0.0.1", {}, "127.0.0.1"},
      {"from the proxy", "127.0.0.1", {"203.0.113.7"}, "203.0.113.7"},
      {"not from a proxy", "198.51.100.2", {"203.0.113.7"}, "198.51.100.2"},
      {"a client's own header passed on by the proxy", "127.0.0.1", {"1.2.3.4, 203.0.113.7"}, "203.0.113.7"},
      {"two proxies in a row", "127.0.0.1", {"203.0.113.7, 10.0.0.5"}, "203.0.113.7"},
      {"two header lines", "127.0.0.1", {"1.2.3.4", "203.0.113.7"}, "203.0.113.7"},
      {"spaces", "127.0.0.1", {"  203.0.113.7  "}, "203.0.113.7"},
      {"IPv6", "127.0.0.1", {"2001:db8::1"}, "2001:db8::1"},
      {"garbage stops at the proxy", "127.0.0.1", {"203.0.113.7, not-an-address"}, "127.0.0.1"},
      {"an empty entry stops at the proxy", "127.0.0.1", {"203.0.113.7,"}, "127.0.0.1"},
      {"only proxies", "127.0.0.1", {"10.0.0.5"}, "10.0.0.5"},
  };
  for (const auto& each : cases) {
    CAPTURE(each.what);
    CHECK(clientAddress(each.peer, each.forwardedFor, proxies) == each.expected);
  }
  CHECK(clientAddress("127.0.0.1", {"203.0.113.7"}, {}) == "127.0.0.1");  // no proxies configured
}

TEST_CASE("loopback addresses are 127.0.0.0/8 and ::1") {
  CHECK(isLoopback("127.0.0.1"));
  CHECK(isLoopback("127.0.0.2"));
  CHECK(isLoopback("::1"));
  CHECK_FALSE(isLoopback("203.0.113.7"));
  CHECK_FALSE(isLoopback("10.0.0.5"));
  CHECK_FALSE(isLoopback("not-an-address"));
}
