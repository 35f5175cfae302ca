#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "events/discharge_event.h"
#include "intake/leaflet_service.h"
#include "intake/metrics.h"
#include "intake/records.h"
#include "intake/staff_sessions.h"
#include "preview/page_images.h"
#include "settings/config.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/problems.h"

namespace wardprint::print {
class PrintQueue;
class PrinterMonitor;
}  // namespace wardprint::print

namespace wardprint::store {
class JobStore;
}

namespace wardprint::intake {

// Where a discharge came from. A front door fills it in from its own wire format.
struct Source {
  std::string frontDoor;   // "json" (later "hl7", "fhir"): keys the sender's ids apart
  std::string externalId;  // the sender's own id for the discharge (JSON's event_id); shown
                           // and stored as "<front door>:<id>" for doors other than JSON
  std::string sender = "ward system";  // recorded as who asked for the first print
  std::string original;    // the message as received, kept to render it again (large print)
  // The wards this sender may send for; nullopt: every ward.
  std::optional<std::set<std::string>> wards;
};

// What became of a discharge handed to the intake.
struct AcceptOutcome {
  enum Kind {
    kAccepted,            // stored and queued: documentId is new
    kRepeat,              // the same discharge again: documentId is the one made the first time
    kConflict,            // the same source and id with other content: documentId is the first one's
    kInvalid,             // problems names every field that cannot be used
    kForbidden,           // the sender may not send for that ward or printer
    kStorageUnavailable,  // nothing was stored: the store cannot be written (send again later)
    kStorageDamaged,      // nothing was stored: the store is damaged and refuses writes
    kFailed,              // nothing was stored: rendering failed (logged without patient data)
  } kind = kInvalid;
  std::string documentId;
  util::Problems problems;
};

// One of several discharges handed to the intake together (Intake::acceptAll).
struct Submission {
  events::DischargeEvent event;
  Source source;
  std::optional<NotPrinted> notPrinted;  // set: record it as not printed, with this reason
};

// A discharge to cancel (HL7 ADT^A13), by its sender's id.
struct CancelRequest {
  std::string frontDoor;
  std::string externalId;  // the discharge's id (exact), or the start every id of it shares
  bool exact = true;
  std::string requestedBy = "ward system";
};

struct CancelOutcome {
  enum Kind {
    kCancelled,           // its unsent print job will never print (or it had none: not printed)
    kTooLate,             // its leaflet was already sent to a printer; recorded all the same
    kNotFound,            // no live discharge has that id: nothing to do
    kStorageUnavailable,  // nothing was changed (send again later)
    kStorageDamaged,
  } kind = kNotFound;
  std::string documentId;
};

struct ReprintRequest {
  std::optional<std::string> printer;  // default: the ward's printer
  int copies = 1;
  std::string reason;
  bool largePrint = false;
  std::optional<std::string> language;  // another available language: a new leaflet from the stored event
  std::string requestedBy = "ward system";
  // The wards the requester may print for; nullopt: every ward.
  std::optional<std::set<std::string>> wards;
};

struct ReprintOutcome {
  enum Kind { kQueued, kNotFound, kInvalid, kFailed } kind = kQueued;
  std::string documentId;  // the reprinted document (a new one for large print)
  std::int64_t jobId = 0;
  util::Problems problems;
};

// Thrown by the intake's reads and writes when the store cannot be used; nothing was
// changed. damaged(): the store is damaged and an operator must restore it.
class StorageUnavailable : public std::runtime_error {
 public:
  StorageUnavailable(const std::string& what, bool damaged) : std::runtime_error(what), damaged_(damaged) {}
  bool damaged() const { return damaged_; }

 private:
  bool damaged_;
};

// The daemon's use cases, the one place that validates, renders, stores and queues: every
// front door (JSON over HTTP; later HL7 over MLLP or HTTP, FHIR) parses its own format
// into a DischargeEvent and calls these. Free of any wire format. Thread-safe: rendering
// uses a pool of renderers sharing one LeafletSetup.
class Intake {
 public:
  // Operational messages, one line each; never patient data.
  using Log = util::Log;

