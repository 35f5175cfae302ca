#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/discharge_event.h"
#include "leaflet/calendar.h"
#include "leaflet/layout.h"
#include "leaflet/opening_hours.h"
#include "leaflet/placeholders.h"

namespace wardprint::leaflet {

// kDaytime: the line named in the warning box's "call in working hours" group (at most one;
// without one the ward's number is used). kAcuteOncology: the line a patient on cancer
// treatment calls with a temperature (at most one; without one that sentence is left out).
enum class ContactRole { kOther, kDaytime, kAcuteOncology };

struct Contact {
  std::string label;
  std::string phone;
  std::optional<OpeningHours> hours = std::nullopt;  // absent: answered at any time
  ContactRole role = ContactRole::kOther;
};

// What the leaflet needs to know about the hospital and the patient's ward.
struct SiteDetails {
  std::string siteName;
  std::vector<Contact> contacts;  // department numbers, in the order they are printed
  std::string wardName;
  std::string wardPhone;
  std::vector<date::year_month_day> closedDates = {};  // days no line with opening hours is open
  bool gpLetter = false;                          // the patient's GP gets a letter
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
  std::string faceLanguage;  // picks faces for text that needs shaping: the patient's language, else the layout's
  date::sys_seconds createdAt;  // the discharge time: fixed, so a reprint has the same bytes
  RichText header;
  RichText footer;
  std::vector<LeafletBlock> blocks;
};

// Placeholders a layout may use, besides {deadline.NAME} for each of its deadlines.
// page.number and page.count are allowed only in the header and footer;
// procedure.regions only in a layout with level_regions.
const std::vector<std::string>& leafletPlaceholders();

// Placeholders filled in only inside a block with `for_each: blood_thinners`.
const std::vector<std::string>& bloodThinnerPlaceholders();
inline constexpr const char* kForEachBloodThinners = "blood_thinners";

// Whether a layout may ask for this placeholder in a weekday form ({deadline.rest:soft}):
// the dates, times and deadlines. A value that starts with a time is the same in every form.
bool takesWeekdayForm(const std::string& name);

// Names a block's `when` may give besides placeholders: gp_letter (site.gp_letter is true),
// sedation_advice (the event does not say the procedure was under local anaesthetic alone),
// follow_up and blood_thinners (the event gives them).
const std::vector<std::string>& leafletConditions();
inline constexpr const char* kProcedureRegions = "procedure.regions";
inline constexpr const char* kPageNumber = "page.number";
inline constexpr const char* kPageCount = "page.count";

// Fills the layout in for one event. The layout must have passed loadLayout's checks.
// Phone numbers from the configuration are printed with non-breaking spaces, so a line
// never ends inside one.
Leaflet buildLeaflet(const events::DischargeEvent& event, const Layout& layout,
                     const SiteDetails& site, const Calendar& calendar,
                     const std::string& documentId);

}  // namespace wardprint::leaflet
