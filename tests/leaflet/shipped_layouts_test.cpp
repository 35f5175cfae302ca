// The shipped layouts (layouts/*.yaml) filled in for real events: what a patient reads,
// checked on the built leaflet before any rendering.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "events/timestamp.h"
#include "leaflet/layout_catalog.h"
#include "leaflet/leaflet_builder.h"

using namespace wardprint::leaflet;
using wardprint::events::DischargeEvent;

namespace {

const std::vector<std::string> kFontDirs{"/usr/share/fonts/truetype/open-sans",
                                         "/usr/share/fonts/truetype/dejavu"};
const std::string kNbsp = "\u00A0";

const LayoutCatalog& catalog() {
  static const auto loaded = LayoutCatalog::load(WARDPRINT_SOURCE_DIR "/layouts", kFontDirs);
  return loaded;
}

const Calendar& london() {
  static const Calendar calendar("Europe/London");
  return calendar;
}

// The text with every space a no-break space.
std::string nbsp(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == ' ' ? kNbsp : std::string(1, c);
  return out;
}

DischargeEvent minimalEvent(const Layout& layout) {
  DischargeEvent event;
  event.eventId = "ADT-1";
  event.dischargedAt = *wardprint::events::parseRfc3339("2026-11-22T14:30:00Z");  // a Sunday
  event.ward = "ward-7";
  event.patient = {std::string("Zoë"), "Łukasiewicz-Ørsted", "RHQ1234567", std::nullopt, date::year{1948} / 3 / 2};
  event.procedure = {layout.procedure, {"T12", "L1"}, event.dischargedAt - std::chrono::hours{5}, "Dr A Shah"};
  event.procedure.anaesthesia = wardprint::events::Anaesthesia::kLocal;
  event.language = layout.language;
  event.largePrint = layout.largePrint;
  return event;
}

DischargeEvent fullEvent(const Layout& layout) {
  auto event = minimalEvent(layout);
  event.procedure.anaesthesia = wardprint::events::Anaesthesia::kSedation;
  event.notes = "Take paracetamol as needed.";
  event.followUp = wardprint::events::FollowUp{*wardprint::events::parseRfc3339("2026-12-08T10:30:00Z"),
                                               std::nullopt, std::string("Spinal clinic, Outpatients B"),
                                               std::string("Dr A Shah")};
  event.bloodThinners = {{"Warfarin", date::year{2026} / 11 / 23, std::string("Take 3 mg at 6pm.")},
                         {"Apixaban", date::year{2026} / 11 / 24, std::nullopt}};
  return event;
}

Contact radiology() {
  return {"Radiology department", "0114 271 5432",
          OpeningHours{*parseOpeningDays({"weekdays"}), std::chrono::hours{8}, std::chrono::hours{18}},
          ContactRole::kDaytime};
}

SiteDetails plainSite() { return {"Example Teaching Hospital", {radiology()}, "Ward 7", "0114 000 0007"}; }

SiteDetails fullSite() {
  auto site = plainSite();
  site.gpLetter = true;
  site.contacts.push_back({"Acute oncology line", "0114 000 0999", std::nullopt, ContactRole::kAcuteOncology});
  return site;
}

Leaflet build(const Layout& layout, const DischargeEvent& event, const SiteDetails& site) {
  return buildLeaflet(event, layout, site, london(), "WP-TEST");
}

void collect(const std::vector<LeafletBlock>& blocks, std::vector<std::string>& out) {
  for (const auto& block : blocks) {
    for (const auto& text : block.texts) out.push_back(plainText(text));
    for (const auto& [label, value] : block.rows) out.push_back(plainText(label) + " | " + plainText(value));
    collect(block.children, out);
  }
}

std::vector<std::string> texts(const std::vector<LeafletBlock>& blocks) {
  std::vector<std::string> out;
  collect(blocks, out);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

bool has(const Leaflet& leaflet, const std::string& text) {
  return joined(texts(leaflet.blocks)).find(text) != std::string::npos;
}

const LeafletBlock& warningBox(const Leaflet& leaflet) {
  const auto box = std::find_if(leaflet.blocks.begin(), leaflet.blocks.end(),
                                [](const LeafletBlock& block) { return block.kind == BlockKind::kBox; });
  REQUIRE(box != leaflet.blocks.end());
  return *box;
}

// The bullets of one group, as plain text.
std::vector<std::string> bulletsOf(const LeafletBlock& group) {
  std::vector<std::string> out;
  for (const auto& child : group.children) {
    if (child.kind != BlockKind::kBullets) continue;
    for (const auto& text : child.texts) out.push_back(plainText(text));
  }
  return out;
}

const std::vector<std::string> kEmergencySigns{
    "chest pain",
    "sudden breathlessness",
    "lost control of your bladder or bowels",
    "numbness around your bottom or genitals",
    "sudden new or worse weakness or numbness in your legs",
    "a needle site that still bleeds after " + nbsp("10 minutes") + " of firm pressure",
};

// The English layouts, whose wording these tests read; the Welsh ones are held to them below.
template <typename Check>
void forEachLayout(Check check) {
  std::size_t english = 0;
  for (const auto& layout : catalog().layouts()) {
    if (layout.language != "en-GB") continue;
    CAPTURE(layout.id);
    check(layout);
    ++english;
  }
  REQUIRE(english == 4);
}

}  // namespace

TEST_CASE("the 999 group holds exactly the emergency signs, and no other group holds any of them") {
  forEachLayout([](const Layout& layout) {
    const auto leaflet = build(layout, fullEvent(layout), fullSite());
    const auto& box = warningBox(leaflet);
    REQUIRE(box.children.size() == 4);
    for (const auto& group : box.children) CHECK(group.kind == BlockKind::kGroup);
    const auto& emergency = box.children[0];
    CHECK(emergency.emphasis);
    CHECK(plainText(emergency.texts[0]) == "Call 999 or go to A&E now");
    CHECK(joined(bulletsOf(emergency)) == joined(kEmergencySigns));
    for (std::size_t i = 1; i < box.children.size(); ++i) {
      const auto& group = box.children[i];
      CHECK_FALSE(group.emphasis);
      const auto groupText = joined(texts({group}));
      for (const auto& sign : kEmergencySigns) {
        CAPTURE(sign);
        CHECK(groupText.find(sign) == std::string::npos);
      }
      CHECK(groupText.find("numbness") == std::string::npos);
      CHECK(groupText.find("weakness") == std::string::npos);
    }
  });
}

TEST_CASE("each warning group carries its own phone number and signs") {
  forEachLayout([](const Layout& layout) {
    const auto leaflet = build(layout, fullEvent(layout), fullSite());
    const auto& box = warningBox(leaflet);
    const auto ward = joined(texts({box.children[1]}));
    CHECK(plainText(box.children[1].texts[0]) == "Call Ward 7 now, day or night: " + nbsp("0114 000 0007"));
    for (const auto& sign : std::vector<std::string>{"back pain that is getting worse",
                             "swelling, redness or fluid where the needle went in",
                             "a temperature of 38°C or more, or you feel hot or shivery",
                             "new tingling in your legs",
                             "sudden new back pain in another place. Another bone may have collapsed."}) {
      CAPTURE(sign);
      CHECK(ward.find(sign) != std::string::npos);
    }
    CHECK(ward.find("call the acute oncology line now: " + nbsp("0114 000 0999")) != std::string::npos);
    const auto daytime = joined(texts({box.children[2]}));
    CHECK(plainText(box.children[2].texts[0]) == "Call in working hours: " + nbsp("0114 271 5432"));
    CHECK(daytime.find("Radiology department is open Monday to Friday, 8am\u00A0to\u00A06pm.") != std::string::npos);
    CHECK(daytime.find("your back pain is not better after " + nbsp("2 weeks")) != std::string::npos);
    const auto cannot = joined(texts({box.children[3]}));
    CHECK(cannot.find("NHS 111") != std::string::npos);
    CHECK(cannot.find(nbsp("18001 111")) != std::string::npos);

    // Without an acute oncology line the sentence is left out.
    const auto plainLeaflet = build(layout, fullEvent(layout), plainSite());
    CHECK(joined(texts({warningBox(plainLeaflet).children[1]})).find("oncology") == std::string::npos);
  });
}

TEST_CASE("a daytime line shut until after the rest period sends the patient to the ward") {
  forEachLayout([](const Layout& layout) {
    auto event = minimalEvent(layout);
    event.dischargedAt = *wardprint::events::parseRfc3339("2026-11-27T19:00:00Z");  // Friday evening
    event.procedure.performedAt = event.dischargedAt - std::chrono::hours{6};
    const auto leaflet = build(layout, event, plainSite());
    CHECK(has(leaflet, "This line is shut until 8am on Monday\u00A030\u00A0November. Until then, call Ward 7 on " +
                           nbsp("0114 000 0007") + "."));
    CHECK_FALSE(has(build(layout, minimalEvent(layout), plainSite()), "This line is shut"));
  });
}

TEST_CASE("optional sections appear when given, and not otherwise") {
  struct Section {
    std::string text;
    bool inFull;
    bool inMinimal;
  };
  const Section sections[] = {
      {"A note from your care team", true, false},
      {"Take paracetamol as needed.", true, false},
      {"After medicine to make you sleepy", true, false},
      {"do not drive", true, false},
      {"We will send a letter to your GP", true, false},
      {"Your follow-up appointment", true, false},
      {"When | 10:30am on Tuesday\u00A08\u00A0December", true, false},
      {"Where | Spinal clinic, Outpatients B", true, false},
      {"Who with | Dr A Shah", true, false},
      {"Your care team says:", true, false},
      {"Warfarin: start again on Monday\u00A023\u00A0November.", true, false},
      {"Take 3 mg at 6pm.", true, false},
      {"Apixaban: start again on Tuesday\u00A024\u00A0November.", true, false},
      {"acute oncology", true, false},
      // In every leaflet:
      {"If you stopped a medicine that thins your blood before your treatment", true, true},
      {"Getting moving again", true, true},
      {"Your dressing, bruising and bleeding", true, true},
      {"There are no stitches to take out.", true, true},
      {"If the dressing gets wet, pat it dry.", true, true},
      {"press firmly on it with a clean cloth for " + nbsp("10 minutes"), true, true},
      {"If it still bleeds after " + nbsp("10 minutes") + ", call 999.", true, true},
      {"Pain relief", true, true},
      {"Keep taking your usual medicines.", true, true},
      {"Ask us or your pharmacist before you take any new medicine.", true, true},
      {"You stayed on Ward 7 at Example Teaching Hospital.", true, true},
      {"Hospital | Example Teaching Hospital", true, true},
      {"Ward | Ward 7", true, true},
  };
  forEachLayout([&](const Layout& layout) {
    const auto full = build(layout, fullEvent(layout), fullSite());
    const auto minimal = build(layout, minimalEvent(layout), plainSite());
    for (const auto& section : sections) {
      CAPTURE(section.text);
      CHECK(has(full, section.text) == section.inFull);
      CHECK(has(minimal, section.text) == section.inMinimal);
    }
    // The sedation advice shows when the event does not say how the patient was numbed.
    auto unknown = minimalEvent(layout);
    unknown.procedure.anaesthesia.reset();
    CHECK(has(build(layout, unknown, plainSite()), "After medicine to make you sleepy"));
  });
}

TEST_CASE("the clinician's note comes straight after what was done") {
  forEachLayout([](const Layout& layout) {
    const auto lines = texts(build(layout, fullEvent(layout), fullSite()).blocks);
    const auto at = [&](const std::string& text) {
      return std::find(lines.begin(), lines.end(), text) - lines.begin();
    };
    CHECK(at("What was done") < at("A note from your care team"));
    CHECK(at("A note from your care team") + 1 == at("Take paracetamol as needed."));
    CHECK(at("Take paracetamol as needed.") + 1 == at("How you may feel"));
  });
}

TEST_CASE("dates carry their weekday, the lifting rule reads one way, and levels say where they are") {
  forEachLayout([](const Layout& layout) {
    const auto leaflet = build(layout, minimalEvent(layout), plainSite());
    CHECK(has(leaflet, "Do not lift anything heavy or bend down until at least Sunday\u00A06\u00A0December. Your care "
                       "team may ask you to wait longer, up to Sunday\u00A013\u00A0December."));
    CHECK(has(leaflet, "Bones treated | T12 and L1, in your middle back and lower back"));
    CHECK(has(leaflet, "Rest quietly until 2:30pm on Monday\u00A023\u00A0November."));
    CHECK(plainText(leaflet.footer) == "Page {page.number} of {page.count} · WP-TEST · " + layout.id + " v" +
                                           std::to_string(layout.version));
    CHECK(layout.version >= 2);
  });
}

TEST_CASE("what an HL7 message may lack (levels, procedure time, clinician, birth date) leaves its lines out") {
  forEachLayout([](const Layout& layout) {
    const auto full = joined(texts(build(layout, minimalEvent(layout), plainSite()).blocks));
    auto event = minimalEvent(layout);
    event.procedure.levels.clear();
    event.procedure.performedAt.reset();
    event.procedure.clinician.reset();
    event.patient.dateOfBirth.reset();
    const auto lacking = joined(texts(build(layout, event, plainSite()).blocks));
    for (const std::string label : {"Bones treated |", "Treated on |", "Treated by |", "Date of birth |"}) {
      CAPTURE(label);
      CHECK(full.find(label) != std::string::npos);
      CHECK(lacking.find(label) == std::string::npos);
    }
    CHECK(lacking.find("unknown") == std::string::npos);
    CHECK(lacking.find(" | \n") == std::string::npos);  // no label with nothing after it
    CHECK(lacking.find("Hospital number | RHQ1234567") != std::string::npos);
  });
}

TEST_CASE("no line can end between a number and its unit, or inside a phone number") {
  const std::regex brokenUnit("[0-9] (weeks?|days?|hours?|minutes?|mg|°C)\\b");
  const std::regex brokenPhone("[0-9]{3,5} [0-9]{3}");
  forEachLayout([&](const Layout& layout) {
    const auto leaflet = build(layout, fullEvent(layout), fullSite());
    for (const auto& line : texts(leaflet.blocks)) {
      if (line == "Take 3 mg at 6pm.") continue;  // the sender's own words
      CAPTURE(line);
      CHECK_FALSE(std::regex_search(line, brokenUnit));
      CHECK_FALSE(std::regex_search(line, brokenPhone));
    }
    CHECK(has(leaflet, "within " + nbsp("2 days") + " to " + nbsp("2 weeks") + "."));
  });
}

namespace {

// Flesch-Kincaid grade of English text: 0.39 words per sentence + 11.8 syllables per word
// - 15.59. A sentence ends at ".", "!", "?" or ":", and at the end of each text (a bullet
// item is read as a sentence). Syllables are counted as groups of vowels (y counts), less
// a silent final "e"; a number is one syllable. Rough, but it moves the way reading
// difficulty does: longer sentences and longer words raise it.
struct ReadingCounts {
  double words = 0, sentences = 0, syllables = 0;
  double grade() const { return 0.39 * words / sentences + 11.8 * syllables / words - 15.59; }
};

int syllablesOf(const std::string& word) {
  const auto vowel = [](char c) { return std::string("aeiouy").find(static_cast<char>(std::tolower(c))) != std::string::npos; };
  int count = 0;
  bool inVowels = false;
  for (const char c : word) {
    const bool isVowel = vowel(c);
    if (isVowel && !inVowels) ++count;
    inVowels = isVowel;
  }
  const bool silentE = word.size() > 2 && std::tolower(word.back()) == 'e' && !vowel(word[word.size() - 2]) &&
                       !(std::tolower(word[word.size() - 2]) == 'l');
  if (silentE && count > 1) --count;
  return std::max(count, 1);
}

void countText(const std::string& text, ReadingCounts& counts) {
  std::string word;
  bool sentenceOpen = false;
  const auto endWord = [&] {
    if (word.empty()) return;
    counts.words += 1;
    counts.syllables += syllablesOf(word);
    word.clear();
    sentenceOpen = true;
  };
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) || c == '\'') {
      word += c;
      continue;
    }
    endWord();
    if ((c == '.' || c == '!' || c == '?' || c == ':') && sentenceOpen) {
      counts.sentences += 1;
      sentenceOpen = false;
    }
  }
  endWord();
  if (sentenceOpen) counts.sentences += 1;
}