  struct Parts {
    std::shared_ptr<const LeafletSetup> leaflets;
    store::JobStore& store;
    print::PrintQueue& queue;
    print::PrinterMonitor& printers;
    Metrics& metrics;
    const util::Clock& clock;
    Log log;
  };
  explicit Intake(Parts parts);
  ~Intake();

  // What a front door checks an event against while parsing it (a copy: the layouts,
  // which say what may be asked for, can be replaced meanwhile).
  events::EventRules rules() const;

  // Renders with `setup`'s layouts from now on (the daemon reloads layouts on SIGHUP, once
  // they validate); leaflets being rendered finish with the old ones. The configuration
  // stays the one the intake was made with.
  void useLayouts(const std::shared_ptr<const LeafletSetup>& setup);

  // Accepts a parsed, valid discharge: renders its leaflet and stores the event, the
  // leaflet and its first print job in one transaction, then wakes the printer. The same
  // source and external id again is a kRepeat when the event is the same (any field that
  // the digest covers), a kConflict when it is not; neither renders nor stores anything.
  AcceptOutcome accept(const events::DischargeEvent& event, const Source& source);

  // Records a discharge that is deliberately not printed (`reason`: a code such as died,
  // too_old, no_leaflet, not_discharged, and a plain sentence for the nurse page), under
  // the same key and digest rules as accept(): kAccepted once stored, kRepeat or
  // kConflict after. The event need not pass rules() (its procedure may be unknown); it is
  // stored with no leaflet and no print job, and listed with its reason.
  AcceptOutcome recordNotPrinted(const events::DischargeEvent& event, const Source& source,
                                 const NotPrinted& reason);

  // Several discharges, all or nothing (a FHIR transaction Bundle): each is checked,
  // rendered and keyed as accept() or recordNotPrinted() would (by its notPrinted), then all
  // are stored in one transaction and their printers woken. Returns one outcome per
  // submission, in order, when each was kAccepted or kRepeat. Otherwise nothing at all was
  // stored and the last outcome says why: that of the first submission that could not be
  // stored, at its own place (the ones before it say what they would have been), or a
  // kStorageUnavailable or kStorageDamaged alone.
  std::vector<AcceptOutcome> acceptAll(const std::vector<Submission>& submissions);

  // Cancels a discharge at its sender's request: its print jobs not yet sent are never
  // sent, the cancellation is recorded, and the same discharge sent again afterwards is
  // stored and printed anew (with a new document id).
  CancelOutcome cancel(const CancelRequest& request);

  // Counts a discharge its front door could not read into an event, and returns kInvalid
  // with its problems. So that one answer names every problem, the texts that were read
  // well are checked against the fonts of `layout` (when the event named one) too.
  AcceptOutcome refuse(util::Problems problems, const std::optional<events::LayoutChoice>& layout = std::nullopt,
                       const std::vector<events::PrintedText>& texts = {});

  // Queues a new print job of a document (or of a new large-print leaflet made from its
  // stored event). Throws StorageUnavailable.
  ReprintOutcome reprint(const std::string& documentId, const ReprintRequest& request);

  // Reads a stored original (Source::original) that is not a JSON discharge event, such as
  // an HL7 message, back into its event, for reprints in large print or another language;
  // nullopt when the text is not one it reads or can no longer be mapped. Thread-safe.
  using OriginalReader = std::function<std::optional<events::DischargeEvent>(const std::string& original)>;
  // Adds a front door's reader; reprints try each in turn, then the JSON event parser.
  void readOriginalsWith(OriginalReader reader);

