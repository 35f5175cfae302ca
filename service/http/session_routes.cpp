// Signing in and out, the signed-in user's wards, and the audit log.

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/URI.h>

#include "http/request_context.h"

namespace wardprint::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Status = HTTPResponse::HTTPStatus;

constexpr std::size_t kMaxSignInBody = 4096;

// The page takes its idle timeout and the site's time zone from here, not from its own code.
void sendSession(const RequestContext& context, HTTPServerResponse& response, const auth::Principal& principal) {
  const auto& config = context.api.config;
  Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
  answer.set("name", principal.name);
  answer.set("role", settings::toString(principal.role));
  Array wards;
  for (const auto& ward : principal.wards) wards.add(ward);
  answer.set("wards", wards);
  answer.set("csrf_token", principal.csrfToken);
  if (config.auth) answer.set("idle_minutes", config.auth->sessionIdleMinutes);
  answer.set("timezone", config.site.timeZone);
  answer.set("stuck_after_seconds", config.printing.stuckAfterSeconds);
  sendJson(response, Status::HTTP_OK, answer);
}

// Secure when the daemon serves TLS, so a browser never sends it in clear text.
Poco::Net::HTTPCookie sessionCookie(const std::string& value, bool secure) {
  Poco::Net::HTTPCookie cookie(kSessionCookie, value);
  cookie.setSecure(secure);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  return cookie;
}

}  // namespace

namespace routes {

void signIn(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!context.api.authenticator) {
    return sendProblem(response, Status::HTTP_NOT_FOUND, "no-sign-in", "Sign-in is not configured",
                       "This service has no auth section in its configuration.");
  }
  if (!isJson(request)) {
    // Also makes a browser ask first (CORS preflight) before another site can sign in here.
    return sendProblem(response, Status::HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                       "The body must be JSON", "Send Content-Type: application/json.");
  }
  std::string name, password;
  try {
    const auto body = Poco::JSON::Parser().parse(readBody(request, kMaxSignInBody)).extract<Object::Ptr>();
    name = body->getValue<std::string>("name");
    password = body->getValue<std::string>("password");
  } catch (const Poco::Exception&) {
    return sendProblem(response, Status::HTTP_BAD_REQUEST, "unreadable-body", "Send your name and password",
                       "The body must be a JSON object with name and password.",
                       {{"name", "is required"}, {"password", "is required"}});
  }
  const auto result = context.api.authenticator->signIn(name, password, context.remote);
  // Audited under the name typed only when it is a user's: a password typed into the name
  // box must not be kept.
  context.principal.name = context.api.authenticator->isUser(name) ? name : "(unknown name)";
  switch (result.result) {
    case auth::Authenticator::SignIn::kSignedIn:
      context.principal = *result.principal;
      context.audit("sign-in");
      response.addCookie(sessionCookie(result.sessionToken, context.api.config.server.tls.has_value()));
      return sendSession(context, response, *result.principal);
    case auth::Authenticator::SignIn::kThrottled:
      context.audit("sign-in-throttled");
      response.set("Retry-After", std::to_string(context.api.config.auth->lockoutSeconds));
      return sendProblem(response, Status::HTTP_TOO_MANY_REQUESTS, "sign-in-throttled", "Too many failed sign-ins",
                         "Wait a few minutes, then try again.");
    case auth::Authenticator::SignIn::kRefused:
      context.audit("sign-in-failed");
      return sendProblem(response, Status::HTTP_UNAUTHORIZED, "sign-in-refused", "Wrong name or password",
                         "Check your name and password and try again.");
  }
}

void getSession(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  sendSession(context, response, context.principal);
}

void signOut(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  context.api.authenticator->signOut(context.sessionToken);
  context.audit("sign-out");
  auto cookie = sessionCookie("", context.api.config.server.tls.has_value());
  cookie.setMaxAge(0);
  response.addCookie(cookie);
  response.setStatusAndReason(Status::HTTP_NO_CONTENT);
  response.send();
}

void listWards(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  Array wards;
  for (const auto& [id, ward] : context.api.config.wards) {
    if (!context.principal.mayUseWard(id)) continue;
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", id);
    item->set("name", ward.name);
    item->set("printer", ward.printer);
    wards.add(item);
  }
  Object answer;
  answer.set("wards", wards);
  sendJson(response, Status::HTTP_OK, answer);
}

void listAudit(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  intake::AuditFilter filter;
  util::Problems problems;
  for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (key == "user") filter.actor = value;
    if (key == "document") filter.documentId = value;
    if (key == "since" && !(filter.since = parseTimeMillis(value))) problems.push_back({"since", "must be RFC 3339"});
    if (key == "until" && !(filter.until = parseTimeMillis(value))) problems.push_back({"until", "must be RFC 3339"});
  }
  if (!problems.empty()) {
    return sendProblem(response, Status::HTTP_BAD_REQUEST, "unreadable-query", "The query is not valid",
                       "Fix the fields listed.", problems);
  }
  Array entries;
  for (const auto& entry : context.api.intake.auditLog(filter)) {
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", entry.id);
    item->set("at", isoTime(entry.at));
    item->set("user", entry.actor);
    item->set("role", entry.role);
    item->set("action", entry.action);
    if (entry.documentId) item->set("document", *entry.documentId);
    item->set("from", entry.remote);
    if (!entry.detail.empty()) item->set("detail", entry.detail);
    entries.add(item);
  }
  Object answer;
  answer.set("entries", entries);
  sendJson(response, Status::HTTP_OK, answer);
}

}  // namespace routes
}  // namespace wardprint::http
