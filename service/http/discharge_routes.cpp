// The discharge routes: accept an event, read documents and their PDFs, reprint.

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>

#include "events/event_parser.h"
#include "http/request_context.h"

namespace wardprint::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Status = HTTPResponse::HTTPStatus;

Array::Ptr printerAttemptsJson(const std::vector<intake::EarlierPrinter>& printers) {
  Array::Ptr out = new Array;
  for (const auto& printer : printers) {
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("printer", printer.printer);
    item->set("attempts", printer.attempts);
    if (!printer.error.empty()) item->set("error", printer.error);
    if (printer.leftAt) item->set("left_at", isoTime(printer.leftAt));
    out->add(item);
  }
  return out;
}

Object::Ptr jobJson(const intake::PrintJob& job) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", job.id);
  out->set("printer", job.printer);
  out->set("state", intake::toString(job.state));
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
  // Attempts given up on a printer that did not answer or held the job too long, and
  // what became of each once that printer answered again.
  if (!job.abandoned.empty()) {
    Array::Ptr abandoned = new Array;
    for (const auto& attempt : job.abandoned) {
      Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      item->set("printer", attempt.printer);
      item->set("abandoned_at", isoTime(attempt.abandonedAt));
      item->set("outcome", attempt.outcome);
      if (attempt.resolvedAt) item->set("resolved_at", isoTime(*attempt.resolvedAt));
      abandoned->add(item);
      if (attempt.outcome == "printed") out->set("also_printed_on", attempt.printer);
      // A printer that came back without the job (it restarted) may have printed it first:
      // nobody can know, so a nurse is told to look rather than left to find two copies.
      if (attempt.outcome == "not-held") out->set("may_also_have_printed_on", attempt.printer);
    }
    out->set("abandoned", abandoned);
  }
  if (!job.earlierPrinters.empty()) out->set("earlier_printers", printerAttemptsJson(job.earlierPrinters));
  return out;
}

// The document's state is its newest print job's, unless it was deliberately not printed.
std::string documentState(const intake::Document& document) {
  if (document.notPrinted) return "not-printed";
  if (document.jobs.empty()) return "received";
  switch (document.jobs.back().state) {
    case intake::JobState::kQueued:
      return "queued";
    case intake::JobState::kSubmitting:
    case intake::JobState::kPrinting:
      return "printing";
    case intake::JobState::kPrinted:
      return "printed";
    case intake::JobState::kFailed:
      return "failed";
    case intake::JobState::kCancelled:
      return "cancelled";
  }
  return "received";
}

// A printer whose last this many jobs all failed is shown as a problem, whatever it says.
constexpr int kRecentJobs = 3;

std::string statusUrl(const std::string& id) { return "/v1/discharges/" + id; }

Object::Ptr documentJson(const RequestContext& context, const intake::Document& document) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", document.id);
  out->set("event_id", document.eventId);
  out->set("state", documentState(document));
  if (document.notPrinted) {
    out->set("not_printed_code", document.notPrinted->code);
    out->set("not_printed_reason", document.notPrinted->text);
  }
  if (document.cancelledAt) out->set("cancelled_at", isoTime(*document.cancelledAt));
  out->set("ward", document.ward);
  Object::Ptr patient = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  patient->set("name", document.patientName);
  patient->set("hospital_number", document.hospitalNumber);
  if (!document.dateOfBirth.empty()) patient->set("date_of_birth", document.dateOfBirth);
  out->set("patient", patient);
  out->set("procedure", document.procedure);
  out->set("discharged_at", isoTime(document.dischargedAt));
  Object::Ptr layout = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  layout->set("id", document.layoutId);
  layout->set("version", document.layoutVersion);
  out->set("layout", layout);
  out->set("large_print", context.api.intake.isLargePrint(document.layoutId));
  out->set("large_print_available", context.api.intake.largePrintAvailable(document.layoutId));
  out->set("language", context.api.intake.languageOf(document.layoutId));
  Array languages;
  for (const auto& language : context.api.intake.languagesAvailable(document.layoutId)) languages.add(language);
  out->set("languages_available", languages);
  if (!document.jobs.empty()) {
    const auto& newest = document.jobs.back();
    out->set("printer", newest.printer);
    out->set("attempts", newest.attempts);
    // Where the newest job really went: printed on its printer, after failing on any earlier.
    if (newest.state == intake::JobState::kPrinted) out->set("printed_on", newest.printer);
    auto failedOn = newest.earlierPrinters;
    if (newest.state == intake::JobState::kFailed) {
      failedOn.push_back({newest.printer, newest.attempts, newest.lastError, newest.completedAt.value_or(0)});
    }
    out->set("failed_on", printerAttemptsJson(failedOn));
  }
  Array jobs;
  for (const auto& job : document.jobs) jobs.add(jobJson(job));
  out->set("print_jobs", jobs);
  if (!document.notPrinted) out->set("pdf_url", statusUrl(document.id) + "/pdf");
  out->set("created_at", isoTime(document.createdAt));
  return out;
}

