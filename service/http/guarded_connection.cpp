#include "http/guarded_connection.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http/framing.h"
#include "tls/tls.h"

namespace wardprint::http {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;
// How long a connection that finds every waiting place taken may take over its head.
constexpr std::chrono::seconds kReserveGrace{1};

using SteadyClock = std::chrono::steady_clock;

int millisUntil(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 24 * 3600 * 1000));
}

// True once a byte can be read (or the client closed) before `deadline`.
bool awaitByte(int fd, SteadyClock::time_point deadline) {
  pollfd ready{fd, POLLIN, 0};
  return ::poll(&ready, 1, millisUntil(deadline)) > 0;
}

// Waits, without consuming anything, until the request's whole head (up to the blank
// line) has arrived; returns it, or nullopt when the client closed the connection, sent
// more than kMaxHeadBytes of head, or did not finish before `deadline`. POCO 1.11 times
// out each receive on its own, so a client sending a byte every few seconds could hold a
// connection for ever; this bounds the whole head.
std::optional<std::string> peekHead(int fd, SteadyClock::time_point deadline) {
  std::string head(kMaxHeadBytes, '\0');
  std::size_t seen = 0;
  while (true) {
    // Wake only when more than what was already seen has arrived.
    const int lowWater = static_cast<int>(seen + 1);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowWater, sizeof lowWater);
    if (millisUntil(deadline) <= 0 || !awaitByte(fd, deadline)) return std::nullopt;
    const auto got = ::recv(fd, head.data(), head.size(), MSG_PEEK);
    if (got <= 0) return std::nullopt;
    seen = static_cast<std::size_t>(got);
    const auto end = std::string_view(head.data(), seen).find("\r\n\r\n");
    if (end != std::string_view::npos) {
      const int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
      return head.substr(0, end + 2);
    }
    if (seen >= head.size()) return std::nullopt;
  }
}

// Why the raw head's framing is ambiguous, or nullopt. Checked on the raw lines because
// POCO cannot read "Content-Length: 5, 5" and drops the connection without a word.
std::optional<std::string> rawFramingProblem(const std::string& head) {
  Poco::Net::MessageHeader headers;
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const auto next = head.find("\r\n", at + 2);
    const auto line = head.substr(at + 2, next - at - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      const auto first = value.find_first_not_of(" \t");
      const auto last = value.find_last_not_of(" \t");
      headers.add(line.substr(0, colon), first == std::string::npos ? "" : value.substr(first, last - first + 1));
    }
    at = next;
  }
  return framingProblem(headers);
}

// Shuts the reading side of connections whose request is past its deadline, so a body
// trickled a byte at a time ends there: the handler reading it sees it cut short.
class Deadlines {
 public:
  Deadlines() : thread_([this] { watch(); }) {}
  ~Deadlines() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Deadlines(const Deadlines&) = delete;
  Deadlines& operator=(const Deadlines&) = delete;

  // Watches `fd` until `deadline`, for as long as the returned guard lives; the guard
  // says whether the deadline passed.
  class Armed {
   public:
    Armed(Deadlines& owner, int fd, SteadyClock::time_point deadline) : owner_(owner), fd_(fd) {
      std::lock_guard lock(owner_.mutex_);
      owner_.watched_[fd_] = {deadline, false};
      owner_.wake_.notify_all();
    }
    ~Armed() {
      std::lock_guard lock(owner_.mutex_);
      owner_.watched_.erase(fd_);
    }
    Armed(const Armed&) = delete;
    Armed& operator=(const Armed&) = delete;
    bool expired() const {
      std::lock_guard lock(owner_.mutex_);
      return owner_.watched_.at(fd_).second;
    }

   private:
    Deadlines& owner_;
    int fd_;
  };

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      auto next = SteadyClock::now() + std::chrono::seconds(60);
      for (auto& [fd, entry] : watched_) {
        if (entry.second) continue;
        if (entry.first <= SteadyClock::now()) {
          // Under the mutex: the connection cannot close (and its fd be reused) meanwhile.
          ::shutdown(fd, SHUT_RD);
          entry.second = true;
        } else {
          next = std::min(next, entry.first);
        }
      }
      wake_.wait_until(lock, next);
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<int, std::pair<SteadyClock::time_point, bool>> watched_;  // fd -> deadline, passed
  std::thread thread_;
};

// POCO's server session, telling whether it has already read bytes past the last request.
class Session : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  bool readAhead() const { return buffered() > 0; }
};

}  // namespace

// What the factory's connections share: places by client address, waiting places, the
// deadline watcher.
struct GuardedConnectionFactory::Shared {
  ConnectionLimits limits;
  util::Log log;
  int waitingLimit;
  std::mutex mutex;
  std::map<std::string, int> open;  // by client address
  int waiting = 0;                  // connections waiting for a request head
  Deadlines deadlines;

