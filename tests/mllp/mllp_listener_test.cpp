// The MLLP listener on a real loopback socket, with a handler that answers each message
// with its length, so that every answer can be matched to what was sent.

#include "mllp/mllp_listener.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "../integration/mllp_client.h"
#include "../test_support.h"

using namespace wardprint;
using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

struct Listening {
  std::mutex mutex;
  std::vector<std::string> logLines;
  std::atomic<int> handled{0};
  mllp::MllpListener listener;

  explicit Listening(mllp::ListenerSettings settings)
      : listener(
            [&] {
              settings.port = 0;
              return settings;
            }(),
            [this](const std::string& message, const std::string&) {
              ++handled;
              return "ACK " + std::to_string(message.size());
            },
            util::Log(util::LogLevel::kDebug, [this](util::LogLevel, const std::string& line) {
              std::lock_guard lock(mutex);
              logLines.push_back(line);
            })) {
    listener.start();
  }
  std::string log() {
    std::lock_guard lock(mutex);
    std::string all;
    for (const auto& line : logLines) all += line + "\n";
    return all;
  }
};

mllp::ListenerSettings quick() {
  mllp::ListenerSettings settings;
  settings.maxMessageBytes = 1000;
  settings.frameTimeout = 1s;
  settings.idleTimeout = 2s;
  settings.maxConnectionsPerAddress = 3;
  return settings;
}

}  // namespace

TEST_CASE("MLLP listener: many messages in turn on one connection, each answered before the next") {
  Listening server(quick());
  MllpClient engine(server.listener.port());
  CHECK(engine.exchange("MSH|one\r") == "ACK 8");
  CHECK(engine.exchange("MSH|second\nPID|1\n") == "ACK 17");
  // NULs and blank lines between frames are skipped; a frame split across writes is whole.
  REQUIRE(engine.sendRaw(std::string("\0\0\r\n", 4) + "\x0b" + "MSH|th"));
  std::this_thread::sleep_for(50ms);
  REQUIRE(engine.sendRaw("ird\r\n\x1c\x0d"));
  CHECK(engine.receive() == "ACK 11");
  CHECK(server.handled == 3);
}

TEST_CASE("MLLP listener: a client that opens a frame and stops does not hold up another") {
  Listening server(quick());
  MllpClient stuck(server.listener.port());
  REQUIRE(stuck.sendRaw("\x0bMSH|never ends"));
  MllpClient engine(server.listener.port());
  CHECK(engine.exchange("MSH|x\r") == "ACK 6");
  // The open frame is cut off at the frame timeout and the connection closed.
  CHECK(stuck.closedWithin(5s));
  CHECK(server.log().find("frame timeout") != std::string::npos);
  CHECK(server.log().find("never ends") == std::string::npos);  // no content in the log
}

TEST_CASE("MLLP listener: garbage, an oversize message and an idle client close that connection only") {
  Listening server(quick());
  SUBCASE("bytes outside a frame") {
    MllpClient hostile(server.listener.port());
    REQUIRE(hostile.sendRaw("GET / HTTP/1.1\r\n\r\n"));
    CHECK(hostile.closedWithin(5s));
    CHECK(server.log().find("outside an MLLP frame") != std::string::npos);
  }
  SUBCASE("a message past hl7.max_message_bytes") {
    MllpClient hostile(server.listener.port());
    hostile.sendRaw("\x0b" + std::string(10 * 1024 * 1024, 'A') + "\x1c\x0d");
    CHECK(hostile.closedWithin(5s));
    CHECK(server.log().find("longer than hl7.max_message_bytes") != std::string::npos);
  }
  SUBCASE("a connection opened and left idle") {
    MllpClient idle(server.listener.port());
    CHECK(idle.closedWithin(6s));
    CHECK(server.log().find("idle") != std::string::npos);
  }
  CHECK(server.handled == 0);
  MllpClient engine(server.listener.port());
  CHECK(engine.exchange("MSH|after\r") == "ACK 10");
}

TEST_CASE("MLLP listener: one address may hold only its share of connections") {
  Listening server(quick());
  std::vector<std::unique_ptr<MllpClient>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<MllpClient>(server.listener.port(), "127.0.0.2"));
  MllpClient oneTooMany(server.listener.port(), "127.0.0.2");
  CHECK(oneTooMany.closedWithin(5s));
  CHECK(server.log().find("too many connections") != std::string::npos);
  MllpClient other(server.listener.port(), "127.0.0.3");
  CHECK(other.exchange("MSH|other\r") == "ACK 10");
  CHECK(held[0]->exchange("MSH|held\r") == "ACK 9");
}

TEST_CASE("MLLP listener: a port already taken is an error naming the address") {
  Listening first(quick());
  auto settings = quick();
  settings.port = first.listener.port();
  mllp::MllpListener second(settings, [](const std::string&, const std::string&) { return std::string(); },
                            util::Log());
  CHECK_THROWS_WITH_AS(second.start(), doctest::Contains(("127.0.0.1:" + std::to_string(settings.port)).c_str()),
                       std::runtime_error);
}
