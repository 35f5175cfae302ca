// POST /v1/hl7: HL7 v2 over HTTP. The answer is the ACK with 200 whatever its code; HTTP
// errors are for transport problems only (a body of another type, too large, unauthenticated).
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include "http/request_context.h"

namespace wardprint::http::routes {
namespace {

using Status = HTTPResponse::HTTPStatus;

bool isHl7(const HTTPServerRequest& request) {
  try {
    const Poco::Net::MediaType type(request.getContentType());
    const auto name = Poco::toLower(type.getType() + "/" + type.getSubType());
    return name == "x-application/hl7-v2+er7" || name == "application/hl7-v2";
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

void postHl7(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!isHl7(request)) {
    return sendProblem(response, Status::HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                       "The body must be an HL7 v2 message",
                       "Send Content-Type: x-application/hl7-v2+er7 (or application/hl7-v2), in UTF-8.");
  }
  const auto body = readBody(request, context.api.config.hl7.maxMessageBytes);
  const auto ack = context.api.hl7(body, context.principal.name, context.principal.limitedWards(), context.remote);
  response.setStatus(Status::HTTP_OK);
  response.setContentType("x-application/hl7-v2+er7; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(ack.size()));
  response.send() << ack;
}

}  // namespace wardprint::http::routes
