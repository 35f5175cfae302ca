#pragma once

#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "http/responses.h"
#include "intake/intake.h"
#include "settings/config.h"
#include "util/log.h"

namespace wardprint::http {

// Tells whether a list or search was already recorded lately, so that a page polling
// every few seconds leaves one audit row per window, not thousands. Thread-safe.
class RepeatFilter {
 public:
  static constexpr intake::Millis kWindow = 10 * 60 * 1000;
  // True the first time `key` is seen in a window starting then.
  bool first(const std::string& key, intake::Millis now);

 private:
  std::mutex mutex_;
  std::map<std::string, intake::Millis> seen_;
};

// Answers one HL7 v2 message (a UTF-8 body) with its ACK, for a sender limited to some
// wards or not (nullopt: every ward), whose client address is `from` (for the log).
// Thread-safe; never throws for bad input.
using Hl7Handler = std::function<std::string(const std::string& message, const std::string& sender,
                                             const std::optional<std::set<std::string>>& wards,
                                             const std::string& from)>;

// What the HTTP handlers work with; owned by the daemon, outliving the server.
// Handlers reach the store, the renderer and the printers only through the intake.
struct ApiContext {
  intake::Intake& intake;
  const settings::Config& config;
  auth::Authenticator* authenticator;  // null when the configuration has no auth section
  RepeatFilter& repeats;
  Hl7Handler hl7;  // HL7 v2's front door (POST /v1/hl7)
  util::Log log;   // operational messages of the doors: never patient data
};

// One request as the handlers see it: who sent it, from where, and the path's parameters
// (the {id} in /v1/discharges/{id}).
struct RequestContext {
  ApiContext& api;
  auth::Principal principal;
  std::string remote;
  std::vector<std::string> params;
  std::string sessionToken;  // when signed in with the cookie

  // Appends to the audit log.
  void audit(const std::string& action, const std::optional<std::string>& documentId = std::nullopt,
             const std::string& detail = "") const;
  // The same, unless this user made the same list or search within RepeatFilter::kWindow.
  void auditUnlessRepeated(const std::string& action, const std::string& detail) const;
};

using RouteHandler = void (*)(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);

// The handlers, by area. Each checks ward access itself where a document is involved.
namespace routes {
void postDischarge(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
// The nurse page's form, for a discharge the ward system's feed did not send (by session).
void postDischargeByHand(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void postHl7(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void listDischarges(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getDischarge(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getPdf(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getPageImage(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void postReprint(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void listPrinters(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void listWards(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getMetrics(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getHealth(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void signIn(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getSession(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void signOut(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void listAudit(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void pageFile(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
// The FHIR front door (fhir_routes.cpp); every answer application/fhir+json.
void postFhirBundle(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void postFhirEncounter(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
void getFhirMetadata(RequestContext&, HTTPServerRequest&, HTTPServerResponse&);
}  // namespace routes

inline constexpr const char* kSessionCookie = "wardprint_session";

// 403 with a problem naming what is not allowed.
void sendForbidden(HTTPServerResponse& response, const std::string& detail);
void sendNotFound(HTTPServerResponse& response);
// 503: the store cannot be written, or (damaged) must be restored by an operator.
void sendStorageUnavailable(HTTPServerResponse& response, bool damaged);

}  // namespace wardprint::http