  Shared(const ConnectionLimits& given, util::Log givenLog)
      : limits(given), log(std::move(givenLog)), waitingLimit(std::max(1, given.maxConnections - reserveFor(given.maxConnections))) {}
};

namespace {

using Shared = GuardedConnectionFactory::Shared;

// Holds one of an address's connection places for as long as it lives.
class AddressPlace {
 public:
  AddressPlace(Shared& shared, std::string address) : shared_(shared), address_(std::move(address)) {
    std::lock_guard lock(shared_.mutex);
    held_ = shared_.open[address_] < shared_.limits.maxPerAddress;
    if (held_) shared_.open[address_]++;
  }
  ~AddressPlace() {
    if (!held_) return;
    std::lock_guard lock(shared_.mutex);
    if (--shared_.open[address_] == 0) shared_.open.erase(address_);
  }
  AddressPlace(const AddressPlace&) = delete;
  AddressPlace& operator=(const AddressPlace&) = delete;
  bool held() const { return held_; }

 private:
  Shared& shared_;
  std::string address_;
  bool held_ = false;
};

// One of the places for connections waiting for a request head, if one is free.
class WaitingPlace {
 public:
  explicit WaitingPlace(Shared& shared) : shared_(shared) {
    std::lock_guard lock(shared_.mutex);
    held_ = shared_.waiting < shared_.waitingLimit;
    if (held_) shared_.waiting++;
  }
  ~WaitingPlace() {
    if (!held_) return;
    std::lock_guard lock(shared_.mutex);
    shared_.waiting--;
  }
  WaitingPlace(const WaitingPlace&) = delete;
  WaitingPlace& operator=(const WaitingPlace&) = delete;
  bool held() const { return held_; }

