#include "intake/intake.h"

#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "events/event_parser.h"
#include "intake/guarded_store.h"
#include "leaflet/document_id.h"
#include "print/print_queue.h"
#include "print/printer_monitor.h"
#include "store/job_store.h"
#include "util/intake_key.h"
#include "util/utf8.h"

namespace wardprint::intake {

// A few leaflet services, each with its own renderer (libharu documents are not
// thread-safe) and all sharing one setup, lent out one request at a time.
class Intake::RendererPool {
 public:
  RendererPool(const std::shared_ptr<const LeafletSetup>& setup, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) idle_.push_back(std::make_unique<LeafletService>(setup));
  }

  template <typename Work>
  auto with(Work work) {
    std::unique_ptr<LeafletService> service;
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [&] { return !idle_.empty(); });
      service = std::move(idle_.back());
      idle_.pop_back();
    }
    struct GiveBack {
      RendererPool& pool;
      std::unique_ptr<LeafletService>& service;
      ~GiveBack() {
        {
          std::lock_guard lock(pool.mutex_);
          pool.idle_.push_back(std::move(service));
        }
        pool.available_.notify_one();
      }
    } giveBack{*this, service};
    return work(*service);
  }

 private:
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<LeafletService>> idle_;
};

// The layouts in use and what follows from them, replaced whole when layouts are reloaded.
struct Intake::Layouts {
  events::EventRules rules;
  std::map<std::string, events::LayoutChoice> choices;  // by layout id
  RendererPool renderers;

  explicit Layouts(const std::shared_ptr<const LeafletSetup>& setup)
      : renderers(setup, std::max(2u, std::thread::hardware_concurrency())) {
    renderers.with([this](LeafletService& service) {
      rules = service.eventRules();
      for (const auto& layout : service.catalog().layouts()) {
        choices[layout.id] = {layout.procedure, layout.language, layout.largePrint};
      }
    });
  }
};

struct Intake::Rendering {
  RenderedLeaflet leaflet;
  util::Problems problems;  // input no layout can take (a name no font can draw)
  bool failed = false;      // the renderer failed: not the input's fault
};

