#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "http/request_context.h"

namespace wardprint::http {

// Routes each request by method and path to its handler, after checking who sent it:
// a session cookie or a bearer API token (when the configuration has an auth section),
// the role the route needs, and the CSRF token on state-changing requests made with a
// session. Unmatched paths are looked up among the nurse page's files.
class ApiRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRouter(ApiContext context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;
  // Tells every open connection to finish after its current request (what
  // Poco::Net::HTTPServer::stopAll does; the daemon runs a TCPServer of its own instead).
  void stopConnections(bool abortCurrent) { serverStopped(this, abortCurrent); }

 private:
  ApiContext context_;
};

}  // namespace wardprint::http
