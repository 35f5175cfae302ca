// sd_notify's protocol, against a real datagram socket standing in for systemd's.
#include "util/service_manager.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "../test_support.h"

TEST_CASE("the service manager is told READY=1 on the socket in NOTIFY_SOCKET, and nothing breaks without one") {
  ::unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(wardprint::util::notifyServiceManager("READY=1"));

  wardprint::testsupport::TempDir dir;
  const auto path = dir.path("notify");
  const int listener = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof address.sun_path);
  std::memcpy(address.sun_path, path.data(), path.size());
  REQUIRE(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);

  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  CHECK(wardprint::util::notifyServiceManager("READY=1"));
  ::unsetenv("NOTIFY_SOCKET");
  char received[64] = {};
  const auto got = ::recv(listener, received, sizeof received - 1, MSG_DONTWAIT);
  ::close(listener);
  CHECK(std::string(received, got > 0 ? static_cast<std::size_t>(got) : 0) == "READY=1");
}