namespace {

Millis millisOf(date::sys_seconds time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string patientName(const events::Patient& patient) {
  return patient.givenName ? *patient.givenName + " " + patient.familyName : patient.familyName;
}

// The ward's fallback printer, unless the job already goes there.
std::optional<std::string> fallbackFor(const settings::WardConfig& ward, const std::string& printer) {
  return ward.fallbackPrinter && *ward.fallbackPrinter != printer ? ward.fallbackPrinter : std::nullopt;
}

store::NewDocument newDocument(const events::DischargeEvent& event, const std::string& original,
                               const std::string& key, const std::string& digest, const RenderedLeaflet& leaflet) {
  return {leaflet.documentId,  key,
          event.eventId,       digest,
          original,            event.ward,
          event.patient.hospitalNumber, patientName(event.patient),
          event.procedure.type, millisOf(event.dischargedAt),
          leaflet.layoutId,    leaflet.layoutVersion,
          leaflet.pdf,         std::nullopt};
}

// Runs a write; a store that cannot be used becomes the outcome's kStorageDamaged or
// kStorageUnavailable.
template <typename Outcome, typename Work>
Outcome writing(store::JobStore& store, const util::Log& log, Work work) {
  try {
    return guarded(store, log, work);
  } catch (const StorageUnavailable& unavailable) {
    Outcome outcome;
    outcome.kind = unavailable.damaged() ? Outcome::kStorageDamaged : Outcome::kStorageUnavailable;
    return outcome;
  }
}

}  // namespace

std::string eventDigest(const events::DischargeEvent& event) {
  Poco::SHA2Engine sha;
  // Each field is followed by a separator no field can contain (control characters are
  // refused in every text field but notes, where only line breaks are kept).
  const auto add = [&](const std::string& field) {
    sha.update(field);
    sha.update(std::string(1, '\x1f'));
  };
  add(event.eventId);
  add(std::to_string(event.dischargedAt.time_since_epoch().count()));
  add(event.ward);
  add(event.patient.givenName.value_or("\x1e"));
  add(event.patient.familyName);
  add(event.patient.hospitalNumber);
  add(event.patient.nhsNumber.value_or(""));
  // A missing optional field adds a mark no present one can give, so a JSON event (which
  // has them all) keeps its digest.
  add(event.patient.dateOfBirth ? date::format("%F", *event.patient.dateOfBirth) : "\x1e");
  add(event.procedure.type);
  for (const auto& level : event.procedure.levels) add(level);
  add(event.procedure.performedAt ? std::to_string(event.procedure.performedAt->time_since_epoch().count())
                                  : "\x1e");
  add(event.procedure.clinician.value_or("\x1e"));
  add(event.language);
  add(event.largePrint ? "large" : "standard");
  add(std::to_string(event.copies));
  add(event.printer.value_or("\x1e"));
  add(event.notes.value_or("\x1e"));
  for (const auto& field : events::laterFieldsForDigest(event)) add(field);
  return Poco::SHA2Engine::digestToHex(sha.digest());
}

Intake::Intake(Parts parts)
    : setup_(parts.leaflets),
      config_(setup_->config),
      store_(parts.store),
      queue_(parts.queue),
      printers_(parts.printers),
      metrics_(parts.metrics),
      clock_(parts.clock),
      log_(std::move(parts.log)),
      sessions_(store_, log_),
      layouts_(std::make_shared<Layouts>(setup_)) {}

Intake::~Intake() = default;

std::shared_ptr<Intake::Layouts> Intake::layouts() const {
  std::lock_guard lock(layoutsMutex_);
  return layouts_;
}

events::EventRules Intake::rules() const { return layouts()->rules; }

void Intake::useLayouts(const std::shared_ptr<const LeafletSetup>& setup) {
  auto replacement = std::make_shared<Layouts>(setup);
  std::lock_guard lock(layoutsMutex_);
  layouts_ = std::move(replacement);
}

bool Intake::isLargePrint(const std::string& layoutId) const {
  const auto layouts = this->layouts();
  const auto found = layouts->choices.find(layoutId);
  return found != layouts->choices.end() && found->second.largePrint;
}

bool Intake::largePrintAvailable(const std::string& layoutId) const {
  const auto layouts = this->layouts();
  const auto found = layouts->choices.find(layoutId);
  if (found == layouts->choices.end() || found->second.largePrint) return false;
  return layouts->rules.layouts.count({found->second.procedure, found->second.language, true}) > 0;
}

std::string Intake::languageOf(const std::string& layoutId) const {
  const auto layouts = this->layouts();
  const auto found = layouts->choices.find(layoutId);
  return found == layouts->choices.end() ? "" : found->second.language;
}

std::vector<std::string> Intake::languagesAvailable(const std::string& layoutId) const {
  const auto layouts = this->layouts();
  const auto found = layouts->choices.find(layoutId);
  std::vector<std::string> languages;
  if (found == layouts->choices.end()) return languages;
  for (const auto& choice : layouts->rules.layouts) {
    if (choice.procedure == found->second.procedure && choice.largePrint == found->second.largePrint) {
      languages.push_back(choice.language);
    }
  }
  return languages;  // sorted: the rules' layouts are ordered by procedure, language, size
}

std::optional<util::Problem> Intake::languageProblem(const events::EventRules& rules,
                                                     const events::LayoutChoice& wanted) {
  if (rules.layouts.count(wanted)) return std::nullopt;
  const auto draft = rules.draftLayouts.find(wanted);
  if (draft != rules.draftLayouts.end()) {
    return util::Problem{"language", "the " + wanted.language + " leaflet (" + draft->second +
                                         ") is a draft, not yet reviewed; this site prints only reviewed leaflets"};
  }
  if (wanted.largePrint) return util::Problem{"large_print", "there is no large-print layout for this leaflet"};
  return util::Problem{"language", "no " + wanted.procedure + " leaflet in '" + wanted.language + "'"};
}

Intake::Rendering Intake::render(const events::DischargeEvent& event) {
  const auto started = std::chrono::steady_clock::now();
  Rendering out;
  try {
    out.leaflet = layouts()->renderers.with([&](LeafletService& service) { return service.render(event); });
  } catch (const util::InvalidInput& invalid) {
    out.problems = invalid.problems();
    return out;
  } catch (const pdf::RenderError& error) {
    // Layout names and libharu's codes only: a render error never quotes the event.
    log_.error(std::string("rendering a leaflet failed: ") + error.what());
    out.failed = true;
    return out;
  }
  metrics_.leafletsRendered++;
  metrics_.renderMs.observe(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
  return out;
}

std::set<std::string> Intake::printersFor(const std::set<std::string>& wards) const {
  std::set<std::string> printers;
  for (const auto& ward : wards) {
    const auto found = config_.wards.find(ward);
    if (found == config_.wards.end()) continue;
    printers.insert(found->second.printer);
    if (found->second.fallbackPrinter) printers.insert(*found->second.fallbackPrinter);
  }
  return printers;
}

AcceptOutcome Intake::refuse(util::Problems problems, const std::optional<events::LayoutChoice>& layout,
                            const std::vector<events::PrintedText>& texts) {
  metrics_.eventsRefused++;
  if (layout) {
    const auto undrawable =
        layouts()->renderers.with([&](LeafletService& service) { return service.undrawable(*layout, texts); });
    problems.insert(problems.end(), undrawable.begin(), undrawable.end());
  }
  return {AcceptOutcome::kInvalid, "", std::move(problems)};
}

AcceptOutcome Intake::accept(const events::DischargeEvent& event, const Source& source) {
  return acceptAll({{event, source, std::nullopt}}).back();
}

AcceptOutcome Intake::recordNotPrinted(const events::DischargeEvent& event, const Source& source,
                                       const NotPrinted& reason) {
  return acceptAll({{event, source, reason}}).back();
}

std::vector<AcceptOutcome> Intake::acceptAll(const std::vector<Submission>& submissions) {
  try {
    return guarded(store_, log_, [&] { return storeAll(submissions); });
  } catch (const StorageUnavailable& unavailable) {
    return {{unavailable.damaged() ? AcceptOutcome::kStorageDamaged : AcceptOutcome::kStorageUnavailable, "", {}}};
  }
}

bool Intake::forbidden(const events::DischargeEvent& event, const Source& source) const {
  return source.wards &&
         (!source.wards->count(event.ward) || (event.printer && !printersFor(*source.wards).count(*event.printer)));
}

std::optional<AcceptOutcome> Intake::knownOutcome(const std::string& key, const std::string& digest) {
  const auto known = store_.event(key);
  if (!known) return std::nullopt;
  const bool same = known->first == digest;
  if (same) metrics_.eventsRepeated++;
  return AcceptOutcome{same ? AcceptOutcome::kRepeat : AcceptOutcome::kConflict, known->second, {}};
}

// The event as the intake renders and stores it: its id, from which the document id is
// made, carries its front door, so that one id sent by two doors never names one document.
// The JSON door's ids stay bare: documents made before there were other doors keep their ids.
// A discharge sent again after its sender cancelled it gets "#2" (and so on) after its id,
// so its new document does not take the cancelled one's id.
events::DischargeEvent Intake::keyedEvent(const events::DischargeEvent& event, const Source& source,
                                          const std::string& key) const {
  auto keyed = event;
  keyed.eventId = source.frontDoor == "json" ? source.externalId : source.frontDoor + ":" + source.externalId;
  if (const int cancelled = store_.cancellations(key)) keyed.eventId += "#" + std::to_string(cancelled + 1);
  return keyed;
}

AcceptOutcome Intake::stored(store::Acceptance acceptance, const std::string& documentId) {
  switch (acceptance) {
    case store::Acceptance::kCreated:
      return {AcceptOutcome::kAccepted, documentId, {}};
    case store::Acceptance::kRepeat:
      metrics_.eventsRepeated++;
      return {AcceptOutcome::kRepeat, documentId, {}};
    case store::Acceptance::kConflict:
      break;
  }
  return {AcceptOutcome::kConflict, documentId, {}};
}

// A submission keyed and rendered, ready to store.
struct Intake::Prepared {
  std::size_t index = 0;  // in the submissions
  store::JobStore::NewDischarge discharge;
  std::optional<std::string> notPrintedCode;
};

// Renders a leaflet for each submission to print, then stores them all in one transaction;
// a known discharge (a retry, a conflict) is answered without rendering it again.
std::vector<AcceptOutcome> Intake::storeAll(const std::vector<Submission>& submissions) {
  std::vector<AcceptOutcome> outcomes;
  std::vector<Prepared> ready;
  for (const auto& submission : submissions) {
    auto outcome = prepare(submission, outcomes.size(), ready);
    if (!outcome) outcome = AcceptOutcome{AcceptOutcome::kAccepted, ready.back().discharge.document.id, {}};
    outcomes.push_back(*outcome);
    if (outcome->kind != AcceptOutcome::kAccepted && outcome->kind != AcceptOutcome::kRepeat) return outcomes;
  }
  std::vector<store::JobStore::NewDischarge> discharges;
  for (const auto& prepared : ready) discharges.push_back(prepared.discharge);
  const auto storing = std::chrono::steady_clock::now();
  const auto results = store_.acceptDischarges(discharges, now());
  metrics_.storeCommitMs.observe(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - storing).count());
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& outcome = outcomes[ready[i].index];
    outcome = stored(results[i].first, results[i].second);
    if (outcome.kind == AcceptOutcome::kConflict) {
      outcomes.resize(ready[i].index + 1);  // nothing was stored
      return outcomes;
    }
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].first != store::Acceptance::kCreated) continue;
    const auto& document = ready[i].discharge.document;
    const auto& source = submissions[ready[i].index].source;
    if (const auto& code = ready[i].notPrintedCode) {
      metrics_.notPrinted(*code);
      log_.info("document " + document.id + " from " + source.frontDoor + " for " + document.ward +
                " recorded as not printed: " + *code);
    } else {
      const auto& printer = ready[i].discharge.job->printer;
      metrics_.eventsAccepted++;
      log_.info("document " + document.id + " accepted from " + source.frontDoor + " for " + document.ward +
                ", queued on printer " + printer);
      queue_.wake(printer);
    }
  }
  return outcomes;
}

