#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "events/discharge_event.h"
#include "leaflet/calendar.h"
#include "leaflet/layout_catalog.h"
#include "pdf/pdf_renderer.h"

namespace wardprint::app {

// A rendered leaflet and what identifies it.
struct RenderedLeaflet {
  std::string documentId;
  std::string layoutId;
  int layoutVersion = 0;
  std::string pdf;
};

// Turns validated discharge events into PDF leaflets using the configured layouts.
// Not thread-safe (it owns one renderer).
class LeafletService {
 public:
  // Loads and checks every layout. Throws util::ConfigError.
  explicit LeafletService(Config config);

  // What events may ask for under this configuration.
  events::EventRules eventRules() const;

  // Throws util::InvalidInput when a patient-supplied text has characters that no font of
  // the layout can draw (named per field), or the layout is a draft this site does not use;
  // pdf::RenderError when rendering fails.
  RenderedLeaflet render(const events::DischargeEvent& event);

  // Renders a sample leaflet with every layout, drafts included, to prove they all lay out. Returns one line
  // per layout ("vertebroplasty.en-GB v1: 2 pages"); throws pdf::RenderError on the first failure.
  std::vector<std::string> checkLayouts();

  const leaflet::LayoutCatalog& catalog() const { return catalog_; }
  const Config& config() const { return config_; }

 private:
  // The hospital's and the ward's details for a leaflet; the ward must be configured.
  leaflet::SiteDetails siteDetails(const std::string& wardId) const;
  RenderedLeaflet render(const events::DischargeEvent& event, const leaflet::SiteDetails& site);

  Config config_;
  leaflet::LayoutCatalog catalog_;
  leaflet::Calendar calendar_;
  pdf::PdfRenderer renderer_;
};

}  // namespace wardprint::app
