#include "http/guarded_connection.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/StreamSocket.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/framing.h"

namespace wardprint::http {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;

using SteadyClock = std::chrono::steady_clock;

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
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left)) <= 0) return std::nullopt;
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

// The value of every Content-Length line of a raw head.
std::optional<std::string> contentLengthProblem(const std::string& head) {
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const auto next = head.find("\r\n", at + 2);
    const auto line = head.substr(at + 2, next - at - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      Poco::Net::MessageHeader one;
      std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      const auto first = value.find_first_not_of(" \t");
      const auto last = value.find_last_not_of(" \t");
      value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
      one.add(name, value);
      if (auto problem = framingProblem(one)) return problem;
    }
    at = next;
  }
  return std::nullopt;
}

}  // namespace

// Open connections by client address.
struct GuardedConnectionFactory::Addresses {
  std::mutex mutex;
  std::map<std::string, int> open;
};

namespace {

// Holds one of an address's connection slots for as long as it lives.
class AddressSlot {
 public:
  AddressSlot(GuardedConnectionFactory::Addresses& addresses, std::string address, int cap)
      : addresses_(addresses), address_(std::move(address)) {
    std::lock_guard lock(addresses_.mutex);
    held_ = addresses_.open[address_] < cap;
    if (held_) addresses_.open[address_]++;
  }
  ~AddressSlot() {
    if (!held_) return;
    std::lock_guard lock(addresses_.mutex);
    if (--addresses_.open[address_] == 0) addresses_.open.erase(address_);
  }
  AddressSlot(const AddressSlot&) = delete;
  AddressSlot& operator=(const AddressSlot&) = delete;
  bool held() const { return held_; }

 private:
  GuardedConnectionFactory::Addresses& addresses_;
  std::string address_;
  bool held_ = false;
};

class GuardedConnection : public Poco::Net::TCPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::chrono::seconds requestTimeout,
                    std::shared_ptr<GuardedConnectionFactory::Addresses> addresses, int perAddress)
      : TCPServerConnection(socket),
        params_(std::move(params)),
        handlers_(std::move(handlers)),
        requestTimeout_(requestTimeout),
        addresses_(std::move(addresses)),
        perAddress_(perAddress) {}

  void run() override {
    // One address (a stuck or hostile client) cannot take every connection thread.
    const AddressSlot slot(*addresses_, socket().peerAddress().host().toString(), perAddress_);
    if (!slot.held()) return;  // closed at once
    const auto head = peekHead(socket().impl()->sockfd(), SteadyClock::now() + requestTimeout_);
    if (!head) return;  // too slow, too long or gone: the connection is closed
    // POCO cannot read "Content-Length: 5, 5" and drops the connection without a word.
    if (auto problem = contentLengthProblem(*head)) return answerBadFraming(*problem);
    Poco::Net::HTTPServerConnection inner(socket(), params_, handlers_);
    inner.run();
  }

 private:
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
  std::chrono::seconds requestTimeout_;
  std::shared_ptr<GuardedConnectionFactory::Addresses> addresses_;
  int perAddress_;
};

}  // namespace

GuardedConnectionFactory::GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                                   std::chrono::seconds requestTimeout, int maxPerAddress)
    : params_(std::move(params)),
      handlers_(std::move(handlers)),
      requestTimeout_(requestTimeout),
      maxPerAddress_(maxPerAddress),
      addresses_(std::make_shared<Addresses>()) {}

Poco::Net::TCPServerConnection* GuardedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new GuardedConnection(socket, params_, handlers_, requestTimeout_, addresses_, maxPerAddress_);
}

}  // namespace wardprint::http