 private:
  Shared& shared_;
  bool held_ = false;
};

class GuardedConnection : public Poco::Net::TCPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::shared_ptr<Shared> shared)
      : TCPServerConnection(socket),
        params_(std::move(params)),
        handlers_(std::move(handlers)),
        shared_(std::move(shared)),
        accepted_(SteadyClock::now()) {}

  void run() override {
    // One address (a stuck or hostile client) cannot take every connection thread.
    address_ = socket().peerAddress().host().toString();
    const AddressPlace place(*shared_, address_);
    if (!place.held()) return;  // closed at once
    Session session(socket(), params_);
    if (tls::isTls(socket())) return serveTls(session);
    for (bool first = true;; first = false) {
      const auto head = awaitHead(first);
      if (!head) return;  // too slow, too long or gone: the connection is closed
      if (auto problem = rawFramingProblem(head->text)) return answerBadFraming(*problem);
      // Bytes of a next request read with this one (pipelining) would escape the checks
      // above: such a connection is closed after this answer, and the client sends again.
      if (!serveOne(session, head->deadline, head->deadline) || session.readAhead()) return;
    }
  }

 private:
  // A TLS connection's bytes are encrypted, so its heads cannot be peeked at: the handshake
  // and each head are read under a deadline instead (with the same reserve as above), and
  // the router checks the parsed head's framing. The first request's deadline runs from
  // the accept and covers the handshake too.
  void serveTls(Session& session) {
    for (bool first = true;; first = false) {
      const auto start = first ? std::optional(accepted_) : awaitNextRequest();
      if (!start) return;
      std::optional<WaitingPlace> waiting(std::in_place, *shared_);
      const auto deadline = *start + shared_->limits.requestTimeout;
      const auto headDeadline = waiting->held() ? deadline : std::min(deadline, SteadyClock::now() + kReserveGrace);
      if (first && !handshake(headDeadline)) return;
      if (!serveOne(session, headDeadline, deadline, &waiting) || session.readAhead()) return;
    }
  }

  // A handshake too slow (or failed) closes the connection.
  bool handshake(SteadyClock::time_point deadline) {
    const Deadlines::Armed armed(shared_->deadlines, socket().impl()->sockfd(), deadline);
    try {
      tls::completeHandshake(socket());
      if (!armed.expired()) return true;
      shared_->log.warning("tls: handshake with " + address_ + " not finished in time; connection closed");
    } catch (const Poco::Exception& e) {
      shared_->log.warning("tls: handshake with " + address_ + " failed: " + e.displayText());
    }
    return false;
  }

  // When the next request on a kept-alive connection starts, or nullopt when the client
  // stays idle past the keep-alive timeout (or closes).
  std::optional<SteadyClock::time_point> awaitNextRequest() {
    const auto idleUntil = SteadyClock::now() + std::chrono::microseconds(params_->getKeepAliveTimeout().totalMicroseconds());
    if (!awaitByte(socket().impl()->sockfd(), idleUntil)) return std::nullopt;
    return SteadyClock::now();
  }

  // The next request's head, once all of it has arrived in time (see the factory's
  // header), and the deadline its body must meet: requestTimeout from the head's first
  // byte (from the accept, for a connection's first request).
  struct Head {
    std::string text;
    SteadyClock::time_point deadline;
  };
  std::optional<Head> awaitHead(bool first) {
    const int fd = socket().impl()->sockfd();
    const auto timeout = shared_->limits.requestTimeout;
    const WaitingPlace waiting(*shared_);
    if (!waiting.held()) {
      const auto start = SteadyClock::now();
      return withDeadline(peekHead(fd, start + kReserveGrace), start + timeout);
    }
    if (first) return withDeadline(peekHead(fd, accepted_ + timeout), accepted_ + timeout);
    const auto start = awaitNextRequest();
    if (!start) return std::nullopt;
    return withDeadline(peekHead(fd, *start + timeout), *start + timeout);
  }
  static std::optional<Head> withDeadline(std::optional<std::string> text, SteadyClock::time_point deadline) {
    if (!text) return std::nullopt;
    return Head{std::move(*text), deadline};
  }

  // Serves one request as POCO 1.11's HTTPServerConnection::run does; true when the
  // connection may stay open for another. The head must be read by `headDeadline` (the
  // waiting place, if given, is given up once it is) and the body by `bodyDeadline`.
  bool serveOne(Session& session, SteadyClock::time_point headDeadline, SteadyClock::time_point bodyDeadline,
                std::optional<WaitingPlace>* waiting = nullptr) {
    using Poco::Net::HTTPResponse;
    const int fd = socket().impl()->sockfd();
    std::optional<Deadlines::Armed> armed(std::in_place, shared_->deadlines, fd, headDeadline);
    try {
      // POCO's count of requests per connection.
      if (!session.hasMoreRequests()) return false;
      Poco::Net::HTTPServerResponseImpl response(session);
      Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());
      if (waiting) waiting->reset();
      if (bodyDeadline != headDeadline) {
        armed.reset();
        armed.emplace(shared_->deadlines, fd, bodyDeadline);
      }
      response.setDate(Poco::Timestamp());
      response.setVersion(request.getVersion());
      response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
      std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(request));
      if (!handler) return answerError(session, HTTPResponse::HTTP_NOT_IMPLEMENTED);
      // The router holds "100 Continue" back (status set to 100) until its checks pass.
      if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK) response.sendContinue();
      try {
        handler->handleRequest(request, response);
      } catch (const Poco::Exception&) {
        if (!response.sent()) answerError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        return false;
      }
      session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
      return session.getKeepAlive() && !armed->expired();
    } catch (const Poco::Net::NoMessageException&) {
      return false;
    } catch (const Poco::Net::MessageException&) {
      return answerError(session, HTTPResponse::HTTP_BAD_REQUEST);
    } catch (const Poco::SyntaxException&) {  // "Content-Length: 5, 5" on a TLS connection
      return answerError(session, HTTPResponse::HTTP_BAD_REQUEST);
    } catch (const Poco::Exception&) {
      return false;  // the client went away or the network failed
    }
  }

  // A bare error answer, as POCO's connection sends; the connection is then closed.
  static bool answerError(Poco::Net::HTTPServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
      response.setStatusAndReason(status);
      response.setKeepAlive(false);
      response.send();
    } catch (const Poco::Exception&) {
      // The client has gone: nothing more to do.
    }
    return false;
  }

  void answerBadFraming(const std::string& problem) {
    const std::string body =
        R"({"type":"urn:wardprint:problem:bad-framing","title":"The request's length is ambiguous","status":400,)"
        R"("detail":")" + problem + R"(. Nothing was read from it."})";
    const std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n"
                               "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body;
    try {
      socket().sendBytes(answer.data(), static_cast<int>(answer.size()));
      socket().shutdownSend();
    } catch (const Poco::Exception&) {
      // The client has gone: nothing more to do.
    }
  }

  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  std::shared_ptr<Shared> shared_;
  SteadyClock::time_point accepted_;
  std::string address_;  // the client's, for its connection place and the log
};

}  // namespace

int GuardedConnectionFactory::reserveFor(int maxConnections) { return std::max(2, maxConnections / 8); }

GuardedConnectionFactory::GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                                   const ConnectionLimits& limits, util::Log log)
    : params_(std::move(params)), handlers_(std::move(handlers)), shared_(std::make_shared<Shared>(limits, std::move(log))) {}

Poco::Net::TCPServerConnection* GuardedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new GuardedConnection(socket, params_, handlers_, shared_);
}

}  // namespace wardprint::http
