#include "http/api_router.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>

#include <functional>

#include "events/timestamp.h"
#include "http/responses.h"

namespace wardprint::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Status = HTTPResponse::HTTPStatus;

// Adapts a function to POCO's handler interface, and turns failures nobody handled
// into problem answers that reveal no patient data.
class FunctionHandler : public Poco::Net::HTTPRequestHandler {
 public:
  using Function = std::function<void(HTTPServerRequest&, HTTPServerResponse&)>;
  explicit FunctionHandler(Function function) : function_(std::move(function)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      function_(request, response);
    } catch (const BodyTooLarge&) {
      sendProblem(response, Status::HTTP_REQUEST_ENTITY_TOO_LARGE, "body-too-large", "The request body is too large",
                  "The body is larger than the configured limit.");
    } catch (const store::StoreError&) {
      sendProblem(response, Status::HTTP_SERVICE_UNAVAILABLE, "store-unavailable", "The store cannot be written",
                  "Nothing was accepted. Send the request again later.");
    } catch (const std::exception&) {
      sendProblem(response, Status::HTTP_INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                  "The request could not be completed.");
    }
  }

 private:
  Function function_;
};

Object::Ptr jobJson(const store::PrintJob& job) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", job.id);
  out->set("printer", job.printer);
  out->set("state", store::toString(job.state));
  out->set("copies", job.copies);
  out->set("attempts", job.attempts);
  out->set("reason", job.reason);
  out->set("requested_by", job.requestedBy);
  out->set("job_name", job.jobName);
  if (job.ippJobId) out->set("ipp_job_id", *job.ippJobId);
  if (job.fallbackPrinter) out->set("fallback_printer", *job.fallbackPrinter);
  if (!job.lastError.empty()) out->set("last_error", job.lastError);
  out->set("created_at", isoTime(job.createdAt));
  out->set("updated_at", isoTime(job.updatedAt));
  if (job.completedAt) out->set("completed_at", isoTime(*job.completedAt));
  return out;
}

// The document's state is its newest print job's.
std::string documentState(const store::Document& document) {
  if (document.jobs.empty()) return "received";
  switch (document.jobs.back().state) {
    case store::JobState::kQueued:
      return "queued";
    case store::JobState::kSubmitting:
    case store::JobState::kPrinting:
      return "printing";
    case store::JobState::kPrinted:
      return "printed";
    case store::JobState::kFailed:
      return "failed";
  }
  return "received";
}

std::string statusUrl(const std::string& id) { return "/v1/discharges/" + id; }

Object::Ptr documentJson(const store::Document& document) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", document.id);
  out->set("event_id", document.eventId);
  out->set("state", documentState(document));
  out->set("ward", document.ward);
  Object::Ptr patient = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  patient->set("name", document.patientName);
  patient->set("hospital_number", document.hospitalNumber);
  out->set("patient", patient);
  out->set("procedure", document.procedure);
  out->set("discharged_at", isoTime(document.dischargedAt));
  Object::Ptr layout = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  layout->set("id", document.layoutId);
  layout->set("version", document.layoutVersion);
  out->set("layout", layout);
  if (!document.jobs.empty()) {
    out->set("printer", document.jobs.back().printer);
    out->set("attempts", document.jobs.back().attempts);
  }
  Array jobs;
  for (const auto& job : document.jobs) jobs.add(jobJson(job));
  out->set("print_jobs", jobs);
  out->set("pdf_url", statusUrl(document.id) + "/pdf");
  out->set("created_at", isoTime(document.createdAt));
  return out;
}

void sendInvalid(HTTPServerResponse& response, Status status, const std::string& title, const util::Problems& problems) {
  sendProblem(response, status, status == Status::HTTP_BAD_REQUEST ? "unreadable-body" : "invalid-fields", title,
              std::to_string(problems.size()) + (problems.size() == 1 ? " problem" : " problems") + " found.",
              problems);
}

bool requireJson(HTTPServerRequest& request, HTTPServerResponse& response) {
  if (isJson(request)) return true;
  sendProblem(response, Status::HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "The body must be JSON",
              "Send Content-Type: application/json.");
  return false;
}