void sendInvalid(HTTPServerResponse& response, Status status, const std::string& title, const util::Problems& problems) {
  sendProblem(response, status, status == Status::HTTP_BAD_REQUEST ? "unreadable-body" : "invalid-fields", title,
              std::to_string(problems.size()) + (problems.size() == 1 ? " problem" : " problems") + " found.",
              problems);
}

// 500: the renderer failed, which is no fault of the request; the log says why.
void sendLeafletFailed(HTTPServerResponse& response) {
  sendProblem(response, Status::HTTP_INTERNAL_SERVER_ERROR, "leaflet-failed", "The leaflet could not be made",
              "Nothing was accepted. The service's log says why; an operator must check the layouts and fonts.");
}

bool requireJson(HTTPServerRequest& request, HTTPServerResponse& response) {
  if (isJson(request)) return true;
  sendProblem(response, Status::HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "The body must be JSON",
              "Send Content-Type: application/json.");
  return false;
}

// The document, when it exists and the caller may see its ward; otherwise answers 404.
// Another ward's document gets the same 404 as a missing one: a 403 would tell that it
// exists.
std::optional<intake::Document> visibleDocument(RequestContext& context, HTTPServerResponse& response) {
  auto document = context.api.intake.document(context.params[0]);
  if (!document || !context.principal.mayUseWard(document->ward)) {
    sendNotFound(response);
    return std::nullopt;
  }
  return document;
}

// Reads {printer?, copies?, reason, large_print?, language?}; wrong types are problems.
std::optional<intake::ReprintRequest> readReprint(const std::string& body, util::Problems& problems) {
  Object::Ptr root;
  try {
    const auto parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() == typeid(Object::Ptr)) root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!root) {
    problems.push_back({"", "is not a JSON object"});
    return std::nullopt;
  }
  intake::ReprintRequest request;
  const auto read = [&](const char* name, bool typeOk, const auto& assign) {
    if (!root->has(name) || root->isNull(name)) return;
    if (!typeOk) return problems.push_back({name, "has the wrong type"});
    assign(root->get(name));
  };
  read("printer", root->get("printer").isString(), [&](const auto& v) { request.printer = v.toString(); });
  read("copies", root->get("copies").isInteger(), [&](const auto& v) {
    request.copies = static_cast<int>(std::clamp<long long>(v.template convert<long long>(), -1, 1000));
  });
  read("reason", root->get("reason").isString(), [&](const auto& v) { request.reason = v.toString(); });
  read("large_print", root->get("large_print").isBoolean(),
       [&](const auto& v) { request.largePrint = v.template extract<bool>(); });
  read("language", root->get("language").isString(), [&](const auto& v) { request.language = v.toString(); });
  if (!problems.empty()) return std::nullopt;
  return request;
}

