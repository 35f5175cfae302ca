#pragma once

#include <string>
#include <vector>

#include "events/discharge_event.h"
#include "leaflet/calendar.h"
#include "leaflet/layout.h"
#include "leaflet/placeholders.h"

namespace wardprint::leaflet {

struct Contact {
  std::string label;
  std::string phone;
};

// What the leaflet needs to know about the hospital and the patient's ward.
struct SiteDetails {
  std::string siteName;
  std::vector<Contact> contacts;  // department numbers, in the order they are printed
  std::string wardName;
  std::string wardPhone;
};

// A block with every placeholder filled in, ready to be laid out on pages.
struct LeafletBlock {
  BlockKind kind = BlockKind::kParagraph;
  std::vector<RichText> texts;  // title/heading/paragraph: one; bullets: one per item; box: its title
  std::vector<std::pair<RichText, RichText>> rows;  // details and contacts
  std::vector<LeafletBlock> children;               // box and group content
  bool emphasis = false;                            // group: a filled heading band
};

// One patient's leaflet. The header and footer still hold {page.number} and {page.count},
// which only pagination can fill in.
struct Leaflet {
  std::string documentId;
  std::string title;
  date::sys_seconds createdAt;  // the discharge time: fixed, so a reprint has the same bytes
  RichText header;
  RichText footer;
  std::vector<LeafletBlock> blocks;
};

// Placeholders a layout may use, besides {deadline.NAME} for each of its deadlines.
// page.number and page.count are allowed only in the header and footer.
const std::vector<std::string>& leafletPlaceholders();
inline constexpr const char* kPageNumber = "page.number";
inline constexpr const char* kPageCount = "page.count";

// Fills the layout in for one event. The layout must have passed loadLayout's checks.
Leaflet buildLeaflet(const events::DischargeEvent& event, const Layout& layout,
                     const SiteDetails& site, const Calendar& calendar,
                     const std::string& documentId);

}  // namespace wardprint::leaflet