void postDischarge(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!requireJson(request, response)) return;
  const auto body = readBody(request, context.discharges.config().server.maxBodyBytes);
  const auto outcome = context.discharges.accept(body);
  Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
  answer.set("id", outcome.documentId);
  answer.set("status_url", statusUrl(outcome.documentId));
  switch (outcome.kind) {
    case app::DischargeOutcome::kAccepted:
      response.set("Location", statusUrl(outcome.documentId));
      sendJson(response, Status::HTTP_ACCEPTED, answer);
      return;
    case app::DischargeOutcome::kRepeat:
      sendJson(response, Status::HTTP_OK, answer);
      return;
    case app::DischargeOutcome::kConflict:
      sendProblem(response, Status::HTTP_CONFLICT, "event-id-conflict", "This event id was used for another event",
                  "An event with this event_id and different content was accepted as " + outcome.documentId + ".",
                  {{"event_id", "already used for a different event"}});
      return;
    case app::DischargeOutcome::kUnreadable:
      sendInvalid(response, Status::HTTP_BAD_REQUEST, "The body is not a JSON object", outcome.problems);
      return;
    case app::DischargeOutcome::kInvalid:
      sendInvalid(response, Status::HTTP_UNPROCESSABLE_ENTITY, "The discharge event is not valid", outcome.problems);
      return;
  }
}

void sendNotFound(HTTPServerResponse& response) {
  sendProblem(response, Status::HTTP_NOT_FOUND, "not-found", "Not found", "There is no such document.");
}

void getDischarge(ApiContext& context, const std::string& id, HTTPServerResponse& response) {
  const auto document = context.discharges.document(id);
  if (!document) return sendNotFound(response);
  sendJson(response, Status::HTTP_OK, *documentJson(*document));
}

void getPdf(ApiContext& context, const std::string& id, HTTPServerResponse& response) {
  const auto pdf = context.discharges.pdf(id);
  if (!pdf) return sendNotFound(response);
  response.setStatus(Status::HTTP_OK);
  response.setContentType("application/pdf");
  response.set("Content-Disposition", "inline; filename=\"" + id + ".pdf\"");
  response.sendBuffer(pdf->data(), pdf->size());
}

// Reads {printer?, copies?, reason, large_print?}; wrong types are problems.
std::optional<app::ReprintRequest> readReprint(const std::string& body, util::Problems& problems) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(body);
    if (parsed.type() == typeid(Object::Ptr)) root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!root) {
    problems.push_back({"", "is not a JSON object"});
    return std::nullopt;
  }
  app::ReprintRequest request;
  const auto field = [&](const char* name, auto check, auto assign) {
    if (!root->has(name) || root->isNull(name)) return;
    const auto value = root->get(name);
    if (!check(value)) return problems.push_back({name, "has the wrong type"});
    assign(value);
  };
  field("printer", [](const auto& v) { return v.isString(); }, [&](const auto& v) { request.printer = v.toString(); });
  field("copies", [](const auto& v) { return v.isInteger(); },
        [&](const auto& v) { request.copies = static_cast<int>(std::clamp<long long>(v.template convert<long long>(), -1, 1000)); });
  field("reason", [](const auto& v) { return v.isString(); }, [&](const auto& v) { request.reason = v.toString(); });
  field("large_print", [](const auto& v) { return v.isBoolean(); },
        [&](const auto& v) { request.largePrint = v.template extract<bool>(); });
  if (!problems.empty()) return std::nullopt;
  return request;
}

void postReprint(ApiContext& context, const std::string& id, HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!requireJson(request, response)) return;
  util::Problems problems;
  const auto reprint = readReprint(readBody(request, context.discharges.config().server.maxBodyBytes), problems);
  if (!reprint) return sendInvalid(response, Status::HTTP_BAD_REQUEST, "The reprint request is not valid", problems);
  const auto outcome = context.discharges.reprint(id, *reprint);
  switch (outcome.kind) {
    case app::ReprintOutcome::kNotFound:
      return sendNotFound(response);
    case app::ReprintOutcome::kInvalid:
      return sendInvalid(response, Status::HTTP_UNPROCESSABLE_ENTITY, "The reprint request is not valid",
                         outcome.problems);
    case app::ReprintOutcome::kQueued: {
      Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
      answer.set("id", outcome.documentId);
      answer.set("job_id", outcome.jobId);
      answer.set("status_url", statusUrl(outcome.documentId));
      sendJson(response, Status::HTTP_ACCEPTED, answer);
    }
  }
}

void listDischarges(ApiContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  const Poco::URI uri(request.getURI());
  store::DocumentFilter filter;
  util::Problems problems;
  for (const auto& [key, value] : uri.getQueryParameters()) {
    if (key == "ward") filter.ward = value;
    if (key == "hospital_number") filter.hospitalNumber = value;
    if (key == "since") {
      const auto since = events::parseRfc3339(value);
      if (!since) problems.push_back({"since", "must be an RFC 3339 date-time with an offset"});
      else filter.since = std::chrono::duration_cast<std::chrono::milliseconds>(since->time_since_epoch()).count();
    }
    if (key == "limit") {
      try {
        filter.limit = std::stoi(value);
      } catch (const std::exception&) {
        filter.limit = 0;
      }
      if (filter.limit < 1 || filter.limit > 1000) problems.push_back({"limit", "must be from 1 to 1000"});
    }
  }
  if (!problems.empty()) return sendInvalid(response, Status::HTTP_BAD_REQUEST, "The query is not valid", problems);
  Array list;
  for (const auto& document : context.discharges.documents(filter)) list.add(documentJson(document));
  Object answer;
  answer.set("discharges", list);
  sendJson(response, Status::HTTP_OK, answer);
}

