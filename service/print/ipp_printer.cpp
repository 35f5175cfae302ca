#include <cups/cups.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "print/printer.h"

namespace wardprint::print {
namespace {

struct HttpCloser {
  void operator()(http_t* http) const { httpClose(http); }
};
struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using Connection = std::unique_ptr<http_t, HttpCloser>;
using Message = std::unique_ptr<ipp_t, IppDeleter>;

// Give up when the socket times out rather than wait again.
int stopOnTimeout(http_t*, void*) { return 0; }

RemoteJobState toJobState(int ippState) {
  switch (ippState) {
    case IPP_JSTATE_PROCESSING:
      return RemoteJobState::kProcessing;
    case IPP_JSTATE_COMPLETED:
      return RemoteJobState::kCompleted;
    case IPP_JSTATE_ABORTED:
      return RemoteJobState::kAborted;
    case IPP_JSTATE_CANCELED:
      return RemoteJobState::kCanceled;
    default:
      return RemoteJobState::kWaiting;
  }
}

std::string joinedValues(ipp_attribute_t* attribute) {
  std::string out;
  for (int i = 0; attribute && i < ippGetCount(attribute); ++i) {
    if (const char* value = ippGetString(attribute, i, nullptr)) out += (out.empty() ? "" : ",") + std::string(value);
  }
  return out;
}

std::vector<std::string> values(ipp_t* response, const char* name) {
  std::vector<std::string> out;
  auto* attribute = ippFindAttribute(response, name, IPP_TAG_ZERO);
  for (int i = 0; attribute && i < ippGetCount(attribute); ++i) {
    if (const char* value = ippGetString(attribute, i, nullptr)) out.emplace_back(value);
  }
  return out;
}

// Why a call failed, in words that never claim "Success": after a transport failure
// libcups may still report successful-ok, so the socket's own error comes first.
std::string failureText(http_t* http, ipp_t* response) {
  if (!http) {
    const int error = errno;
    return error ? std::string("cannot connect: ") + std::strerror(error) : "cannot connect";
  }
  if (!response) {
    const int error = httpError(http);
    if (error) return std::string("no answer: ") + std::strerror(error);
    return "no readable answer";
  }
  return ippErrorString(ippGetStatusCode(response));
}

bool succeeded(ipp_t* response) {
  return response && ippGetStatusCode(response) <= IPP_STATUS_OK_EVENTS_COMPLETE;
}

class IppPrinter : public Printer {
 public:
  IppPrinter(std::string uri, IppTimeouts timeouts) : uri_(std::move(uri)), timeouts_(timeouts) {
    char scheme[32], user[256], host[256], resource[1024];
    int port = 0;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, uri_.c_str(), scheme, sizeof scheme, user, sizeof user, host,
                        sizeof host, &port, resource, sizeof resource) < HTTP_URI_STATUS_OK) {
      throw std::invalid_argument("not a printer URI: " + uri_);
    }
    host_ = host;
    port_ = port;
    resource_ = resource;
    encryption_ = std::string(scheme) == "ipps" ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
  }

