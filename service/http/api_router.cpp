#include "http/api_router.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <array>

#include "http/client_address.h"
#include "http/framing.h"
#include "tls/tls.h"

namespace wardprint::http {
namespace {

using Status = HTTPResponse::HTTPStatus;
using settings::Role;

// Who may call a route.
enum class Access {
  kOpen,         // anyone, signed in or not
  kSignedIn,     // any session or API token
  kLocalOrSignedIn,  // a client on this machine (a local Prometheus), or any session or API token
  kStaff,        // a nurse or an admin, by session
  kAdmin,        // an admin
  kEventSender,  // a ward system's API token, or an admin
};

struct Route {
  const char* method;
  std::array<const char*, 5> path;  // "*" is a parameter; unused parts are null
  Access access;
  RouteHandler handler;
};

const Route kRoutes[] = {
    {"GET", {"healthz"}, Access::kOpen, routes::getHealth},
    {"GET", {"metrics"}, Access::kLocalOrSignedIn, routes::getMetrics},
    {"POST", {"v1", "session"}, Access::kOpen, routes::signIn},
    {"GET", {"v1", "session"}, Access::kStaff, routes::getSession},
    {"DELETE", {"v1", "session"}, Access::kStaff, routes::signOut},
    {"GET", {"v1", "wards"}, Access::kSignedIn, routes::listWards},
    {"GET", {"v1", "audit"}, Access::kAdmin, routes::listAudit},
    {"GET", {"v1", "printers"}, Access::kSignedIn, routes::listPrinters},
    {"POST", {"v1", "discharges"}, Access::kEventSender, routes::postDischarge},
    {"POST", {"v1", "discharges", "by-hand"}, Access::kStaff, routes::postDischargeByHand},
    {"POST", {"v1", "hl7"}, Access::kEventSender, routes::postHl7},
    {"GET", {"v1", "discharges"}, Access::kSignedIn, routes::listDischarges},
    {"GET", {"v1", "discharges", "*"}, Access::kSignedIn, routes::getDischarge},
    {"GET", {"v1", "discharges", "*", "pdf"}, Access::kSignedIn, routes::getPdf},
    {"GET", {"v1", "discharges", "*", "pages", "*"}, Access::kSignedIn, routes::getPageImage},
    {"POST", {"v1", "discharges", "*", "reprint"}, Access::kSignedIn, routes::postReprint},
    {"POST", {"fhir"}, Access::kEventSender, routes::postFhirBundle},
    {"POST", {"fhir", "Encounter"}, Access::kEventSender, routes::postFhirEncounter},
    {"GET", {"fhir", "metadata"}, Access::kOpen, routes::getFhirMetadata},
};

// A refusal by the router itself, in the dialect of the path: an OperationOutcome with
// `fhirCode` (a FHIR IssueType) under /fhir, a problem+json with `type` elsewhere.
struct Refusal {
  Status status;
  const char* type;
  const char* fhirCode;
  std::string title;
  std::string detail;
};

void send(HTTPServerResponse& response, bool fhir, const Refusal& refusal) {
  if (fhir) return sendOperationOutcome(response, refusal.status, refusal.fhirCode, refusal.detail);
  sendProblem(response, refusal.status, refusal.type, refusal.title, refusal.detail);
}

std::vector<std::string> pathParts(const std::string& uri) {
  std::string path;
  try {
    path = Poco::URI(uri).getPath();
  } catch (const Poco::Exception&) {
    return {};
  }
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    parts.push_back(path.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

bool matches(const Route& route, const std::vector<std::string>& parts, std::vector<std::string>& params) {
  std::size_t length = 0;
  while (length < route.path.size() && route.path[length]) ++length;
  if (parts.size() != length) return false;
  std::vector<std::string> found;
  for (std::size_t i = 0; i < length; ++i) {
    if (std::string(route.path[i]) == "*") {
      found.push_back(parts[i]);
    } else if (parts[i] != route.path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

bool allowed(Access access, const auth::Principal& principal) {
  switch (access) {
    case Access::kOpen:
    case Access::kSignedIn:
    case Access::kLocalOrSignedIn:
      return true;
    case Access::kStaff:
      return principal.viaSession;
    case Access::kAdmin:
      return principal.role == Role::kAdmin;
    case Access::kEventSender:
      return principal.role == Role::kWardSystem || principal.role == Role::kAdmin;
  }
  return false;
}

std::string sessionCookie(const HTTPServerRequest& request) {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(kSessionCookie, "");
}

std::string bearerToken(const HTTPServerRequest& request) {
  const auto header = request.get("Authorization", "");
  const std::string prefix = "Bearer ";
  return header.rfind(prefix, 0) == 0 ? header.substr(prefix.size()) : "";
}

// The common name of the client certificate verified on the request's TLS connection.
std::optional<std::string> clientCertificateName(HTTPServerRequest& request) {
  auto* received = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  return received ? tls::clientCommonName(received->socket()) : std::nullopt;
}

// Runs one route for one request: authentication, access, CSRF, then the handler; and
// turns failures nobody handled into problem answers that reveal no patient data.
class RouteRequest : public Poco::Net::HTTPRequestHandler {
 public:
  RouteRequest(ApiContext& api, const Route* route, std::vector<std::string> params, bool pathKnown, bool fhir)
      : api_(api), route_(route), params_(std::move(params)), pathKnown_(pathKnown), fhir_(fhir) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    // Browsers that have seen the page over TLS never try it in clear text again.
    if (api_.config.server.tls) response.set("Strict-Transport-Security", "max-age=31536000");
    try {
      handle(request, response);
    } catch (const BodyTooLarge&) {
      send(response, fhir_, {Status::HTTP_REQUEST_ENTITY_TOO_LARGE, "body-too-large", "too-long",
                             "The request body is too large", "The body is larger than the configured limit."});
    } catch (const BodyCutShort&) {
      send(response, fhir_, {Status::HTTP_REQUEST_TIMEOUT, "request-timeout", "timeout", "The request took too long",
                             "The body did not arrive in time. Nothing was changed."});
    } catch (const intake::StorageUnavailable& unavailable) {
      if (!fhir_) return sendStorageUnavailable(response, unavailable.damaged());
      sendOperationOutcome(response, Status::HTTP_SERVICE_UNAVAILABLE, "transient",
                           "The store cannot be used. Nothing was changed.");
    } catch (const std::exception&) {
      send(response, fhir_, {Status::HTTP_INTERNAL_SERVER_ERROR, "internal-error", "exception", "Internal error",
                             "The request could not be completed."});
    }
  }

 private:
  void handle(HTTPServerRequest& request, HTTPServerResponse& response) {
    const bool continueOwed = response.getStatus() == Status::HTTP_CONTINUE;
    if (continueOwed) response.setStatus(Status::HTTP_OK);
    RequestContext context{api_, {}, remoteOf(request), params_, ""};
    const Access access = route_ ? route_->access : Access::kOpen;
    const bool needsNoCredentials =
        access == Access::kOpen || (access == Access::kLocalOrSignedIn && isLoopback(context.remote));
    // Open routes (the page's files, /healthz, signing in) never look a session up: they
    // answer while the store, which keeps sessions, is down.
    if ((access == Access::kOpen || !authenticate(request, context)) && !needsNoCredentials) {
      response.set("WWW-Authenticate", "Bearer");
      return send(response, fhir_,
                  {Status::HTTP_UNAUTHORIZED, "unauthenticated", "login", "Sign in first",
                   "Send a session cookie (POST /v1/session) or an API token (Authorization: Bearer)."});
    }
    if (!allowed(access, context.principal)) {
      return send(response, fhir_, {Status::HTTP_FORBIDDEN, "forbidden", "forbidden", "Not allowed",
                                    "Your role may not do this."});
    }
    const bool changesState = request.getMethod() == "POST" || request.getMethod() == "DELETE";
    if (changesState && access != Access::kOpen && context.principal.viaSession &&
        request.get("X-CSRF-Token", "") != context.principal.csrfToken) {
      return send(response, fhir_, {Status::HTTP_FORBIDDEN, "forbidden", "forbidden", "Not allowed",
                                    "The X-CSRF-Token header is missing or wrong."});
    }
    if (route_) {
      // A client waiting to send a body larger than allowed is refused before it sends it.
      // (One that sent it anyway has it drained by readBody, so that it can read the 413.)
      const auto maxBodyBytes =
          fhir_ && api_.config.fhir ? api_.config.fhir->maxBodyBytes : api_.config.server.maxBodyBytes;
      if (continueOwed && request.hasContentLength() &&
          request.getContentLength64() > static_cast<Poco::Int64>(maxBodyBytes)) {
        throw BodyTooLarge{};
      }
      // The client waits for "100 Continue" before sending its body: only now, after the
      // credentials, the route's access and the size were checked (see createRequestHandler).
      if (continueOwed) response.sendContinue();
      return route_->handler(context, request, response);
    }
    if (pathKnown_) {
      return send(response, fhir_, {Status::HTTP_METHOD_NOT_ALLOWED, "method-not-allowed", "not-supported",
                                    "Method not allowed", "This path does not take that method."});
    }
    if (fhir_) return sendOperationOutcome(response, Status::HTTP_NOT_FOUND, "not-supported", "There is nothing here.");
    routes::pageFile(context, request, response);
  }

  std::string remoteOf(const HTTPServerRequest& request) const {
    std::vector<std::string> forwardedFor;
    for (auto header = request.find("X-Forwarded-For");
         header != request.end() && Poco::icompare(header->first, "X-Forwarded-For") == 0; ++header) {
      forwardedFor.push_back(header->second);
    }
    return clientAddress(request.clientAddress().host().toString(), forwardedFor,
                         api_.config.server.trustedProxies);
  }

  // Fills in the principal from a bearer token, else the session cookie, else a client
  // certificate; false when the request carries no valid credentials. Without
  // an auth section everyone may do everything (for development).
  bool authenticate(HTTPServerRequest& request, RequestContext& context) {
    if (!api_.authenticator) {
      context.principal = {"(no sign-in)", Role::kAdmin, true, {}, false, ""};
      return true;
    }
    if (const auto token = bearerToken(request); !token.empty()) {
      if (auto principal = api_.authenticator->apiToken(token)) {
        context.principal = *principal;
        return true;
      }
      return false;
    }
    if (const auto token = sessionCookie(request); !token.empty()) {
      if (auto principal = api_.authenticator->session(token)) {
        context.principal = *principal;
        context.sessionToken = token;
        return true;
      }
    }
    if (const auto name = clientCertificateName(request)) {
      if (auto principal = api_.authenticator->clientCertificate(*name)) {
        context.principal = *principal;
        return true;
      }
    }
    return false;
  }

  ApiContext& api_;
  const Route* route_;
  std::vector<std::string> params_;
  bool pathKnown_;
  bool fhir_;  // under /fhir: refusals are OperationOutcomes
};

}  // namespace

void sendForbidden(HTTPServerResponse& response, const std::string& detail) {
  sendProblem(response, Status::HTTP_FORBIDDEN, "forbidden", "Not allowed", detail);
}

void sendStorageUnavailable(HTTPServerResponse& response, bool damaged) {
  if (damaged) {
    return sendProblem(response, Status::HTTP_SERVICE_UNAVAILABLE, "store-damaged", "The store is damaged",
                       "Nothing was changed. An operator must restore the store from a backup.");
  }
  sendProblem(response, Status::HTTP_SERVICE_UNAVAILABLE, "store-unavailable", "The store cannot be written",
              "Nothing was accepted. Send the request again later.");
}

void sendNotFound(HTTPServerResponse& response) {
  sendProblem(response, Status::HTTP_NOT_FOUND, "not-found", "Not found", "There is nothing here.");
}

void RequestContext::audit(const std::string& action, const std::optional<std::string>& documentId,
                           const std::string& detail) const {
  api.intake.audit({0, 0, principal.name, settings::toString(principal.role), action, documentId, remote, detail});
}

bool RepeatFilter::first(const std::string& key, intake::Millis now) {
  std::lock_guard lock(mutex_);
  if (seen_.size() > 10000) {
    for (auto it = seen_.begin(); it != seen_.end();) it = now - it->second >= kWindow ? seen_.erase(it) : std::next(it);
  }
  const auto found = seen_.find(key);
  if (found != seen_.end() && now - found->second < kWindow) return false;
  seen_[key] = now;
  return true;
}

void RequestContext::auditUnlessRepeated(const std::string& action, const std::string& detail) const {
  if (api.repeats.first(principal.name + '\n' + action + '\n' + detail, api.intake.now())) audit(action, std::nullopt, detail);
}

namespace {

// Answers a request whose framing is ambiguous: 400, and the connection is closed so that
// nothing after it is read as another request.
class BadFraming : public Poco::Net::HTTPRequestHandler {
 public:
  explicit BadFraming(std::string problem) : problem_(std::move(problem)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& response) override {
    response.setKeepAlive(false);
    sendProblem(response, Status::HTTP_BAD_REQUEST, "bad-framing", "The request's length is ambiguous",
                problem_ + ". Nothing was read from it.");
  }

 private:
  std::string problem_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* ApiRouter::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
  if (auto problem = framingProblem(request)) return new BadFraming(std::move(*problem));
  // POCO sends "100 Continue" before the handler runs unless the response's status is
  // already other than 200: mark it, so that RouteRequest sends it once the request is
  // known to be allowed and small enough.
  if (request.getExpectContinue()) request.response().setStatus(Status::HTTP_CONTINUE);
  const auto parts = pathParts(request.getURI());
  const bool head = request.getMethod() == "HEAD";
  const bool fhir = !parts.empty() && parts[0] == "fhir";
  bool pathKnown = false;
  for (const auto& route : kRoutes) {
    std::vector<std::string> params;
    if (!matches(route, parts, params)) continue;
    pathKnown = true;
    if (request.getMethod() == route.method || (head && std::string(route.method) == "GET")) {
      return new RouteRequest(context_, &route, std::move(params), true, fhir);
    }
  }
  return new RouteRequest(context_, nullptr, {}, pathKnown, fhir);
}

}  // namespace wardprint::http