void listPrinters(ApiContext& context, HTTPServerResponse& response) {
  Array list;
  for (const auto& report : context.printers.reports()) {
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("name", report.name);
    item->set("uri", report.uri);
    item->set("reachable", report.status.reachable);
    item->set("state", report.status.reachable ? report.status.state : "unreachable");
    Array reasons, problems;
    for (const auto& reason : report.status.reasons) reasons.add(reason);
    for (const auto& problem : report.problems) problems.add(problem);
    item->set("state_reasons", reasons);
    item->set("accepting_jobs", report.status.acceptingJobs);
    item->set("problems", problems);
    if (!report.status.reachable && !report.status.message.empty()) item->set("error", report.status.message);
    if (report.checkedAt) item->set("checked_at", isoTime(report.checkedAt));
    list.add(item);
  }
  Object answer;
  answer.set("printers", list);
  sendJson(response, Status::HTTP_OK, answer);
}

void sendMetrics(ApiContext& context, HTTPServerResponse& response) {
  std::string gauges =
      "# HELP wardprint_print_jobs Print jobs in the store, by state.\n# TYPE wardprint_print_jobs gauge\n";
  for (const auto& [state, count] : context.store.jobCounts()) {
    gauges += "wardprint_print_jobs{state=\"" + std::string(store::toString(state)) + "\"} " + std::to_string(count) + "\n";
  }
  gauges += "# HELP wardprint_documents Leaflets in the store.\n# TYPE wardprint_documents gauge\nwardprint_documents " +
            std::to_string(context.store.documentCount()) + "\n";
  const auto text = context.metrics.render(gauges);
  response.setStatus(Status::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4");
  response.sendBuffer(text.data(), text.size());
}

std::vector<std::string> pathParts(const std::string& uri) {
  const auto path = Poco::URI(uri).getPath();
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

}  // namespace

Poco::Net::HTTPRequestHandler* ApiRouter::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
  using Handler = FunctionHandler;
  auto& context = context_;
  const auto& method = request.getMethod();
  std::vector<std::string> parts;
  try {
    parts = pathParts(request.getURI());
  } catch (const Poco::Exception&) {
  }
  const auto is = [&](std::initializer_list<const char*> pattern) {
    if (parts.size() != pattern.size()) return false;
    std::size_t i = 0;
    for (const char* part : pattern) {
      if (std::string(part) != "*" && parts[i] != part) return false;
      ++i;
    }
    return true;
  };
  const bool get = method == "GET" || method == "HEAD";
  const bool post = method == "POST";

  if (is({"healthz"}) && get) {
    return new Handler([](auto&, auto& response) {
      Object answer;
      answer.set("status", "ok");
      sendJson(response, Status::HTTP_OK, answer);
    });
  }
  if (is({"metrics"}) && get) return new Handler([&context](auto&, auto& response) { sendMetrics(context, response); });
  if (is({"v1", "printers"}) && get) {
    return new Handler([&context](auto&, auto& response) { listPrinters(context, response); });
  }
  if (is({"v1", "discharges"}) && post) {
    return new Handler([&context](auto& req, auto& response) { postDischarge(context, req, response); });
  }
  if (is({"v1", "discharges"}) && get) {
    return new Handler([&context](auto& req, auto& response) { listDischarges(context, req, response); });
  }
  if (is({"v1", "discharges", "*"}) && get) {
    return new Handler([&context, id = parts[2]](auto&, auto& response) { getDischarge(context, id, response); });
  }
  if (is({"v1", "discharges", "*", "pdf"}) && get) {
    return new Handler([&context, id = parts[2]](auto&, auto& response) { getPdf(context, id, response); });
  }
  if (is({"v1", "discharges", "*", "reprint"}) && post) {
    return new Handler(
        [&context, id = parts[2]](auto& req, auto& response) { postReprint(context, id, req, response); });
  }
  const bool knownPath = is({"healthz"}) || is({"metrics"}) || is({"v1", "printers"}) || is({"v1", "discharges"}) ||
                         is({"v1", "discharges", "*"}) || is({"v1", "discharges", "*", "pdf"}) ||
                         is({"v1", "discharges", "*", "reprint"});
  return new Handler([knownPath](auto&, auto& response) {
    if (knownPath) {
      sendProblem(response, Status::HTTP_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                  "This path does not take that method.");
    } else {
      sendProblem(response, Status::HTTP_NOT_FOUND, "not-found", "Not found", "There is nothing at this path.");
    }
  });
}

}  // namespace wardprint::http
