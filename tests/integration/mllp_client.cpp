#include "mllp_client.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>

#include <csignal>

namespace wardprint::testsupport {

MllpClient::MllpClient(int port, const std::string& source) {
  if (!source.empty()) socket_.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
  socket_.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
}

bool MllpClient::sendRaw(const std::string& bytes) {
  std::signal(SIGPIPE, SIG_IGN);  // a connection the listener closed must fail the send, not end the test
  try {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const int wrote = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (wrote <= 0) return false;
      sent += static_cast<std::size_t>(wrote);
    }
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::optional<std::string> MllpClient::receive(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const auto start = buffered_.find('\x0b');
    const auto end = buffered_.find("\x1c\x0d", start == std::string::npos ? 0 : start);
    if (start != std::string::npos && end != std::string::npos) {
      std::string message = buffered_.substr(start + 1, end - start - 1);
      buffered_.erase(0, end + 2);
      return message;
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    if (closed_ || left <= std::chrono::milliseconds(0)) return std::nullopt;
    char chunk[4096];
    try {
      socket_.setReceiveTimeout(
          Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(left).count()));
      const int got = socket_.receiveBytes(chunk, sizeof chunk);
      if (got <= 0) {
        closed_ = true;
      } else {
        buffered_.append(chunk, static_cast<std::size_t>(got));
      }
    } catch (const Poco::TimeoutException&) {
      return std::nullopt;
    } catch (const Poco::Exception&) {
      closed_ = true;  // reset by the listener
    }
  }
}

bool MllpClient::closedWithin(std::chrono::milliseconds wait) {
  receive(wait);
  return closed_;
}

}  // namespace wardprint::testsupport