// Adds the submission to `ready` (and returns nullopt) when it is new; otherwise returns
// its outcome: kRepeat or kConflict when it is known, or why it cannot be stored.
std::optional<AcceptOutcome> Intake::prepare(const Submission& submission, std::size_t index,
                                             std::vector<Prepared>& ready) {
  const auto& source = submission.source;
  if (forbidden(submission.event, source)) return AcceptOutcome{AcceptOutcome::kForbidden, "", {}};
  const auto key = util::intakeKey(source.frontDoor, source.externalId);
  const auto digest = eventDigest(submission.event);
  if (auto known = knownOutcome(key, digest)) return known;  // a retry: no need to render again
  const auto event = keyedEvent(submission.event, source, key);
  Prepared prepared;
  prepared.index = index;
  if (submission.notPrinted) {
    RenderedLeaflet none;
    none.documentId = leaflet::documentIdFor(event.eventId, "not-printed");
    prepared.discharge.document = newDocument(event, source.original, key, digest, none);
    prepared.discharge.document.notPrinted = submission.notPrinted;
    prepared.notPrintedCode = submission.notPrinted->code;
    ready.push_back(std::move(prepared));
    return std::nullopt;
  }
  const auto rendering = render(event);
  if (rendering.failed) return AcceptOutcome{AcceptOutcome::kFailed, "", {}};
  if (!rendering.problems.empty()) return refuse(rendering.problems);
  const auto& ward = config_.wards.at(event.ward);
  store::NewPrintJob job;
  job.documentId = rendering.leaflet.documentId;
  job.printer = event.printer.value_or(ward.printer);
  job.fallbackPrinter = fallbackFor(ward, job.printer);
  job.copies = event.copies;
  job.reason = "discharge";
  job.requestedBy = source.sender;
  prepared.discharge = {newDocument(event, source.original, key, digest, rendering.leaflet), job};
  ready.push_back(std::move(prepared));
  return std::nullopt;
}

