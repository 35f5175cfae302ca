#include "mllp/mllp_listener.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "hl7/mllp.h"
#include "tls/tls.h"

namespace wardprint::mllp {

namespace {

using Clock = std::chrono::steady_clock;

// How often a waiting thread looks at its deadlines and at stop().
constexpr auto kPollInterval = std::chrono::milliseconds(200);

struct Connection {
  Poco::Net::StreamSocket socket;
  std::string address;  // the client's host, for the per-address cap and the log
  std::thread thread;
  std::atomic<bool> finished{false};
};

}  // namespace

struct MllpListener::State {
  ListenerSettings settings;
  MessageHandler handler;
  util::Log log;
  Poco::Net::ServerSocket server;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::mutex mutex;  // guards connections and perAddress
  std::list<std::unique_ptr<Connection>> connections;
  std::map<std::string, int> perAddress;

  void acceptLoop();
  void serve(Connection& connection);
  bool sendAll(Poco::Net::StreamSocket& socket, const std::string& bytes);
  void reapFinished();
};

namespace {

// What was wrong with the bytes a client sent, for the log.
std::string describe(const hl7::MllpEvent& event) {
  switch (event.kind) {
    case hl7::MllpEvent::Kind::kGarbage:
      return std::to_string(event.bytes) + " bytes outside an MLLP frame";
    case hl7::MllpEvent::Kind::kOversize:
      return "a message longer than hl7.max_message_bytes";
    case hl7::MllpEvent::Kind::kUnterminated:
      return "a frame without its end bytes";
    case hl7::MllpEvent::Kind::kFrame:
      break;
  }
  return "";
}

}  // namespace

MllpListener::MllpListener(ListenerSettings settings, MessageHandler handler, util::Log log)
    : state_(std::make_shared<State>()) {
  state_->settings = std::move(settings);
  state_->handler = std::move(handler);
  state_->log = std::move(log);
}

MllpListener::~MllpListener() { stop(); }

void MllpListener::start() {
  const auto& settings = state_->settings;
  try {
    // The TLS handshake happens at a connection's first read, inside serve()'s timeouts.
    state_->server = tls::listen({settings.host, settings.port, settings.tls, "hl7.mllp.tls", true});
  } catch (const Poco::Exception& error) {
    throw std::runtime_error("cannot listen for MLLP on " + settings.host + ":" + std::to_string(settings.port) + ": " +
                             error.displayText());
  }
  state_->stopping = false;
  state_->acceptor = std::thread([state = state_] { state->acceptLoop(); });
}

void MllpListener::stop() {
  auto& state = *state_;
  if (!state.acceptor.joinable()) return;
  state.stopping = true;
  state.acceptor.join();
  state.server.close();
  std::lock_guard lock(state.mutex);
  for (auto& connection : state.connections) {
    // Wakes a thread blocked in a receive; one sending an answer finishes it first.
    try {
      connection->socket.shutdownReceive();
    } catch (const Poco::Exception&) {
      // already closed by the client
    }
  }
  for (auto& connection : state.connections) connection->thread.join();
  state.connections.clear();
  state.perAddress.clear();
}

int MllpListener::port() const { return state_->server.address().port(); }

void MllpListener::State::acceptLoop() {
  while (!stopping) {
    reapFinished();
    try {
      if (!server.poll(Poco::Timespan(kPollInterval.count() * 1000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket socket = server.acceptConnection();
      const auto address = socket.peerAddress().host().toString();
      std::lock_guard lock(mutex);
      if (static_cast<int>(connections.size()) >= settings.maxConnections ||
          perAddress[address] >= settings.maxConnectionsPerAddress) {
        log.warning("mllp: refused a connection from " + address + ": too many connections");
        socket.close();
        continue;
      }
      ++perAddress[address];
      log.info("mllp: connection from " + address);
      auto connection = std::make_unique<Connection>();
      connection->socket = socket;
      connection->address = address;
      Connection* self = connection.get();
      connection->thread = std::thread([this, self] {
        serve(*self);
        self->finished = true;
      });
      connections.push_back(std::move(connection));
    } catch (const Poco::Exception& error) {
      log.error("mllp: could not accept a connection: " + error.displayText());
    }
  }
}

void MllpListener::State::reapFinished() {
  std::lock_guard lock(mutex);
  for (auto it = connections.begin(); it != connections.end();) {
    if (!(*it)->finished) {
      ++it;
      continue;
    }
    (*it)->thread.join();
    if (--perAddress[(*it)->address] == 0) perAddress.erase((*it)->address);
    it = connections.erase(it);
  }
}

bool MllpListener::State::sendAll(Poco::Net::StreamSocket& socket, const std::string& bytes) {
  const auto deadline = Clock::now() + settings.frameTimeout;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (Clock::now() > deadline) return false;
    try {
      const int wrote = socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (wrote <= 0) return false;
      sent += static_cast<std::size_t>(wrote);
    } catch (const Poco::TimeoutException&) {
      // the client is not reading: look at the deadline again
    } catch (const Poco::Exception&) {
      return false;
    }
  }
  return true;
}

void MllpListener::State::serve(Connection& connection) {
  auto& socket = connection.socket;
  hl7::MllpDecoder decoder(settings.maxMessageBytes);
  auto lastByte = Clock::now();
  auto frameStarted = Clock::now();
  bool wasInsideFrame = false;
  std::string reason;  // why the listener closes the connection; empty when the client did
  try {
    socket.setReceiveTimeout(Poco::Timespan(kPollInterval.count() * 1000));
    socket.setSendTimeout(Poco::Timespan(kPollInterval.count() * 1000));
    socket.setNoDelay(true);
    char buffer[16384];
    while (!stopping && reason.empty()) {
      int got = 0;
      try {
        got = socket.receiveBytes(buffer, sizeof buffer);
        if (got <= 0) break;  // the client closed the connection
      } catch (const Poco::TimeoutException&) {
        const auto now = Clock::now();
        if (decoder.insideFrame() && now - frameStarted > settings.frameTimeout) {
          reason = "a message not finished within the frame timeout";
        } else if (now - lastByte > settings.idleTimeout) {
          reason = "idle";
        }
        continue;
      }
      lastByte = Clock::now();
      bool answered = false;
      for (const auto& event : decoder.feed(std::string_view(buffer, static_cast<std::size_t>(got)))) {
        if (event.kind == hl7::MllpEvent::Kind::kUnterminated) {
          log.warning("mllp: " + connection.address + " sent " + describe(event) + "; it was dropped");
          continue;
        }
        if (event.kind != hl7::MllpEvent::Kind::kFrame) {
          reason = describe(event);
          break;
        }
        const auto answer = handler(event.payload, connection.address);
        if (!answer.empty() && !sendAll(socket, hl7::encodeMllpFrame(answer))) {
          reason = "an acknowledgement the client did not read";
          break;
        }
        answered = true;
      }
      if (decoder.insideFrame() && (!wasInsideFrame || answered)) frameStarted = lastByte;
      wasInsideFrame = decoder.insideFrame();
    }
  } catch (const Poco::Exception& error) {
    reason = error.displayText();
  }
  if (!stopping && reason.empty()) log.info("mllp: " + connection.address + " closed its connection");
  if (!stopping && !reason.empty()) log.warning("mllp: closed the connection from " + connection.address + ": " + reason);
  try {
    socket.close();
  } catch (const Poco::Exception&) {
    // nothing left to close
  }
}

}  // namespace wardprint::mllp
