#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "settings/config.h"
#include "util/log.h"

namespace wardprint::mllp {

struct ListenerSettings {
  std::string host = "127.0.0.1";
  int port = 2575;  // 0: any free port (tests)
  // TLS (hl7.mllp.tls); with its client_ca, a client must present a certificate that CA
  // signed. A connection whose handshake fails is closed, with nothing sent.
  std::optional<settings::TlsConfig> tls;
  std::size_t maxMessageBytes = 1 << 20;
  // A connection that sends nothing for this long is closed; engines reconnect.
  std::chrono::milliseconds idleTimeout{std::chrono::minutes(5)};
  // A frame must end this long after its start byte, so that a message trickled a byte at
  // a time cannot hold a connection for ever.
  std::chrono::milliseconds frameTimeout{std::chrono::seconds(30)};
  int maxConnections = 64;
  int maxConnectionsPerAddress = 8;
};

// Answers one whole message (its framing removed), sent from address `from`, with the
// acknowledgement to send back (unframed), or "" to send nothing (the sender asked for no ACK). Called on the
// connection's own thread, one message at a time per connection and from several
// connections at once: it must be thread-safe. It must not throw.
using MessageHandler = std::function<std::string(const std::string& message, const std::string& from)>;

// An MLLP (0x0B … 0x1C 0x0D) listener on TCP. Each connection gets a thread of its own and
// carries any number of messages in turn; every complete frame is handed to the handler and
// its answer is sent before the next frame is read. NULs and white space between frames
// are skipped. A connection is closed, and the listener goes on serving the others, when:
// it sends bytes outside a frame, a frame grows past maxMessageBytes, a frame does not end
// within frameTimeout, it is idle for idleTimeout, or it does not read its answer within
// frameTimeout. Past maxConnections in all, or maxConnectionsPerAddress from one address, a
// new connection is closed at once, so one client cannot take every thread.
// `log` hears of each connection opened (info) and closed (info when the client closed it,
// warning when the listener did, with why): addresses and reasons, never message content.
class MllpListener {
 public:
  MllpListener(ListenerSettings settings, MessageHandler handler, util::Log log);
  ~MllpListener();  // stop()s
  MllpListener(const MllpListener&) = delete;
  MllpListener& operator=(const MllpListener&) = delete;

  // Binds and starts accepting. Throws std::runtime_error naming the address when the
  // port cannot be bound, util::ConfigError when the TLS files cannot be used.
  void start();
  // Stops accepting, closes every connection (an answer being sent is finished first) and
  // joins their threads.
  void stop();
  // The bound port (useful when settings.port was 0).
  int port() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace wardprint::mllp