CancelOutcome Intake::cancel(const CancelRequest& request) {
  const auto id =
      request.frontDoor == "json" ? request.externalId : request.frontDoor + ":" + request.externalId;
  return writing<CancelOutcome>(store_, log_, [&] {
    const auto result = store_.cancelDischarge(id, request.exact, request.requestedBy, now());
    if (!result) return CancelOutcome{CancelOutcome::kNotFound, ""};
    metrics_.dischargesCancelled++;
    log_.info("document " + result->documentId + " cancelled by " + request.frontDoor +
              (result->jobsSent > 0 ? " after its leaflet was sent to the printer" : " before printing"));
    return CancelOutcome{result->jobsSent > 0 ? CancelOutcome::kTooLate : CancelOutcome::kCancelled,
                         result->documentId};
  });
}

util::Problems Intake::reprintProblems(const Document& document, const ReprintRequest& request) const {
  util::Problems problems;
  const auto reasonLength = util::codePointCount(request.reason);
  if (request.reason.find_first_not_of(" \t") == std::string::npos) {
    problems.push_back({"reason", "is required: say why the leaflet is printed again"});
  } else if (reasonLength > 200) {
    problems.push_back({"reason", "must be at most 200 characters"});
  } else if (std::any_of(request.reason.begin(), request.reason.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    problems.push_back({"reason", "must not contain control characters"});
  }
  if (request.copies < 1 || request.copies > events::kMaxCopies) {
    problems.push_back({"copies", "must be from 1 to " + std::to_string(events::kMaxCopies)});
  }
  if (request.printer && !config_.printers.count(*request.printer)) {
    problems.push_back({"printer", "unknown printer"});
  } else if (request.printer && request.wards && !printersFor(*request.wards).count(*request.printer)) {
    problems.push_back({"printer", "is not a printer of your wards"});
  }
  if (!config_.wards.count(document.ward)) {
    problems.push_back({"printer", "the document's ward is no longer configured"});
  }
  if (document.notPrinted) {
    problems.push_back({"document", "was deliberately not printed, so there is no leaflet to print"});
  }
  return problems;
}

ReprintOutcome Intake::reprint(const std::string& documentId, const ReprintRequest& request) {
  return guarded(store_, log_, [&] {
    const auto document = store_.document(documentId);
    if (!document) return ReprintOutcome{ReprintOutcome::kNotFound, "", 0, {}};
    auto problems = reprintProblems(*document, request);
    if (!problems.empty()) return ReprintOutcome{ReprintOutcome::kInvalid, "", 0, std::move(problems)};
    return queueReprint(*document, request);
  });
}

void Intake::readOriginalsWith(OriginalReader reader) {
  std::lock_guard lock(readersMutex_);
  originalReaders_.push_back(std::move(reader));
}

std::optional<events::DischargeEvent> Intake::storedEvent(const std::string& original,
                                                          const events::EventRules& rules) const {
  std::vector<OriginalReader> readers;
  {
    std::lock_guard lock(readersMutex_);
    readers = originalReaders_;
  }
  for (const auto& reader : readers) {
    if (auto event = reader(original)) return event;
  }
  return events::parseDischargeEvent(original, rules).event;
}

ReprintOutcome Intake::queueReprint(const Document& document, const ReprintRequest& request) {
  std::string printedId = document.id;
  const bool otherLanguage = request.language && *request.language != languageOf(document.layoutId);
  if (request.largePrint || otherLanguage) {
    const auto original = store_.documentEventJson(document.id);
    if (!original) return {ReprintOutcome::kNotFound, "", 0, {}};
    const auto rules = this->rules();
    auto event = storedEvent(*original, rules);
    if (!event) {
      return {ReprintOutcome::kInvalid, "", 0, {{"large_print", "the stored event no longer passes today's rules"}}};
    }
    // The document's own id ("#2" after a cancellation included), size and language, which
    // the original may not say (an HL7 message names neither).
    event->eventId = document.eventId;
    event->largePrint = isLargePrint(document.layoutId) || request.largePrint;
    const auto language = languageOf(document.layoutId);
    event->language = request.language.value_or(language.empty() ? event->language : language);
    if (const auto problem = languageProblem(rules, {event->procedure.type, event->language, event->largePrint})) {
      return {ReprintOutcome::kInvalid, "", 0, {*problem}};
    }
    const auto rendering = render(*event);
    if (rendering.failed) return {ReprintOutcome::kFailed, "", 0, {}};
    if (!rendering.problems.empty()) return {ReprintOutcome::kInvalid, "", 0, rendering.problems};
    // No key: the event is stored under its key already, with its first document.
    const auto large = newDocument(*event, *original, "", eventDigest(*event), rendering.leaflet);
    store_.addDocument(large, now());
    printedId = large.id;
  }
  const auto& ward = config_.wards.at(document.ward);
  store::NewPrintJob job;
  job.documentId = printedId;
  job.printer = request.printer.value_or(ward.printer);
  job.fallbackPrinter = fallbackFor(ward, job.printer);
  job.copies = request.copies;
  job.reason = request.reason;
  job.requestedBy = request.requestedBy;
  const auto jobId = store_.addPrintJob(job, now());
  log_.info("print job " + std::to_string(jobId) + " (document " + printedId + ") queued on printer " + job.printer +
            ": reprint by " + request.requestedBy);
  queue_.wake(job.printer);
  return {ReprintOutcome::kQueued, printedId, jobId, {}};
}

std::optional<Document> Intake::document(const std::string& id) const {
  return guarded(store_, log_, [&] { return store_.document(id); });
}

std::optional<std::string> Intake::pdf(const std::string& id) const {
  return guarded(store_, log_, [&] { return store_.documentPdf(id); });
}

std::optional<preview::PageImage> Intake::pageImage(const std::string& id, int page) const {
  const auto stored = pdf(id);
  if (!stored) return std::nullopt;
  // 110 dpi: an A4 page about 900 pixels wide, sharp on the nurse page without being heavy.
  return preview::renderPage(*stored, page, 110);
}

std::vector<Document> Intake::documents(const DocumentFilter& filter) const {
  return guarded(store_, log_, [&] { return store_.documents(filter); });
}

std::vector<AuditEntry> Intake::auditLog(const AuditFilter& filter) const {
  return guarded(store_, log_, [&] { return store_.audit(filter); });
}

void Intake::audit(AuditEntry entry) {
  entry.at = now();
  guarded(store_, log_, [&] { store_.appendAudit(entry); });
}

std::vector<PrinterReport> Intake::printerStates() const { return printers_.reports(); }

int Intake::failuresInARow(const std::string& printer, int jobs) const {
  return guarded(store_, log_, [&] { return store_.failuresInARow(printer, jobs); });
}

std::string Intake::metricsText() const {
  return guarded(store_, log_, [&] {
    std::string gauges =
        "# HELP wardprint_print_jobs Print jobs in the store, by state.\n# TYPE wardprint_print_jobs gauge\n";
    for (const auto& [state, count] : store_.jobCounts()) {
      gauges += "wardprint_print_jobs{state=\"" + std::string(store::toString(state)) + "\"} " +
                std::to_string(count) + "\n";
    }
    gauges += "# HELP wardprint_documents Leaflets in the store.\n# TYPE wardprint_documents gauge\n"
              "wardprint_documents " + std::to_string(store_.documentCount()) + "\n";
    return metrics_.render(gauges);
  });
}

std::optional<std::string> Intake::storeDamage() const { return store_.damage(); }

}  // namespace wardprint::intake
