#pragma once

#include <condition_variable>
#include <functional>
#include <set>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/leaflet_service.h"
#include "app/metrics.h"
#include "print/print_queue.h"
#include "store/job_store.h"
#include "util/problems.h"

namespace wardprint::app {

// What became of a discharge event sent to the service.
struct DischargeOutcome {
  enum Kind { kAccepted, kRepeat, kConflict, kInvalid, kUnreadable, kForbidden } kind = kInvalid;
  std::string documentId;
  util::Problems problems;
};

struct ReprintRequest {
  std::optional<std::string> printer;  // default: the ward's printer
  int copies = 1;
  std::string reason;
  bool largePrint = false;
  std::optional<std::string> language;  // another available language: a new leaflet from the stored event
  std::string requestedBy = "ward system";
};

struct ReprintOutcome {
  enum Kind { kQueued, kNotFound, kInvalid } kind = kQueued;
  std::string documentId;  // the reprinted document (a new one for large print)
  std::int64_t jobId = 0;
  util::Problems problems;
};

// The daemon's use cases, free of HTTP: accept a discharge (validate, render, store, queue
// for printing), reprint, and read back. Thread-safe: rendering uses a pool of renderers.
class DischargeService {
 public:
  DischargeService(const Config& config, store::JobStore& store, print::PrintQueue& queue, Metrics& metrics);

  // Stores the event, its leaflet and its first print job in one transaction before it
  // returns kAccepted; kForbidden when `wards` is given and holds neither the event's
  // ward nor, for a printer override, a ward that prints there. Throws store::StoreError
  // when the store cannot be written.
  // `sender` (a token's name) is recorded as who asked for the first print.
  DischargeOutcome accept(const std::string& body, const std::optional<std::set<std::string>>& wards = std::nullopt,
                          const std::string& sender = "ward system");

  // Queues a new print job of the document (or of a new large-print leaflet made from
  // its stored event). kInvalid when the printer is not one of `wards`' printers (when
  // given). Throws store::StoreError when the store cannot be written.
  // A new leaflet is made for large print or another language; kInvalid names a language
  // that has no usable layout (or only a draft this site does not use).
  ReprintOutcome reprint(const std::string& documentId, const ReprintRequest& request,
                         const std::optional<std::set<std::string>>& wards = std::nullopt);

  std::optional<store::Document> document(const std::string& id) const { return store_.document(id); }
  std::optional<std::string> pdf(const std::string& id) const { return store_.documentPdf(id); }
  std::vector<store::Document> documents(const store::DocumentFilter& filter) const {
    return store_.documents(filter);
  }

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

  const Config& config() const { return config_; }
  const events::EventRules& rules() const { return rules_; }

 private:
  class RendererPool;
  struct Rendering;
  Rendering render(const events::DischargeEvent& event);
  std::optional<util::Problem> languageProblem(const events::LayoutChoice& wanted) const;
  store::NewDocument newDocument(const events::DischargeEvent& event, const std::string& body,
                                 const RenderedLeaflet& leaflet) const;

  const Config& config_;
  store::JobStore& store_;
  print::PrintQueue& queue_;
  Metrics& metrics_;
  events::EventRules rules_;
  std::map<std::string, events::LayoutChoice> layoutChoices_;  // by layout id
  std::shared_ptr<RendererPool> renderers_;
};

// A digest of every field of a validated event: the same event sent again (even with
// other spacing, key order or unknown fields) has the same digest.
std::string eventDigest(const events::DischargeEvent& event);

}  // namespace wardprint::app
