#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

#include "util/problems.h"

namespace wardprint::http {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Poco::JSON::Object& body);

// An application/problem+json answer (RFC 9457). `problems` lists each bad field. It
// closes the connection, since the request's body may not have been read.
void sendProblem(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& type,
                 const std::string& title, const std::string& detail, const util::Problems& problems = {});

// A FHIR answer: `json` (a resource) as application/fhir+json.
void sendFhir(HTTPServerResponse& response, int status, const std::string& json);

// A FHIR OperationOutcome with one error issue (`code` a FHIR IssueType such as "security"),
// for every 4xx and 5xx under /fhir. Like sendProblem, it closes the connection.
void sendOperationOutcome(HTTPServerResponse& response, int status, const std::string& code,
                          const std::string& diagnostics, const std::string& expression = "");

// Thrown by readBody when the body is larger than allowed.
struct BodyTooLarge {};

// Thrown by readBody when the body ended before its Content-Length: the connection's
// whole-request deadline cut it off (http/guarded_connection.h), or the client went away.
struct BodyCutShort {};

// Reads the request body, at most `maxBytes`; past that, reads and drops the rest (up to
// 64 MB) so the client can read the answer, and throws BodyTooLarge. Throws BodyCutShort
// when fewer bytes came than the Content-Length said.
std::string readBody(HTTPServerRequest& request, std::size_t maxBytes);

// True when the request says its body is JSON (application/json, any parameters).
bool isJson(const HTTPServerRequest& request);
// The same for FHIR: application/fhir+json or application/json.
bool isFhirJson(const HTTPServerRequest& request);

// Milliseconds since the epoch for an RFC 3339 date-time (a query parameter), or nullopt.
std::optional<std::int64_t> parseTimeMillis(const std::string& text);

// "2026-11-22T14:30:00.000Z" for milliseconds since the epoch.
std::string isoTime(std::int64_t millis);

}  // namespace wardprint::http