// "3.png" -> 3; nullopt for anything else.
std::optional<int> pageNumber(const std::string& name) {
  const std::string suffix = ".png";
  if (name.size() <= suffix.size() || name.size() > suffix.size() + 3 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const auto digits = name.substr(0, name.size() - suffix.size());
  if (digits[0] == '0' || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(digits);
}

// Reads, checks and accepts one discharge event sent to `door` ("json" from a ward system,
// "hand" from the nurse page's form), and answers as the JSON API does. A discharge
// entered by hand is audited with its document.
void acceptDischarge(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response,
                     const std::string& door) {
  if (!requireJson(request, response)) return;
  const auto body = readBody(request, context.api.config.server.maxBodyBytes);
  auto& intake = context.api.intake;
  const auto parsed = events::parseDischargeEvent(body, intake.rules());
  if (!parsed.event) {
    const bool unreadable = parsed.problems.size() == 1 && parsed.problems[0].field.empty();
    const auto refused = intake.refuse(parsed.problems, parsed.layout, parsed.texts);
    if (unreadable) return sendInvalid(response, Status::HTTP_BAD_REQUEST, "The body is not a JSON object", refused.problems);
    return sendInvalid(response, Status::HTTP_UNPROCESSABLE_ENTITY, "The discharge event is not valid", refused.problems);
  }
  const intake::Source source{door, parsed.event->eventId, context.principal.name, body,
                              context.principal.limitedWards()};
  const auto outcome = intake.accept(*parsed.event, source);
  const bool stored = outcome.kind == intake::AcceptOutcome::kAccepted || outcome.kind == intake::AcceptOutcome::kRepeat;
  if (door == "hand" && stored) context.audit("by-hand", outcome.documentId, "ward " + parsed.event->ward);
  Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
  answer.set("id", outcome.documentId);
  answer.set("status_url", statusUrl(outcome.documentId));
  switch (outcome.kind) {
    case intake::AcceptOutcome::kAccepted:
      response.set("Location", statusUrl(outcome.documentId));
      return sendJson(response, Status::HTTP_ACCEPTED, answer);
    case intake::AcceptOutcome::kRepeat:
      return sendJson(response, Status::HTTP_OK, answer);
    case intake::AcceptOutcome::kConflict:
      return sendProblem(response, Status::HTTP_CONFLICT, "event-id-conflict",
                         "This event id was used for another event",
                         "An event with this event_id and different content was accepted as " + outcome.documentId +
                             ".",
                         {{"event_id", "already used for a different event"}});
    case intake::AcceptOutcome::kForbidden:
      return sendForbidden(response, "You may not send events for that ward or printer.");
    case intake::AcceptOutcome::kInvalid:
      return sendInvalid(response, Status::HTTP_UNPROCESSABLE_ENTITY, "The discharge event is not valid",
                         outcome.problems);
    case intake::AcceptOutcome::kStorageUnavailable:
    case intake::AcceptOutcome::kStorageDamaged:
      return sendStorageUnavailable(response, outcome.kind == intake::AcceptOutcome::kStorageDamaged);
    case intake::AcceptOutcome::kFailed:
      return sendLeafletFailed(response);
  }
}

}  // namespace

namespace routes {

void postDischarge(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  acceptDischarge(context, request, response, "json");
}

void postDischargeByHand(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  acceptDischarge(context, request, response, "hand");
}

void getDischarge(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  const auto document = visibleDocument(context, response);
  if (!document) return;
  if (context.principal.viaSession) context.audit("view", document->id);
  sendJson(response, Status::HTTP_OK, *documentJson(context, *document));
}

void getPdf(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  const auto document = visibleDocument(context, response);
  if (!document) return;
  const auto pdf = context.api.intake.pdf(document->id);
  if (!pdf) return sendNotFound(response);
  const bool download = Poco::URI(request.getURI()).getRawQuery().find("download=1") != std::string::npos;
  // HEAD sends no PDF, so nobody saw anything: no audit row.
  if (request.getMethod() != "HEAD") context.audit(download ? "download" : "preview", document->id);
  response.setStatus(Status::HTTP_OK);
  response.setContentType("application/pdf");
  response.set("Content-Disposition",
               std::string(download ? "attachment" : "inline") + "; filename=\"" + document->id + ".pdf\"");
  response.sendBuffer(pdf->data(), pdf->size());
}

// A page of the leaflet as a picture: the nurse page's preview, with no PDF viewer and so
// no print button that skips Reprint's reason and audit. Audited as a preview, per page.
void getPageImage(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  const auto page = pageNumber(context.params.at(1));
  if (!page) return sendNotFound(response);
  const auto document = visibleDocument(context, response);
  if (!document) return;
  const auto image = context.api.intake.pageImage(document->id, *page);
  if (!image) return sendNotFound(response);
  if (request.getMethod() != "HEAD") context.audit("preview", document->id, "page " + std::to_string(*page));
  response.setStatus(Status::HTTP_OK);
  response.setContentType("image/png");
  response.set("X-Page-Count", std::to_string(image->pageCount));
  response.sendBuffer(image->png.data(), image->png.size());
}

void postReprint(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!requireJson(request, response)) return;
  util::Problems problems;
  auto reprint = readReprint(readBody(request, context.api.config.server.maxBodyBytes), problems);
  if (!reprint) return sendInvalid(response, Status::HTTP_BAD_REQUEST, "The reprint request is not valid", problems);
  const auto document = visibleDocument(context, response);
  if (!document) return;
  reprint->requestedBy = context.principal.name;
  // Audited before it is queued: a reprint must never happen unrecorded.
  context.audit("reprint", document->id,
                reprint->reason + (reprint->largePrint ? " (large print)" : "") +
                    (reprint->language ? " (in " + *reprint->language + ")" : "") + "; printer " +
                    reprint->printer.value_or("of the ward") + "; copies " + std::to_string(reprint->copies));
  reprint->wards = context.principal.limitedWards();
  const auto outcome = context.api.intake.reprint(document->id, *reprint);
  switch (outcome.kind) {
    case intake::ReprintOutcome::kFailed:
      return sendLeafletFailed(response);
    case intake::ReprintOutcome::kNotFound:
      return sendNotFound(response);
    case intake::ReprintOutcome::kInvalid:
      return sendInvalid(response, Status::HTTP_UNPROCESSABLE_ENTITY, "The reprint request is not valid",
                         outcome.problems);
    case intake::ReprintOutcome::kQueued: {
      Object answer(Poco::JSON_PRESERVE_KEY_ORDER);
      answer.set("id", outcome.documentId);
      answer.set("job_id", outcome.jobId);
      answer.set("status_url", statusUrl(outcome.documentId));
      return sendJson(response, Status::HTTP_ACCEPTED, answer);
    }
  }
}

void listDischarges(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  intake::DocumentFilter filter;
  util::Problems problems;
  for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (key == "ward") filter.ward = value;
    if (key == "hospital_number") filter.hospitalNumber = value;
    if (key == "name" && !value.empty()) filter.nameContains = value;
    if (key == "since" && !(filter.since = parseTimeMillis(value))) {
      problems.push_back({"since", "must be an RFC 3339 date-time with an offset"});
    }
    if (key == "limit") {
      filter.limit = std::atoi(value.c_str());
      if (filter.limit < 1 || filter.limit > 1000) problems.push_back({"limit", "must be from 1 to 1000"});
    }
  }
  if (!problems.empty()) return sendInvalid(response, Status::HTTP_BAD_REQUEST, "The query is not valid", problems);
  if (filter.ward && !context.principal.mayUseWard(*filter.ward)) {
    return sendForbidden(response, "You do not work on that ward.");
  }
  if (!context.principal.allWards) {
    filter.wards = std::vector<std::string>(context.principal.wards.begin(), context.principal.wards.end());
  }
  if (context.principal.viaSession) {
    const bool search = filter.hospitalNumber || filter.nameContains;
    context.auditUnlessRepeated(search ? "search" : "list",
                                search ? "hospital_number=" + filter.hospitalNumber.value_or("") +
                                             " name=" + filter.nameContains.value_or("")
                                       : "ward=" + filter.ward.value_or("(all of yours)"));
  }
  Array list;
  for (const auto& document : context.api.intake.documents(filter)) list.add(documentJson(context, document));
  Object answer;
  answer.set("discharges", list);
  sendJson(response, Status::HTTP_OK, answer);
}

