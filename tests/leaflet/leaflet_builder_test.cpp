#include "leaflet/leaflet_builder.h"

#include <doctest/doctest.h>

#include "events/timestamp.h"
#include "shipped_words.h"

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
  layout.words = shippedWords("en-GB");
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
                                 "Bones=T11, T12 and L1", "Born=2\u00A0March\u00A01948"});
  CHECK(leaflet.blocks[2].texts[0] ==
        RichText{{"Rest ", false}, {"until 2:30pm on Monday\u00A023\u00A0November", true}, {". Lift after Sunday\u00A06\u00A0December.", false}});
}

TEST_CASE("a discharge known only by its day counts deadlines in whole days") {
  auto event = sampleEvent();
  // Sunday 22 November, start of the day in London (GMT in November).
  event.dischargedAt = date::sys_days{date::year{2026} / 11 / 22};
  event.dischargeDayOnly = true;
  const auto leaflet = build(event);
  CHECK(leaflet.blocks[2].texts[0] ==
        RichText{{"Rest ", false}, {"until the end of Monday\u00A023\u00A0November", true},
                 {". Lift after Sunday\u00A06\u00A0December.", false}});
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
        std::vector<std::string>{"Radiology=0114\u00A0271\u00A05432", "Ward 7=0114\u00A0000\u00A00007",
                                 "Emergency=999"});
}

TEST_CASE("a patient with one name and no NHS number") {
  auto event = sampleEvent();
  event.patient.givenName.reset();
  event.patient.nhsNumber.reset();
  const auto leaflet = build(event);
  CHECK(plainText(leaflet.blocks[0].texts[0]) == "Hello ");
  CHECK(rowTexts(leaflet.blocks[1]) ==
        std::vector<std::string>{"Name=Łukasiewicz-Ørsted", "Bones=T11, T12 and L1", "Born=2\u00A0March\u00A01948"});
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

namespace {

constexpr const char* kNbsp = "\u00A0";

Block group(std::string title, std::vector<Block> content, bool emphasis = false, std::string when = "") {
  Block block = text(BlockKind::kGroup, std::move(title), std::move(when));
  block.children = std::move(content);
  block.emphasis = emphasis;
  return block;
}

// A layout holding only `content`, with the standard deadlines and level regions.
Layout layoutWith(std::vector<Block> content) {
  Layout layout = sampleLayout();
  layout.deadlines = {{"rest", 24, 0}};
  for (const auto& level : {"T11", "T12"}) layout.levelRegions[level] = "middle back";
  for (const auto& level : {"L1", "L2"}) layout.levelRegions[level] = "lower back";
  layout.content = std::move(content);
  return layout;
}

Leaflet buildWith(const DischargeEvent& event, const Layout& layout, const SiteDetails& site = kSite) {
  static const Calendar calendar("Europe/London");
  return buildLeaflet(event, layout, site, calendar, "WP-TEST");
}

// Every text of the leaflet's blocks, depth first, one line each (a string, so that doctest
// prints it when a check fails).
std::string allTexts(const std::vector<LeafletBlock>& blocks) {
  std::string out;
  for (const auto& block : blocks) {
    for (const auto& text : block.texts) out += plainText(text) + "\n";
    out += allTexts(block.children);
  }
  return out;
}

std::string lines(const std::vector<std::string>& texts) {
  std::string out;
  for (const auto& text : texts) out += text + "\n";
  return out;
}

DischargeEvent withLaterFields() {
  auto event = sampleEvent();
  event.followUp = wardprint::events::FollowUp{*wardprint::events::parseRfc3339("2026-12-08T10:30:00Z"),
                                               std::nullopt, std::string("Spinal clinic"), std::nullopt};
  event.bloodThinners = {{"Warfarin", date::year{2026} / 11 / 23, std::string("Take 3 mg at 6pm.")},
                         {"Apixaban", date::year{2026} / 11 / 24, std::nullopt}};
  return event;
}

}  // namespace

TEST_CASE("a box's groups keep their titles, content and emphasis") {
  Block box = text(BlockKind::kBox, "When to get help");
  box.children = {group("Call 999 now", {text(BlockKind::kParagraph, "chest pain")}, true),
                  group("Call {ward.name} on {ward.phone}", {text(BlockKind::kParagraph, "a fever")})};
  const auto leaflet = buildWith(sampleEvent(), layoutWith({box}));
  REQUIRE(leaflet.blocks.size() == 1);
  const auto& groups = leaflet.blocks[0].children;
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].kind == BlockKind::kGroup);
  CHECK(groups[0].emphasis);
  CHECK_FALSE(groups[1].emphasis);
  CHECK(plainText(groups[1].texts[0]) == std::string("Call Ward 7 on 0114") + kNbsp + "000" + kNbsp + "0007");
  REQUIRE(groups[0].children.size() == 1);
  CHECK(plainText(groups[0].children[0].texts[0]) == "chest pain");
}

TEST_CASE("the bones treated are named in plain words, each part of the spine once") {
  const auto leaflet = buildWith(sampleEvent(), layoutWith({text(BlockKind::kParagraph, "{procedure.regions}")}));
  CHECK(allTexts(leaflet.blocks) == "middle back and lower back\n");  // T11, T12, L1
}

