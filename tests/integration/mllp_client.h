#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <optional>
#include <string>

namespace wardprint::testsupport {

// What an integration engine does on its side of MLLP: one connection, a message sent
// framed, then its acknowledgement read back.
class MllpClient {
 public:
  // Connects to 127.0.0.1:`port`, from `source` (another 127.0.0.x address) if given.
  explicit MllpClient(int port, const std::string& source = "");
  // Over a socket already connected (a TLS one, say).
  explicit MllpClient(Poco::Net::StreamSocket connected) : socket_(std::move(connected)) {}

  // Sends raw bytes as they are (framing included or not). False once the listener has
  // closed the connection.
  bool sendRaw(const std::string& bytes);
  // Sends `message` in an MLLP frame.
  bool send(const std::string& message) { return sendRaw("\x0b" + message + "\x1c\x0d"); }
  // The next framed answer, unframed; nullopt when the connection closes or `wait` passes.
  std::optional<std::string> receive(std::chrono::milliseconds wait = std::chrono::seconds(10));
  // send() then receive().
  std::optional<std::string> exchange(const std::string& message) {
    return send(message) ? receive() : std::nullopt;
  }
  // Waits up to `wait` for the listener to close the connection.
  bool closedWithin(std::chrono::milliseconds wait);

 private:
  Poco::Net::StreamSocket socket_;
  std::string buffered_;
  bool closed_ = false;
};

}  // namespace wardprint::testsupport
