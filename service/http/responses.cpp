#include "http/responses.h"

#include "events/timestamp.h"
#include "fhir/answers.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <date/date.h>

#include <sstream>

namespace wardprint::http {

namespace {

void sendObject(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& contentType,
                const Poco::JSON::Object& body) {
  std::ostringstream text;
  body.stringify(text);
  const auto bytes = text.str();
  response.setStatusAndReason(status);
  response.setContentType(contentType);
  response.setContentLength(static_cast<std::streamsize>(bytes.size()));
  response.send() << bytes;
}

}  // namespace

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Poco::JSON::Object& body) {
  sendObject(response, status, "application/json", body);
}

void sendProblem(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& type,
                 const std::string& title, const std::string& detail, const util::Problems& problems) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("type", "urn:wardprint:problem:" + type);
  body.set("title", title);
  body.set("status", static_cast<int>(status));
  body.set("detail", detail);
  if (!problems.empty()) {
    Poco::JSON::Array list;
    for (const auto& problem : problems) {
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("field", problem.field);
      item.set("reason", problem.reason);
      list.add(item);
    }
    body.set("problems", list);
  }
  // The request's body may be unread (refused before it was needed): close the
  // connection so it is never taken for the next request.
  response.setKeepAlive(false);
  sendObject(response, status, "application/problem+json", body);
}

namespace {

// A client still sending a refused body would miss the answer if the connection closed
// under it, so up to this much is read and dropped first.
constexpr std::size_t kMaxDrainedBytes = 64 * 1024 * 1024;

[[noreturn]] void refuseBody(std::istream& stream, std::size_t alreadyRead) {
  char buffer[65536];
  while (alreadyRead < kMaxDrainedBytes && (stream.read(buffer, sizeof buffer) || stream.gcount() > 0)) {
    alreadyRead += static_cast<std::size_t>(stream.gcount());
  }
  throw BodyTooLarge{};
}

}  // namespace

std::string readBody(HTTPServerRequest& request, std::size_t maxBytes) {
  auto& stream = request.stream();
  if (request.getContentLength() != HTTPServerRequest::UNKNOWN_CONTENT_LENGTH &&
      static_cast<std::size_t>(request.getContentLength()) > maxBytes) {
    refuseBody(stream, 0);
  }
  std::string body;
  char buffer[8192];
  while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(stream.gcount()));
    if (body.size() > maxBytes) refuseBody(stream, body.size());
  }
  if (request.hasContentLength() && body.size() < static_cast<std::size_t>(request.getContentLength64())) {
    throw BodyCutShort{};
  }
  return body;
}

namespace {

std::string mediaType(const HTTPServerRequest& request) {
  auto type = request.getContentType();
  type = Poco::toLower(type.substr(0, type.find(';')));
  Poco::trimInPlace(type);
  return type;
}

}  // namespace

bool isJson(const HTTPServerRequest& request) { return mediaType(request) == "application/json"; }

bool isFhirJson(const HTTPServerRequest& request) {
  const auto type = mediaType(request);
  return type == "application/fhir+json" || type == "application/json";
}

void sendFhir(HTTPServerResponse& response, int status, const std::string& json) {
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/fhir+json");
  response.setContentLength(static_cast<std::streamsize>(json.size()));
  response.send() << json;
}

void sendOperationOutcome(HTTPServerResponse& response, int status, const std::string& code,
                          const std::string& diagnostics, const std::string& expression) {
  response.setKeepAlive(false);  // as sendProblem: the body may be unread
  sendFhir(response, status,
           fhir::operationOutcomeJson({{fhir::Issue::Severity::kError, code, diagnostics, expression}}));
}

std::optional<std::int64_t> parseTimeMillis(const std::string& text) {
  const auto time = events::parseRfc3339(text);
  if (!time) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(time->time_since_epoch()).count();
}

std::string isoTime(std::int64_t millis) {
  return date::format("%FT%TZ", date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{millis}});
}

}  // namespace wardprint::http