TEST_CASE("optional sections appear only when the event or site gives them") {
  Block each = text(BlockKind::kParagraph, "{blood_thinner.name}: from {blood_thinner.restart_on}.");
  each.forEach = "blood_thinners";
  Block instructions = text(BlockKind::kParagraph, "{blood_thinner.instructions}", "blood_thinner.instructions");
  instructions.forEach = "blood_thinners";
  const auto layout = layoutWith({
      text(BlockKind::kParagraph, "Follow-up.", "follow_up"),
      text(BlockKind::kParagraph, "At {follow_up.at} in {follow_up.place}.", "follow_up.at"),
      text(BlockKind::kParagraph, "With {follow_up.with}.", "follow_up.with"),
      text(BlockKind::kParagraph, "Blood thinners.", "blood_thinners"),
      each,
      instructions,
      text(BlockKind::kParagraph, "After sedation.", "sedation_advice"),
      text(BlockKind::kParagraph, "GP letter.", "gp_letter"),
      text(BlockKind::kParagraph, "Oncology {acute_oncology.phone}.", "acute_oncology.phone"),
  });

  SUBCASE("none given: only the sedation advice, which shows unless the event says local") {
    CHECK(allTexts(buildWith(sampleEvent(), layout).blocks) == "After sedation.\n");
    auto local = sampleEvent();
    local.procedure.anaesthesia = wardprint::events::Anaesthesia::kLocal;
    CHECK(allTexts(buildWith(local, layout).blocks).empty());
    auto general = sampleEvent();
    general.procedure.anaesthesia = wardprint::events::Anaesthesia::kGeneral;
    CHECK(allTexts(buildWith(general, layout).blocks) == "After sedation.\n");
  }
  SUBCASE("all given") {
    auto site = kSite;
    site.gpLetter = true;
    site.contacts.push_back({"Acute oncology", "0800 123 4567", std::nullopt, ContactRole::kAcuteOncology});
    CHECK(allTexts(buildWith(withLaterFields(), layout, site).blocks) ==
          lines({"Follow-up.",
                                   "At 10:30am on Tuesday\u00A08\u00A0December in Spinal clinic.",
                                   "Blood thinners.",
                                   "Warfarin: from Monday\u00A023\u00A0November.",
                                   "Take 3 mg at 6pm.",
                                   "Apixaban: from Tuesday\u00A024\u00A0November.",
                                   "After sedation.",
                                   "GP letter.",
                                   std::string("Oncology 0800") + kNbsp + "123" + kNbsp + "4567."}));
  }
}

TEST_CASE("the daytime line: its hours, and the ward's number while it is shut through the rest period") {
  const auto layout = layoutWith({
      text(BlockKind::kParagraph, "{daytime.label}, {daytime.hours}: {daytime.phone}"),
      text(BlockKind::kParagraph, "Shut until {daytime.opens}: call {ward.phone}.", "daytime.opens"),
  });
  auto site = kSite;
  site.contacts[0].role = ContactRole::kDaytime;
  site.contacts[0].hours = OpeningHours{*parseOpeningDays({"weekdays"}), std::chrono::hours{8}, std::chrono::hours{18}};
  site.closedDates = {date::year{2026} / 12 / 25};
  const std::string radiology = std::string("Radiology, Monday to Friday, 8am\u00A0to\u00A06pm: 0114") + kNbsp + "271" + kNbsp + "5432";
  const std::string wardPhone = std::string("0114") + kNbsp + "000" + kNbsp + "0007";
  struct Case {
    std::string what;
    const char* dischargedAt;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"Sunday afternoon: open Monday 8am, before the rest ends", "2026-11-22T14:30:00Z", {radiology}},
      {"Friday afternoon: open when the patient leaves", "2026-11-27T14:30:00Z", {radiology}},
      {"Friday evening: shut until Monday", "2026-11-27T19:00:00Z",
       {radiology, "Shut until 8am on Monday\u00A030\u00A0November: call " + wardPhone + "."}},
      {"Saturday morning: shut until Monday", "2026-11-28T09:00:00Z",
       {radiology, "Shut until 8am on Monday\u00A030\u00A0November: call " + wardPhone + "."}},
      {"Thursday morning: open", "2026-11-26T09:00:00Z", {radiology}},
      {"Monday evening: opens again within the rest period", "2026-11-23T19:00:00Z", {radiology}},
      {"Christmas Eve evening: the bank holiday keeps it shut", "2026-12-24T18:30:00Z",
       {radiology, "Shut until 8am on Monday\u00A028\u00A0December: call " + wardPhone + "."}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto event = sampleEvent();
    event.dischargedAt = *wardprint::events::parseRfc3339(c.dischargedAt);
    event.procedure.performedAt = event.dischargedAt;
    CHECK(allTexts(buildWith(event, layout, site).blocks) == lines(c.expected));
  }
  SUBCASE("without a daytime line the ward stands in for it") {
    CHECK(allTexts(buildWith(sampleEvent(), layout).blocks) == "Ward 7, at any time: " + wardPhone + "\n");
  }
  SUBCASE("the contacts table gives the hours in plain words") {
    Block contacts;
    contacts.kind = BlockKind::kContacts;
    contacts.wardLabel = "{ward.name}";
    const auto leaflet = buildWith(sampleEvent(), layoutWith({contacts}), site);
    CHECK(rowTexts(leaflet.blocks[0])[0] == "Radiology (Monday to Friday, 8am\u00A0to\u00A06pm)=0114" + std::string(kNbsp) + "271" + kNbsp + "5432");
  }
}
