// Connections that hold the daemon's threads: slow clients from many addresses (the
// reserve), the whole-request deadline on every request of a kept-alive connection and on
// request bodies, and framing checked on every request (issue 9).

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <thread>
#include <utility>

#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// A kept-alive connection from 127.0.0.1, read and written as a client would.
class KeptAlive {
 public:
  explicit KeptAlive(int port) : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {
    socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  }

  // Sends bytes; false once the daemon has closed the connection.
  bool send(const std::string& bytes) {
    std::signal(SIGPIPE, SIG_IGN);
    try {
      socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  }

  // One whole answer (head and Content-Length body), or what came before the connection
  // closed.
  std::string readAnswer() {
    while (true) {
      const auto end = received_.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto at = received_.find("Content-Length: ");
        const auto length = at < end ? std::stoul(received_.substr(at + 16)) : 0;
        if (received_.size() >= end + 4 + length) {
          auto answer = received_.substr(0, end + 4 + length);
          received_.erase(0, answer.size());
          return answer;
        }
      }
      if (!receive()) return std::exchange(received_, "");
    }
  }

  // Whatever the daemon has sent by now, without waiting; `closed` is set once it has
  // closed the connection.
  std::string poll() {
    while (socket_.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) && receive()) {
    }
    return received_;
  }
  bool closed() const { return closed_; }

  // Reads until the daemon closes the connection (or 10 s pass); returns all it sent.
  std::string readToClose() {
    while (receive()) {
    }
    return received_;
  }

 private:
  bool receive() {
    char buffer[4096];
    try {
      const int got = socket_.receiveBytes(buffer, sizeof buffer);
      if (got > 0) {
        received_.append(buffer, static_cast<std::size_t>(got));
        return true;
      }
    } catch (const Poco::TimeoutException&) {
      return false;
    } catch (const Poco::Exception&) {
      // reset by the daemon: closed
    }
    closed_ = true;
    return false;
  }

  Poco::Net::StreamSocket socket_;
  std::string received_;
  bool closed_ = false;
};

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// The daemon of `setup` with server settings in place of the harness's "threads: 8".
void configureServer(TwoWards& setup, const std::string& settings) {
  writeFile(setup.daemon.configPath(),
            replaceOnce(readFile(setup.daemon.configPath()), "threads: 8 }", settings + " }"));
}

}  // namespace

TEST_CASE("slow clients from many addresses holding every connection: /healthz and new events are still answered") {
  TwoWards setup;
  // 16 connections; 4 per address, so 11 addresses could hold them all. A long request
  // timeout, so that only the reserve can save the checks below.
  configureServer(setup, "threads: 4, max_connections: 16, max_connections_per_address: 4, request_timeout_seconds: 120");
  setup.daemon.start();
  const int port = setup.daemon.port();
  std::vector<std::unique_ptr<SlowClient>> clients;
  for (int i = 0; i < 44; ++i) {
    clients.push_back(std::make_unique<SlowClient>("127.0.0." + std::to_string(2 + i % 11), port));
  }
  std::atomic<bool> done{false};
  std::atomic<int> closed{0};
  std::thread trickler([&] {
    while (!done) {
      int gone = 0;
      for (auto& client : clients) gone += client->trickle() ? 0 : 1;
      closed = gone;
      std::this_thread::sleep_for(300ms);
    }
  });
  // The slow clients take every place that waits for a request head (16 less the
  // reserve of 2); the others are turned away within a second or two.
  const bool settled = waitUntil([&] { return closed >= 44 - 14; }, 20s);
  CHECK(settled);
  const auto started = std::chrono::steady_clock::now();
  HttpReply health;
  HttpReply event;
  try {  // a daemon that does not answer must fail the test, not abort it
    health = setup.daemon.get("/healthz");
    event = setup.daemon.post("/v1/discharges", sampleEvent("RESERVE-1"));
  } catch (const std::exception& error) {
    FAIL_CHECK("no answer: " << error.what());
  }
  const auto took = std::chrono::steady_clock::now() - started;
  const int stillHeld = 44 - closed;
  done = true;
  trickler.join();
  CHECK(health.status == 200);
  CHECK(event.status == 202);
  CHECK(stillHeld >= 10);  // the slow clients did hold most connections meanwhile
  INFO("answered in " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < 10s);  // liveness, not speed
}

TEST_CASE("a later request on a kept-alive connection must arrive whole within server.request_timeout_seconds") {
  TwoWards setup;
  configureServer(setup, "threads: 8, request_timeout_seconds: 2");
  setup.daemon.start();
  KeptAlive connection(setup.daemon.port());
  REQUIRE(connection.send(kHealth));
  REQUIRE(connection.readAnswer().rfind("HTTP/1.1 200", 0) == 0);
  // A byte every 200 ms restarts POCO's own receive timeout each time.
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  const auto started = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  const bool cut = waitUntil(
      [&] {
        std::this_thread::sleep_for(200ms);
        return !connection.send(std::string(1, sent < head.size() ? head[sent++] : 'a'));
      },
      20s);
  CHECK(cut);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK(setup.daemon.get("/healthz").status == 200);
}

TEST_CASE("a request body trickled a byte at a time is cut off at server.request_timeout_seconds") {
  TwoWards setup;
  configureServer(setup, "threads: 8, request_timeout_seconds: 2");
  setup.daemon.start();
  KeptAlive connection(setup.daemon.port());
  SUBCASE("on a connection's first request") {}
  SUBCASE("on a later request of a kept-alive connection") {
    REQUIRE(connection.send(kHealth));
    REQUIRE(connection.readAnswer().rfind("HTTP/1.1 200", 0) == 0);
  }
  REQUIRE(connection.send(
      "POST /v1/discharges HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"));
  const auto started = std::chrono::steady_clock::now();
  const bool ended = waitUntil(
      [&] {
        std::this_thread::sleep_for(200ms);
        return !connection.send(" ") || !connection.poll().empty() || connection.closed();
      },
      20s);
  CHECK(ended);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  // Answered 408, or simply closed; never accepted.
  const auto answer = connection.readToClose();
  CAPTURE(answer);
  CHECK((answer.empty() || answer.rfind("HTTP/1.1 408", 0) == 0));
  CHECK(setup.daemon.get("/v1/discharges").body == R"({"discharges":[]})");
  CHECK(setup.daemon.get("/healthz").status == 200);
}

TEST_CASE("ambiguous framing on a later request of a kept-alive connection gets 400 and the connection is closed") {
  TwoWards setup;
  setup.daemon.start();
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const auto& request : ambiguouslyFramed(sampleEvent("FRAMING-LATER-1"), smuggled)) {
    CAPTURE(request.substr(0, request.find("\r\n\r\n")));
    KeptAlive connection(setup.daemon.port());
    REQUIRE(connection.send(kHealth));
    REQUIRE(connection.readAnswer().rfind("HTTP/1.1 200", 0) == 0);
    connection.send(request);
    const auto answer = connection.readToClose();
    CAPTURE(answer);
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(countOccurrences(answer, "HTTP/1.1 ") == 1);  // the smuggled request got no answer
    CHECK(connection.closed());
  }
  CHECK(setup.daemon.get("/v1/discharges?limit=10").body.find("FRAMING-LATER-1") == std::string::npos);
}
