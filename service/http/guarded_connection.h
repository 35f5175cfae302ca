#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <memory>

namespace wardprint::http {

// Makes the connections of the daemon's TCPServer: each is POCO's own HTTP server
// connection, with what POCO 1.11 lacks in front of it, for a connection's first request:
// - its whole head must arrive within `requestTimeout` (POCO's timeout restarts with every
//   byte, so a client trickling a byte a second held a thread for ever); a client too slow
//   is disconnected;
// - a Content-Length POCO cannot read ("5, 5") used to drop the connection without an
//   answer: it gets 400 and the connection is closed.
// - one client address holds at most `maxPerAddress` connections; more are closed at once,
//   so slow or stuck clients on a few addresses cannot take every connection thread.
// Thread-safe.
class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           std::chrono::seconds requestTimeout, int maxPerAddress);
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

  struct Addresses;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  std::chrono::seconds requestTimeout_;
  int maxPerAddress_;
  std::shared_ptr<Addresses> addresses_;
};

}  // namespace wardprint::http
