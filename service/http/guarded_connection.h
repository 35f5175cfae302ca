#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <memory>

#include "util/log.h"

namespace wardprint::http {

// Limits for GuardedConnectionFactory.
struct ConnectionLimits {
  std::chrono::seconds requestTimeout{15};  // a request's head and body, from its first byte
  int maxConnections = 1024;                // the daemon's connection threads
  int maxPerAddress = 64;                   // connections one client address may hold
};

// Makes the connections of the daemon's TCPServer. It serves each connection's requests
// with POCO's own request and response classes, in its own loop (POCO 1.11's
// HTTPServerConnection), adding what POCO lacks, for every request of a kept-alive
// connection, not only the first:
// - the request's whole head must arrive within `requestTimeout` of its first byte (POCO's
//   timeout restarts with every byte, so a client trickling a byte a second held a thread
//   for ever); a client too slow is disconnected. The body must arrive by the same
//   deadline: when it passes, the connection's reading side is shut, the handler sees the
//   body cut short and answers 408 (http/responses.h), and the connection is closed.
// - a head with ambiguous framing (http/framing.h), which POCO would read one way and a
//   proxy another, gets 400 and the connection is closed.
// - one client address holds at most `maxPerAddress` connections; more are closed at once.
// - a reserve, so that slow clients from many addresses cannot together hold every
//   thread: at most maxConnections - reserve connections may wait for a request head (a
//   kept-alive connection waiting for its next request counts); a connection that finds
//   them all taken must have its whole head within a second, and is closed otherwise. So
//   the reserve threads go only to clients that send their request at once, as /healthz
//   checks and the ward systems do.
// - on a TLS connection (a socket from tls::listen) the handshake must be done by the
//   first request's deadline, under the same reserve; as its bytes cannot be peeked at,
//   each head is read by POCO under its deadline instead, and ambiguous framing is
//   answered by the router (or, where POCO cannot parse the length, with a bare 400).
// A TLS handshake that fails or does not finish in time is logged as a warning with the
// client's address. Thread-safe.
class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           const ConnectionLimits& limits, util::Log log = {});
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

  // How many threads are kept for clients that send their request head at once.
  static int reserveFor(int maxConnections);

  struct Shared;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace wardprint::http