// The leaflet's own sentences: paragraphs and bullet items, also inside the warning box.
// Titles, headings and tables are labels, not prose; the sender's free text (the note, a
// medicine's instructions) is left out by the event used.
void countProse(const std::vector<LeafletBlock>& blocks, ReadingCounts& counts) {
  for (const auto& block : blocks) {
    if (block.kind == BlockKind::kParagraph || block.kind == BlockKind::kBullets) {
      for (const auto& text : block.texts) countText(plainText(text), counts);
    }
    countProse(block.children, counts);
  }
}

ReadingCounts readingCounts(const std::string& text) {
  ReadingCounts counts;
  countText(text, counts);
  return counts;
}

}  // namespace

TEST_CASE("the reading-age measure scores short plain sentences low and long words high") {
  CHECK(syllablesOf("cat") == 1);
  CHECK(syllablesOf("bruise") == 1);
  CHECK(syllablesOf("needle") == 2);
  CHECK(syllablesOf("medicine") == 3);
  CHECK(readingCounts("Rest today. Walk a little more each day.").grade() < 2);
  CHECK(readingCounts("Postprocedural immobilisation necessitates considerable circumspection regarding "
                      "unaccustomed musculoskeletal exertion.").grade() > 12);
}

// The issue asks for a reading age of 9 to 11, which is a Flesch-Kincaid grade of about 4 to
// 6 (reading age is roughly the US grade plus 5). The upper bound is the real limit: above
// grade 6 the leaflet is harder than the NHS aims for. Short clinical sentences score below
// 4 (the shipped layouts score about 3.8) and that is no fault, so the lower bound of 2 only
// proves the measure counted sentences and syllables at all.
TEST_CASE("every layout's own text keeps a reading age of 11 or under") {
  forEachLayout([](const Layout& layout) {
    auto event = minimalEvent(layout);
    event.procedure.anaesthesia = wardprint::events::Anaesthesia::kSedation;  // every section shows
    const auto leaflet = build(layout, event, fullSite());
    ReadingCounts counts;
    countProse(leaflet.blocks, counts);
    REQUIRE(counts.sentences >= 40);
    MESSAGE(layout.id << ": Flesch-Kincaid grade " << counts.grade() << " over " << counts.words << " words, "
                      << counts.sentences << " sentences");
    CHECK(counts.grade() <= 6.0);
    CHECK(counts.grade() >= 2.0);
  });
}