  // Reads; each throws StorageUnavailable.
  std::optional<Document> document(const std::string& id) const;
  std::optional<std::string> pdf(const std::string& id) const;
  // Page `page` (from 1) of a document's leaflet as a PNG, with the leaflet's page count;
  // nullopt when there is no such document or page. Throws StorageUnavailable, and
  // preview::PreviewError when the stored PDF cannot be drawn.
  std::optional<preview::PageImage> pageImage(const std::string& id, int page) const;
  std::vector<Document> documents(const DocumentFilter& filter) const;
  std::vector<AuditEntry> auditLog(const AuditFilter& filter) const;

  // Appends to the audit log, stamped now (entry.at is ignored). Throws StorageUnavailable.
  void audit(AuditEntry entry);

  // Every configured printer's last known state.
  std::vector<PrinterReport> printerStates() const;
  // How many of the printer's last `jobs` finished jobs failed in a row (newest first).
  // Throws StorageUnavailable.
  int failuresInARow(const std::string& printer, int jobs) const;
  // The printers these wards print on, their fallbacks included.
  std::set<std::string> printersFor(const std::set<std::string>& wards) const;

  // Whether this layout is a large-print one.
  bool isLargePrint(const std::string& layoutId) const;
  // Whether a document made with this layout can be reprinted in large print.
  bool largePrintAvailable(const std::string& layoutId) const;
  // The layout's language, and the languages a document made with it can be reprinted in
  // (usable layouts of the same procedure and size, its own included), sorted.
  std::string languageOf(const std::string& layoutId) const;
  std::vector<std::string> languagesAvailable(const std::string& layoutId) const;

  // The counters and the store's gauges, in Prometheus text format.
  std::string metricsText() const;
  // Why the store cannot be trusted, or nullopt when it is healthy.
  std::optional<std::string> storeDamage() const;
  // The store's staff sessions and sign-in counts, for the Authenticator; each call throws
  // StorageUnavailable.
  auth::SessionStore& sessions() { return sessions_; }
  // Milliseconds since the epoch by the intake's clock.
  Millis now() const { return clock_.wallMillis(); }

 private:
  class RendererPool;
  struct Layouts;
  struct Rendering;
  std::shared_ptr<Layouts> layouts() const;
  Rendering render(const events::DischargeEvent& event);
  static std::optional<util::Problem> languageProblem(const events::EventRules& rules,
                                                      const events::LayoutChoice& wanted);
  struct Prepared;
  std::vector<AcceptOutcome> storeAll(const std::vector<Submission>& submissions);
  std::optional<AcceptOutcome> prepare(const Submission& submission, std::size_t index, std::vector<Prepared>& ready);
  std::optional<AcceptOutcome> knownOutcome(const std::string& key, const std::string& digest);
  AcceptOutcome stored(store::Acceptance acceptance, const std::string& documentId);
  events::DischargeEvent keyedEvent(const events::DischargeEvent& event, const Source& source,
                                    const std::string& key) const;
  bool forbidden(const events::DischargeEvent& event, const Source& source) const;
  ReprintOutcome queueReprint(const Document& document, const ReprintRequest& request);
  std::optional<events::DischargeEvent> storedEvent(const std::string& original,
                                                    const events::EventRules& rules) const;
  util::Problems reprintProblems(const Document& document, const ReprintRequest& request) const;

  std::shared_ptr<const LeafletSetup> setup_;  // owns config_
  const settings::Config& config_;
  store::JobStore& store_;
  print::PrintQueue& queue_;
  print::PrinterMonitor& printers_;
  Metrics& metrics_;
  const util::Clock& clock_;
  Log log_;
  StaffSessions sessions_;
  mutable std::mutex layoutsMutex_;
  std::shared_ptr<Layouts> layouts_;  // replaced whole by useLayouts
  mutable std::mutex readersMutex_;
  std::vector<OriginalReader> originalReaders_;
};

// A digest of every field of a validated event: the same event sent again (even with
// other spacing, key order or unknown fields) has the same digest.
std::string eventDigest(const events::DischargeEvent& event);

}  // namespace wardprint::intake
