#include "app/discharge_service.h"

#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <chrono>

#include "events/event_parser.h"
#include "leaflet/document_id.h"
#include "util/utf8.h"

namespace wardprint::app {

// A few leaflet services, each with its own renderer (libharu documents are not
// thread-safe), lent out one request at a time.
class DischargeService::RendererPool {
 public:
  RendererPool(const Config& config, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) idle_.push_back(std::make_unique<LeafletService>(config));
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

struct DischargeService::Rendering {
  RenderedLeaflet leaflet;
  util::Problems problems;
};

namespace {

store::Millis millisOf(date::sys_seconds time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string patientName(const events::Patient& patient) {
  return patient.givenName ? *patient.givenName + " " + patient.familyName : patient.familyName;
}

// The ward's fallback printer, unless the job already goes there.
std::optional<std::string> fallbackFor(const WardConfig& ward, const std::string& printer) {
  return ward.fallbackPrinter && *ward.fallbackPrinter != printer ? ward.fallbackPrinter : std::nullopt;
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
  add(date::format("%F", event.patient.dateOfBirth));
  add(event.procedure.type);
  for (const auto& level : event.procedure.levels) add(level);
  add(std::to_string(event.procedure.performedAt.time_since_epoch().count()));
  add(event.procedure.clinician);
  add(event.language);
  add(event.largePrint ? "large" : "standard");
  add(std::to_string(event.copies));
  add(event.printer.value_or("\x1e"));
  add(event.notes.value_or("\x1e"));
  for (const auto& field : events::laterFieldsForDigest(event)) add(field);
  return Poco::SHA2Engine::digestToHex(sha.digest());
}

DischargeService::DischargeService(const Config& config, store::JobStore& store, print::PrintQueue& queue,
                                   Metrics& metrics)
    : config_(config),
      store_(store),
      queue_(queue),
      metrics_(metrics),
      renderers_(std::make_shared<RendererPool>(config, std::max(2u, std::thread::hardware_concurrency()))) {
  renderers_->with([this](LeafletService& service) {
    rules_ = service.eventRules();
    for (const auto& layout : service.catalog().layouts()) {
      layoutChoices_[layout.id] = {layout.procedure, layout.language, layout.largePrint};
    }
  });
}

bool DischargeService::isLargePrint(const std::string& layoutId) const {
  const auto found = layoutChoices_.find(layoutId);
  return found != layoutChoices_.end() && found->second.largePrint;
}

bool DischargeService::largePrintAvailable(const std::string& layoutId) const {
  const auto found = layoutChoices_.find(layoutId);
  if (found == layoutChoices_.end() || found->second.largePrint) return false;
  return rules_.layouts.count({found->second.procedure, found->second.language, true}) > 0;
}

std::string DischargeService::languageOf(const std::string& layoutId) const {
  const auto found = layoutChoices_.find(layoutId);
  return found == layoutChoices_.end() ? "" : found->second.language;
}

std::vector<std::string> DischargeService::languagesAvailable(const std::string& layoutId) const {
  const auto found = layoutChoices_.find(layoutId);
  std::vector<std::string> languages;
  if (found == layoutChoices_.end()) return languages;
  for (const auto& choice : rules_.layouts) {
    if (choice.procedure == found->second.procedure && choice.largePrint == found->second.largePrint) {
      languages.push_back(choice.language);
    }
  }
  return languages;  // sorted: rules_.layouts is ordered by procedure, language, size
}

std::optional<util::Problem> DischargeService::languageProblem(const events::LayoutChoice& wanted) const {
  if (rules_.layouts.count(wanted)) return std::nullopt;
  const auto draft = rules_.draftLayouts.find(wanted);
  if (draft != rules_.draftLayouts.end()) {
    return util::Problem{"language", "the " + wanted.language + " leaflet (" + draft->second +
                                         ") is a draft, not yet reviewed; this site prints only reviewed leaflets"};
  }
  if (wanted.largePrint) return util::Problem{"large_print", "there is no large-print layout for this leaflet"};
  return util::Problem{"language", "no " + wanted.procedure + " leaflet in '" + wanted.language + "'"};
}

DischargeService::Rendering DischargeService::render(const events::DischargeEvent& event) {
  const auto started = std::chrono::steady_clock::now();
  Rendering out;
  try {
    out.leaflet = renderers_->with([&](LeafletService& service) { return service.render(event); });
  } catch (const util::InvalidInput& invalid) {
    out.problems = invalid.problems();
    return out;
  } catch (const pdf::RenderError& error) {
    // A layout that cannot hold this event (an overlong box): say so, do not answer 500.
    out.problems = {{"notes", std::string("the leaflet cannot be laid out with this event: ") + error.what()}};
    return out;
  }
  metrics_.leafletsRendered++;
  metrics_.renderMs.observe(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
  return out;
}

store::NewDocument DischargeService::newDocument(const events::DischargeEvent& event, const std::string& body,
                                                 const RenderedLeaflet& leaflet) const {
  return {leaflet.documentId,      event.eventId,          eventDigest(event),       body,
          event.ward,              event.patient.hospitalNumber, patientName(event.patient), event.procedure.type,
          millisOf(event.dischargedAt), leaflet.layoutId,  leaflet.layoutVersion,    leaflet.pdf};
}

std::set<std::string> DischargeService::printersFor(const std::set<std::string>& wards) const {
  std::set<std::string> printers;
  for (const auto& ward : wards) {
    const auto found = config_.wards.find(ward);
    if (found == config_.wards.end()) continue;
    printers.insert(found->second.printer);
    if (found->second.fallbackPrinter) printers.insert(*found->second.fallbackPrinter);
  }
  return printers;
}

DischargeOutcome DischargeService::accept(const std::string& body, const std::optional<std::set<std::string>>& wards,
                                          const std::string& sender) {
  auto parsed = events::parseDischargeEvent(body, rules_);
  if (!parsed.event) {
    metrics_.eventsRefused++;
    const bool unreadable = parsed.problems.size() == 1 && parsed.problems[0].field.empty();
    return {unreadable ? DischargeOutcome::kUnreadable : DischargeOutcome::kInvalid, "", parsed.problems};
  }
  const auto& event = *parsed.event;
  if (wards && (!wards->count(event.ward) || (event.printer && !printersFor(*wards).count(*event.printer)))) {
    return {DischargeOutcome::kForbidden, "", {}};
  }
  const auto digest = eventDigest(event);
  if (const auto known = store_.event(event.eventId)) {  // a retry: no need to render again
    const bool same = known->first == digest;
    if (same) metrics_.eventsRepeated++;
    return {same ? DischargeOutcome::kRepeat : DischargeOutcome::kConflict, known->second, {}};
  }

  const auto rendering = render(event);
  if (!rendering.problems.empty()) {
    metrics_.eventsRefused++;
    return {DischargeOutcome::kInvalid, "", rendering.problems};
  }
  const auto& ward = config_.wards.at(event.ward);
  store::NewPrintJob job;
  job.documentId = rendering.leaflet.documentId;
  job.printer = event.printer.value_or(ward.printer);
  job.fallbackPrinter = fallbackFor(ward, job.printer);
  job.copies = event.copies;
  job.reason = "discharge";
  job.requestedBy = sender;
  const auto [acceptance, documentId] =
      store_.acceptDischarge(newDocument(event, body, rendering.leaflet), job, print::nowMillis());
  switch (acceptance) {
    case store::Acceptance::kCreated:
      metrics_.eventsAccepted++;
      queue_.wake(job.printer);
      return {DischargeOutcome::kAccepted, documentId, {}};
    case store::Acceptance::kRepeat:
      metrics_.eventsRepeated++;
      return {DischargeOutcome::kRepeat, documentId, {}};
    case store::Acceptance::kConflict:
      break;
  }
  return {DischargeOutcome::kConflict, documentId, {}};
}

ReprintOutcome DischargeService::reprint(const std::string& documentId, const ReprintRequest& request,
                                         const std::optional<std::set<std::string>>& wards) {
  const auto document = store_.document(documentId);
  if (!document) return {ReprintOutcome::kNotFound, "", 0, {}};

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
  } else if (request.printer && wards && !printersFor(*wards).count(*request.printer)) {
    problems.push_back({"printer", "is not a printer of your wards"});
  }
  const auto ward = config_.wards.find(document->ward);
  if (ward == config_.wards.end()) problems.push_back({"printer", "the document's ward is no longer configured"});
  if (!problems.empty()) return {ReprintOutcome::kInvalid, "", 0, problems};

  std::string printedId = document->id;
  const bool otherLanguage = request.language && *request.language != languageOf(document->layoutId);
  if (request.largePrint || otherLanguage) {
    const auto eventJson = store_.documentEventJson(document->id);
    if (!eventJson) return {ReprintOutcome::kNotFound, "", 0, {}};
    auto parsed = events::parseDischargeEvent(*eventJson, rules_);
    if (!parsed.event) return {ReprintOutcome::kInvalid, "", 0, {{"large_print", "the stored event no longer passes today's rules"}}};
    auto& event = *parsed.event;
    event.largePrint = event.largePrint || request.largePrint;
    event.language = request.language.value_or(event.language);
    if (const auto problem = languageProblem({event.procedure.type, event.language, event.largePrint})) {
      return {ReprintOutcome::kInvalid, "", 0, {*problem}};
    }
    const auto rendering = render(*parsed.event);
    if (!rendering.problems.empty()) return {ReprintOutcome::kInvalid, "", 0, rendering.problems};
    auto large = newDocument(*parsed.event, *eventJson, rendering.leaflet);
    store_.addDocument(large, print::nowMillis());
    printedId = large.id;
  }

  store::NewPrintJob job;
  job.documentId = printedId;
  job.printer = request.printer.value_or(ward->second.printer);
  job.fallbackPrinter = fallbackFor(ward->second, job.printer);
  job.copies = request.copies;
  job.reason = request.reason;
  job.requestedBy = request.requestedBy;
  const auto jobId = store_.addPrintJob(job, print::nowMillis());
  queue_.wake(job.printer);
  return {ReprintOutcome::kQueued, printedId, jobId, {}};
}

}  // namespace wardprint::app