TEST_CASE("the Welsh layouts are drafts with the English layouts' deadlines, warning groups and numbers") {
  std::size_t welsh = 0;
  for (const auto& layout : catalog().layouts()) {
    if (layout.language != "cy-GB") continue;
    ++welsh;
    CAPTURE(layout.id);
    CHECK(layout.draft);
    const auto* english = catalog().find({layout.procedure, "en-GB", layout.largePrint});
    REQUIRE(english);
    CHECK_FALSE(english->draft);
    REQUIRE(layout.deadlines.size() == english->deadlines.size());
    for (std::size_t i = 0; i < layout.deadlines.size(); ++i) {
      CHECK(layout.deadlines[i].name == english->deadlines[i].name);
      CHECK(layout.deadlines[i].hours == english->deadlines[i].hours);
      CHECK(layout.deadlines[i].days == english->deadlines[i].days);
    }
    const auto leaflet = build(layout, fullEvent(layout), fullSite());
    const auto englishLeaflet = build(*english, fullEvent(*english), fullSite());
    const auto& box = warningBox(leaflet);
    const auto& englishBox = warningBox(englishLeaflet);
    REQUIRE(box.children.size() == englishBox.children.size());
    CHECK(box.children[0].emphasis);
    for (std::size_t i = 0; i < box.children.size(); ++i) {
      CAPTURE(i);
      CHECK(bulletsOf(box.children[i]).size() == bulletsOf(englishBox.children[i]).size());
    }
    CHECK(plainText(box.children[0].texts[0]).find("999") != std::string::npos);
    CHECK(plainText(box.children[1].texts[0]).find(nbsp("0114 000 0007")) != std::string::npos);
    CHECK(joined(texts({box.children[1]})).find(nbsp("0114 000 0999")) != std::string::npos);
    CHECK(joined(texts({box.children[3]})).find("111") != std::string::npos);
    // Left on Sunday 22 November at 2:30pm: the dates in Welsh, soft-mutated after "tan"
    // (until) and "hyd at" (up to), and for "on" after a time.
    CHECK(has(leaflet, "tan 2:30yh " + nbsp("ddydd Llun 23 Tachwedd")));
    CHECK(has(leaflet, "tan o leiaf " + nbsp("ddydd Sul 6 Rhagfyr")));
    CHECK(has(leaflet, "hyd at " + nbsp("ddydd Sul 13 Rhagfyr")));
    CHECK(has(leaflet, "Dyddiad geni | " + nbsp("2 Mawrth 1948")));
    CHECK(has(leaflet, "T12 a L1 (canol y cefn a rhan isaf y cefn)"));
    CHECK(has(leaflet, "dechreuwch eto " + nbsp("ddydd Llun 23 Tachwedd")));
    CHECK(has(leaflet, "dydd Llun i ddydd Gwener, 8yb\u00A0i\u00A06yh"));
    CHECK(plainText(leaflet.footer).find("Tudalen {page.number} o {page.count}") == 0);
  }
  CHECK(welsh == 4);
}