void listPrinters(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  const auto usable = context.api.intake.printersFor(context.principal.wards);
  Array list;
  for (const auto& report : context.api.intake.printerStates()) {
    if (!context.principal.allWards && !usable.count(report.name)) continue;
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("name", report.name);
    const auto& printer = context.api.config.printers.at(report.name);
    item->set("display_name", printer.displayName);
    if (!printer.location.empty()) item->set("location", printer.location);
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
    item->set("recent_failures", context.api.intake.failuresInARow(report.name, kRecentJobs));
    list.add(item);
  }
  Object answer;
  answer.set("printers", list);
  sendJson(response, Status::HTTP_OK, answer);
}

void getMetrics(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  const auto text = context.api.intake.metricsText();
  response.setStatus(Status::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4");
  response.sendBuffer(text.data(), text.size());
}

void getHealth(RequestContext& context, HTTPServerRequest&, HTTPServerResponse& response) {
  Object answer;
  // A damaged store is not healthy: say why, so that an operator knows what to restore.
  if (const auto damage = context.api.intake.storeDamage()) {
    answer.set("status", "unavailable");
    answer.set("reason", *damage);
    return sendJson(response, Status::HTTP_SERVICE_UNAVAILABLE, answer);
  }
  answer.set("status", "ok");
  sendJson(response, Status::HTTP_OK, answer);
}

}  // namespace routes
}  // namespace wardprint::http