  SubmitResult submit(const PrintRequest& request) override {
    errno = 0;
    auto http = connect();
    if (!http) return {SubmitOutcome::kUnreachable, 0, failureText(nullptr, nullptr)};
    auto* ipp = newRequest(IPP_OP_PRINT_JOB);
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, request.jobName.c_str());
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr, "application/pdf");
    ippAddInteger(ipp, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", request.copies);
    ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "sides", nullptr, request.sides.c_str());
    ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", nullptr, request.media.c_str());
    const Message owned(ipp);

    // The length is of the whole body: the IPP message and then the document.
    auto status = cupsSendRequest(http.get(), ipp, resource_.c_str(), ippLength(ipp) + request.pdf.size());
    if (status == HTTP_STATUS_CONTINUE) {
      status = cupsWriteRequestData(http.get(), request.pdf.data(), request.pdf.size());
    }
    if (status != HTTP_STATUS_CONTINUE) {
      const int error = httpError(http.get());
      return {SubmitOutcome::kUnknown, 0,
              "sending failed: " + (error ? std::string(std::strerror(error)) : std::string(httpStatus(status)))};
    }
    const Message response(cupsGetResponse(http.get(), resource_.c_str()));
    if (!response) return {SubmitOutcome::kUnknown, 0, failureText(http.get(), nullptr)};
    const auto code = ippGetStatusCode(response.get());
    if (code == IPP_STATUS_ERROR_BUSY) return {SubmitOutcome::kBusy, 0, "printer busy"};
    if (!succeeded(response.get())) return {SubmitOutcome::kRefused, 0, ippErrorString(code)};
    auto* jobId = ippFindAttribute(response.get(), "job-id", IPP_TAG_INTEGER);
    if (!jobId) return {SubmitOutcome::kUnknown, 0, "the printer gave no job id"};
    return {SubmitOutcome::kAccepted, ippGetInteger(jobId, 0), ""};
  }

  std::optional<RemoteJob> job(int jobId, const std::string& jobName) override {
    auto* ipp = newRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddInteger(ipp, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId);
    const Message response(call(ipp));
    if (!succeeded(response.get())) return std::nullopt;
    auto* state = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM);
    auto* name = ippFindAttribute(response.get(), "job-name", IPP_TAG_ZERO);
    const char* nameValue = name ? ippGetString(name, 0, nullptr) : nullptr;
    // A restarted printer reuses ids: the id alone could name someone else's job.
    if (!state || !nameValue || jobName != nameValue) return std::nullopt;
    return RemoteJob{jobId, toJobState(ippGetInteger(state, 0)),
                     joinedValues(ippFindAttribute(response.get(), "job-state-reasons", IPP_TAG_KEYWORD))};
  }

  Lookup findJob(const std::string& jobName) override {
    auto* ipp = newRequest(IPP_OP_GET_JOBS);
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
    static const char* const kWanted[] = {"job-id", "job-name", "job-state", "job-state-reasons"};
    ippAddStrings(ipp, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 4, nullptr, kWanted);
    const Message response(call(ipp));
    if (!succeeded(response.get())) return {};
    Lookup lookup{true, std::nullopt};
    RemoteJob current;
    std::string name;
    // Jobs come as groups of attributes separated by a nameless separator.
    // The same name is sent again on a retry: the newest job (highest id) is the one to follow.
    const auto finishGroup = [&] {
      if (name == jobName && current.jobId != 0 && (!lookup.job || current.jobId > lookup.job->jobId)) {
        lookup.job = current;
      }
      current = RemoteJob{};
      name.clear();
    };
    for (auto* attribute = ippFirstAttribute(response.get()); attribute;
         attribute = ippNextAttribute(response.get())) {
      const char* attributeName = ippGetName(attribute);
      if (!attributeName) {
        finishGroup();
        continue;
      }
      const std::string key = attributeName;
      if (key == "job-id") current.jobId = ippGetInteger(attribute, 0);
      if (key == "job-name") {
        const char* value = ippGetString(attribute, 0, nullptr);
        name = value ? value : "";
      }
      if (key == "job-state") current.state = toJobState(ippGetInteger(attribute, 0));
      if (key == "job-state-reasons") current.reasons = joinedValues(attribute);
    }
    finishGroup();
    return lookup;
  }

  bool cancel(int jobId) override {
    auto* ipp = newRequest(IPP_OP_CANCEL_JOB);
    ippAddInteger(ipp, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId);
    const Message response(call(ipp));
    if (!response) return false;
    // A job that already finished cannot be cancelled: that is an answer, not a failure.
    const auto code = ippGetStatusCode(response.get());
    return succeeded(response.get()) || code == IPP_STATUS_ERROR_NOT_POSSIBLE;
  }

  PrinterStatus status() override {
    auto* ipp = newRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    static const char* const kWanted[] = {"printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
                                          "document-format-supported", "media-supported", "sides-supported"};
    ippAddStrings(ipp, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 6, nullptr, kWanted);
    std::string failure;
    const Message response(call(ipp, &failure));
    PrinterStatus status;
    if (!succeeded(response.get())) {
      status.message = failure;
      return status;
    }
    status.reachable = true;
    auto* state = ippFindAttribute(response.get(), "printer-state", IPP_TAG_ENUM);
    const int stateValue = state ? ippGetInteger(state, 0) : 0;
    status.state = stateValue == IPP_PSTATE_IDLE ? "idle" : stateValue == IPP_PSTATE_PROCESSING ? "processing" : "stopped";
    for (auto& reason : values(response.get(), "printer-state-reasons")) {
      if (reason != "none") status.reasons.push_back(reason);
    }
    auto* accepting = ippFindAttribute(response.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    status.acceptingJobs = accepting && ippGetBoolean(accepting, 0);
    for (const auto& format : values(response.get(), "document-format-supported")) {
      if (format == "application/pdf") status.acceptsPdf = true;
    }
    status.media = values(response.get(), "media-supported");
    status.sides = values(response.get(), "sides-supported");
    return status;
  }

 private:
  Connection connect() const {
    Connection http(httpConnect2(host_.c_str(), port_, nullptr, AF_UNSPEC, encryption_, 1, timeouts_.connectMillis,
                                 nullptr));
    if (http) httpSetTimeout(http.get(), timeouts_.ioSeconds, stopOnTimeout, nullptr);
    return http;
  }

  ipp_t* newRequest(ipp_op_t operation) const {
    auto* ipp = ippNewRequest(operation);
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri_.c_str());
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, "wardprint");
    return ipp;
  }

  // Sends a request without a document on a fresh connection; frees the request. When it
  // fails and `failure` is given, says why there.
  ipp_t* call(ipp_t* request, std::string* failure = nullptr) const {
    errno = 0;
    auto http = connect();
    if (!http) {
      if (failure) *failure = failureText(nullptr, nullptr);
      ippDelete(request);
      return nullptr;
    }
    ipp_t* response = cupsDoRequest(http.get(), request, resource_.c_str());
    if (failure && !succeeded(response)) *failure = failureText(http.get(), response);
    return response;
  }

  std::string uri_;
  IppTimeouts timeouts_;
  std::string host_;
  int port_ = 631;
  std::string resource_;
  http_encryption_t encryption_;
};

}  // namespace

std::unique_ptr<Printer> makeIppPrinter(const std::string& uri, IppTimeouts timeouts) {
  return std::make_unique<IppPrinter>(uri, timeouts);
}

}  // namespace wardprint::print
