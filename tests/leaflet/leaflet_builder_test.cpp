#include "leaflet/leaflet_builder.h"

#include <doctest/doctest.h>

using namespace wardprint::leaflet;
using wardprint::events::DischargeEvent;

namespace {

DischargeEvent sampleEvent() {
  DischargeEvent event;
  event.eventId = "ADT-1";
  event.dischargedAt = date::sys_days{date::year{2026} / 11 / 22} + std::chrono::hours{14} + std::chrono::minutes{30};
  event.ward = "ward-7";
  event.patient = {std::string("Zoë"), "Łukasiewicz-Ørsted", "RHQ1234567", std::string("9434765919"),
                   date::year{1948} / 3 / 2};
  event.procedure = {"vertebroplasty", {"T11", "T12", "L1"}, event.dischargedAt - std::chrono::hours{5}, "Dr A Shah"};
  event.language = "en-GB";
  return event;
}

Block text(BlockKind kind, std::string value, std::string when = "") {
  Block block;
  block.kind = kind;
  block.texts = {std::move(value)};
  block.when = std::move(when);
  return block;
}

Layout sampleLayout() {
  Layout layout;
  layout.id = "test.en-GB";
  layout.version = 3;
  layout.deadlines = {{"rest", 24, 0}, {"lifting", 0, 14}};
  layout.header = "**{patient.name}** {patient.hospital_number}";
  layout.footer = "Page {page.number} of {page.count} {layout.id} v{layout.version} {document.id}";
  Block details;
  details.kind = BlockKind::kDetails;
  details.rows = {{"Name", "{patient.name}"}, {"NHS number", "{patient.nhs_number}"},
                  {"Bones", "{procedure.levels}"}, {"Born", "{patient.date_of_birth}"}};
  Block contacts;
  contacts.kind = BlockKind::kContacts;
  contacts.wardLabel = "{ward.name}";
  contacts.rows = {{"Emergency", "**999**"}};
  layout.content = {text(BlockKind::kTitle, "Hello {patient.given_name}"), details,
                    text(BlockKind::kParagraph, "Rest **until {deadline.rest}**. Lift after {deadline.lifting}."),
                    contacts, text(BlockKind::kHeading, "Note", "note"), text(BlockKind::kParagraph, "{note}", "note")};
  return layout;
}

const SiteDetails kSite{"Example Hospital", {{"Radiology", "0114 271 5432"}}, "Ward 7", "0114 000 0007"};

Leaflet build(const DischargeEvent& event) {
  static const Calendar calendar("Europe/London");
  return buildLeaflet(event, sampleLayout(), kSite, calendar, "WP-TEST");
}

std::vector<std::string> rowTexts(const LeafletBlock& block) {
  std::vector<std::string> out;
  for (const auto& [label, value] : block.rows) out.push_back(plainText(label) + "=" + plainText(value));
  return out;
}

}  // namespace

TEST_CASE("placeholders are filled in from the event, the site and the deadlines") {
  const auto leaflet = build(sampleEvent());
  REQUIRE(leaflet.blocks.size() == 4);  // no note: its heading and paragraph are left out
  CHECK(plainText(leaflet.blocks[0].texts[0]) == "Hello Zoë");
  CHECK(rowTexts(leaflet.blocks[1]) ==
        std::vector<std::string>{"Name=Zoë Łukasiewicz-Ørsted", "NHS number=943 476 5919",
                                 "Bones=T11, T12 and L1", "Born=2 March 1948"});
  CHECK(leaflet.blocks[2].texts[0] ==
        RichText{{"Rest ", false}, {"until 2:30pm on Monday 23 November", true}, {". Lift after 6 December.", false}});
}

TEST_CASE("the header and footer keep page placeholders for pagination") {
  const auto leaflet = build(sampleEvent());
  CHECK(leaflet.header == RichText{{"Zoë Łukasiewicz-Ørsted", true}, {" RHQ1234567", false}});
  CHECK(plainText(leaflet.footer) == "Page {page.number} of {page.count} test.en-GB v3 WP-TEST");
  CHECK(leaflet.documentId == "WP-TEST");
  CHECK(leaflet.createdAt == sampleEvent().dischargedAt);
}

TEST_CASE("contacts list the site's numbers, then the ward's, then the layout's") {
  const auto leaflet = build(sampleEvent());
  CHECK(rowTexts(leaflet.blocks[3]) ==
        std::vector<std::string>{"Radiology=0114 271 5432", "Ward 7=0114 000 0007", "Emergency=999"});
}

TEST_CASE("a patient with one name and no NHS number") {
  auto event = sampleEvent();
  event.patient.givenName.reset();
  event.patient.nhsNumber.reset();
  const auto leaflet = build(event);
  CHECK(plainText(leaflet.blocks[0].texts[0]) == "Hello ");
  CHECK(rowTexts(leaflet.blocks[1]) ==
        std::vector<std::string>{"Name=Łukasiewicz-Ørsted", "Bones=T11, T12 and L1", "Born=2 March 1948"});
}

TEST_CASE("a note is shown when given, one paragraph per line") {
  auto event = sampleEvent();
  event.notes = "Take paracetamol.\n\nSee your GP in a week.";
  const auto leaflet = build(event);
  REQUIRE(leaflet.blocks.size() == 7);
  CHECK(plainText(leaflet.blocks[4].texts[0]) == "Note");
  CHECK(plainText(leaflet.blocks[5].texts[0]) == "Take paracetamol.");
  CHECK(plainText(leaflet.blocks[6].texts[0]) == "See your GP in a week.");
}

TEST_CASE("patient text is never read as markup or placeholders") {
  auto event = sampleEvent();
  event.patient.givenName = "**{note}**";
  const auto leaflet = build(event);
  CHECK(leaflet.blocks[0].texts[0] == RichText{{"Hello **{note}**", false}});
}
