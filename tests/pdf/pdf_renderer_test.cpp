// Leaflets rendered through intake::LeafletService with the default configuration, then read
// back with the tools a reader of the PDF would use: poppler-utils and qpdf.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../test_support.h"
#include "pdf_tools.h"
#include "settings/config.h"
#include "intake/leaflet_service.h"
#include "events/event_parser.h"
#include "leaflet/layout_loader.h"
#include "pdf/pdf_renderer.h"
#include "util/problems.h"

namespace intake = wardprint::intake;
namespace settings = wardprint::settings;
namespace events = wardprint::events;
namespace util = wardprint::util;
using namespace wardprint::testsupport;

namespace {

// The font sizes, in points, that pdftohtml reports for each text fragment containing `phrase`.
std::vector<int> fontSizesOf(const std::string& pdf, const std::string& phrase) {
  const auto xml = runTool({"pdftohtml", "-xml", "-stdout", "-i", "-q", "-zoom", "1", pdf}).out;
  static const std::regex fontspec(R"re(<fontspec id="(\d+)" size="(\d+)")re");
  static const std::regex textElement(R"re(<text [^>]*font="(\d+)">(.*)</text>)re");
  static const std::regex tag("<[^>]*>");
  std::map<std::string, int> sizes;
  for (std::sregex_iterator it(xml.begin(), xml.end(), fontspec), end; it != end; ++it) {
    sizes[(*it)[1]] = std::stoi((*it)[2]);
  }
  std::vector<int> found;
  for (std::sregex_iterator it(xml.begin(), xml.end(), textElement), end; it != end; ++it) {
    const auto text = std::regex_replace((*it)[2].str(), tag, "");
    if (text.find(phrase) != std::string::npos) found.push_back(sizes.at((*it)[1]));
  }
  return found;
}

// Whether footer text names the layout and its version ("vertebroplasty.en-GB v2", or
// "vertebroplasty.en-GB version 2" as the first layouts wrote it).
bool carriesLayout(const std::string& text, const std::string& layoutId, int version) {
  const auto number = std::to_string(version);
  return text.find(layoutId + " v" + number) != std::string::npos ||
         text.find(layoutId + " version " + number) != std::string::npos;
}

// One event of tests/data and what its leaflet must (and must not) say.
struct LeafletCase {
  std::string eventFile;
  std::string fullName;
  std::string hospitalNumber;
  std::string layoutId;
  std::vector<std::string> present;  // searched with whitespace collapsed
  std::vector<std::string> absent;
  std::vector<std::string> lineStarts;  // must begin a line of pdftotext's output
};

const std::string kNoteHeading = "A note from your care team";

const std::vector<LeafletCase>& leafletCases() {
  static const std::vector<LeafletCase> cases{
      {"discharge-vertebroplasty.json",
       "Zoë Łukasiewicz-Ørsted",
       "RHQ1234567",
       "vertebroplasty.en-GB",
       {"2:30pm on Sunday 22 November", "until 2:30pm on Monday 23 November",
        "until 2:30pm on Tuesday 24 November", "6 December", "13 December",
        "943 476 5919", "T12 and L1", "Dr A Shah", "0114 271 5432", "0114 271 2957",
        "0114 000 0007", "111", "999", kNoteHeading, "Take paracetamol as needed."},
       {"9434765919", "0114 000 0008"},
       {}},
      {"discharge-kyphoplasty-greek.json",
       "Παρασκευή Αθανασοπούλου",
       "RHQ2000201",
       "kyphoplasty.en-GB",
       // Saturday 28 March 2026: the clocks go forward that night.
       {"Kyphoplasty", "until 10am on Sunday 29 March", "until 10am on Monday 30 March",
        "11 April", "18 April", "401 023 2137", "0114 271 5432",
        "0114 000 0008", "111", "999"},
       {kNoteHeading, "0114 000 0007", "Vertebroplasty"},
       {}},
      {"discharge-large-print.json",
       "Arthur Pennington-Smythe",
       "RHQ2000202",
       "vertebroplasty.en-GB.large",
       {"until 9:15am on Monday 21 December", "until 9:15am on Tuesday 22 December",
        "3 January 2027", "10 January 2027", "485 777 3457", "T11, T12 and L1",
        "0114 271 5432", "0114 000 0007", kNoteHeading,
        "Your daughter has the spare key to your pill box."},
       {},
       {}},
      {"discharge-one-name.json",
       "Sukarno",
       "RHQ2000203",
       "vertebroplasty.en-GB",
       {"This leaflet is for Sukarno.", "until 9am on Tuesday 16 June",
        "until 9am on Wednesday 17 June", "29 June", "6 July", "0114 271 5432",
        "0114 000 0007"},
       {"NHS number", kNoteHeading},
       {}},
      {"discharge-cyrillic.json",
       "Ярослава Гончаренко-Шевчук",
       "RHQ2000204",
       "vertebroplasty.en-GB",
       {"until 4:45pm on Wednesday 11 February", "until 4:45pm on Thursday 12 February",
        "24 February", "3 March", "987 654 3210", "L3 and L4", kNoteHeading,
        "Ваша дочь знает, как связаться с отделением."},
       {},
       {}},
      {"discharge-multiline-note.json",
       "Siobhán Ní Bhriain",
       "RHQ2000205",
       "vertebroplasty.en-GB",
       {"Thursday 3 September", "Friday 4 September", "16 September", "23 September", "450 557 7104", kNoteHeading,
        "Take paracetamol as needed, up to 4 times in 24 hours.",
        "Do not drive until you can turn in your seat and brake hard without pain.",
        "If it has not arrived by then, call the radiology department.",
        "If you live alone, ask a friend or relative to stay with you tonight."},
       {},
       // Each line of the note is its own paragraph.
       {"Take paracetamol as needed", "Do not drive until", "Your follow-up appointment letter",
        "Bring your list of medicines", "You can start gentle walking", "If you live alone"}},
      {"discharge-saturday-bst.json",
       "Oluwaseun Adeyemi",
       "RHQ2000206",
       "vertebroplasty.en-GB",
       // 14:30 BST on Saturday; the clocks go back overnight, yet rest ends at 2:30pm Sunday.
       {"2:30pm on Saturday 24 October", "until 2:30pm on Sunday 25 October",
        "until 2:30pm on Monday 26 October", "7 November", "14 November",
        "943 476 5919"},
       {kNoteHeading},
       {}},
      {"discharge-utf8-fallback.json",
       "Oluwaseun Adébáyọ̀",
       "RHQ2000207",
       "vertebroplasty.en-GB",
       // ọ and the combining grave are in none of the single-byte encodings: UTF-8 fonts.
       {"until 2:30pm on Monday 23 November", "943 476 5919"},
       {},
       {}},
  };
  return cases;
}

// A case rendered to a file in `dir`, with what pdftotext made of it.
struct RenderedCase {
  intake::RenderedLeaflet leaflet;
  std::string pdfPath;
  std::string text;  // pdftotext's output, pages ending in form feeds
  std::string textErrors;
};

RenderedCase renderCase(intake::LeafletService& service, const TempDir& dir,
                        const LeafletCase& leafletCase) {
  RenderedCase rendered;
  rendered.leaflet = service.render(loadEvent(leafletCase.eventFile, service));
  rendered.pdfPath = dir.path(leafletCase.eventFile + ".pdf");
  writeFile(rendered.pdfPath, rendered.leaflet.pdf);
  const auto text = runTool({"pdftotext", "-enc", "UTF-8", rendered.pdfPath, "-"});
  rendered.text = text.out;
  rendered.textErrors = text.err;
  return rendered;
}

}  // namespace

TEST_CASE("every page of a rendered leaflet carries the patient's name and hospital number") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  for (const auto& leafletCase : leafletCases()) {
    CAPTURE(leafletCase.eventFile);
    const auto rendered = renderCase(service, dir, leafletCase);
    const auto pages = splitPages(rendered.text);
    REQUIRE(pages.size() == static_cast<std::size_t>(pdfinfoPageCount(rendered.pdfPath)));
    for (std::size_t i = 0; i < pages.size(); ++i) {
      CAPTURE(i + 1);
      // Names must come back byte for byte, so this search is on the raw text.
      CHECK(pages[i].find(leafletCase.fullName) != std::string::npos);
      CHECK(pages[i].find(leafletCase.hospitalNumber) != std::string::npos);
    }
  }
}

TEST_CASE("page footers say 'Page N of M' with M the page count pdfinfo reports") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  for (const auto& leafletCase : leafletCases()) {
    CAPTURE(leafletCase.eventFile);
    const auto rendered = renderCase(service, dir, leafletCase);
    const int pageCount = pdfinfoPageCount(rendered.pdfPath);
    const auto pages = splitPages(rendered.text);
    REQUIRE(pages.size() == static_cast<std::size_t>(pageCount));
    for (int page = 1; page <= pageCount; ++page) {
      const auto text = collapseWhitespace(pages[static_cast<std::size_t>(page - 1)]);
      const auto expected = "Page " + std::to_string(page) + " of " + std::to_string(pageCount);
      CAPTURE(expected);
      CHECK(countOccurrences(text, expected + " ") == 1);
      CHECK(countOccurrences(text, "Page ") == 1);  // no other page's footer on this page
      CHECK(carriesLayout(text, rendered.leaflet.layoutId, rendered.leaflet.layoutVersion));
      CHECK(text.find(rendered.leaflet.documentId) != std::string::npos);
    }
  }
}

TEST_CASE("every sample leaflet has at least two pages, so the per-page checks mean something") {
  // Guards the two tests above: with one page, "every page" would prove little.
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  for (const auto& leafletCase : leafletCases()) {
    CAPTURE(leafletCase.eventFile);
    const auto rendered = renderCase(service, dir, leafletCase);
    CHECK(pdfinfoPageCount(rendered.pdfPath) >= 2);
  }
}

TEST_CASE("leaflet text shows the computed dates, contacts, NHS number and note for each event") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  for (const auto& leafletCase : leafletCases()) {
    CAPTURE(leafletCase.eventFile);
    const auto rendered = renderCase(service, dir, leafletCase);
    CHECK(rendered.leaflet.layoutId == leafletCase.layoutId);
    const auto text = collapseWhitespace(rendered.text);
    for (const auto& phrase : leafletCase.present) {
      CAPTURE(phrase);
      CHECK(text.find(phrase) != std::string::npos);
    }
    for (const auto& phrase : leafletCase.absent) {
      CAPTURE(phrase);
      CHECK(text.find(phrase) == std::string::npos);
    }
    for (const auto& start : leafletCase.lineStarts) {
      CAPTURE(start);
      CHECK(rendered.text.find("\n" + start) != std::string::npos);
    }
    CHECK(rendered.text.find('\r') == std::string::npos);
  }
}

namespace {

// libharu 2.3.0 writes a malformed ToUnicode map for its UTF-8 fonts, which the renderer
// uses only for characters no single-byte encoding has; poppler warns, then extracts the
// text correctly anyway (checked by the text tests). Only that warning, only for that event.
std::string withoutKnownUtf8Warning(const std::string& err, const std::string& eventFile) {
  if (eventFile != "discharge-utf8-fallback.json") return err;
  const std::string warning = "Syntax Warning: Invalid 'begincidrange' operator in ToUnicode CMap\n";
  std::string rest = err;
  for (auto at = rest.find(warning); at != std::string::npos; at = rest.find(warning)) rest.erase(at, warning.size());
  return rest;
}

}  // namespace

TEST_CASE(
    "rendered PDFs pass qpdf --check, embed every font, and poppler reads them without warnings") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  for (const auto& leafletCase : leafletCases()) {
    CAPTURE(leafletCase.eventFile);
    const auto rendered = renderCase(service, dir, leafletCase);

    {
      const auto check = runProcess({"qpdf", "--check", rendered.pdfPath});
      INFO("qpdf --check: " << check.out << check.err);
      CHECK(check.exitCode == 0);
    }

    const auto fonts = runTool({"pdffonts", rendered.pdfPath});
    CHECK(withoutKnownUtf8Warning(fonts.err, leafletCase.eventFile) == "");
    CHECK(withoutKnownUtf8Warning(rendered.textErrors, leafletCase.eventFile) == "");
    const auto rows = parsePdffonts(fonts.out);
    CHECK(!rows.empty());
    for (const auto& row : rows) {
      CAPTURE(row.name);
      CHECK(row.embedded == "yes");
      CHECK(row.type.find("TrueType") != std::string::npos);  // the layouts' .ttf files, subset
      CHECK(row.type.find("Type 3") == std::string::npos);
      CHECK(row.type.find("Type 1") == std::string::npos);  // how base-14 fonts show up
      for (const char* base14 : {"Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"}) {
        CHECK(row.name.find(base14) == std::string::npos);
      }
    }
  }
}

TEST_CASE("rendering the same event again gives identical bytes, also after another event") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const auto sample = loadEvent("discharge-vertebroplasty.json", service);
  const auto first = service.render(sample).pdf;

  SUBCASE("straight after") { CHECK(service.render(sample).pdf == first); }
  SUBCASE("after other events on the same renderer") {
    for (const char* other : {"discharge-cyrillic.json", "discharge-large-print.json",
                              "discharge-kyphoplasty-greek.json", "discharge-utf8-fallback.json"}) {
      CAPTURE(other);
      const auto otherPdf = service.render(loadEvent(other, service)).pdf;
      CHECK(otherPdf != first);
      CHECK(service.render(sample).pdf == first);
    }
  }
  SUBCASE("with a fresh service") {
    intake::LeafletService fresh(settings::loadConfig(defaultConfigPath()));
    CHECK(fresh.render(sample).pdf == first);
  }
}

TEST_CASE("large print sets body text at 16 pt or more, standard print at 12 pt or more") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const TempDir dir;
  struct SizeCase {
    std::string eventFile;
    std::string layoutId;
    int minimumPoints;
  };
  const std::vector<SizeCase> sizeCases{
      {"discharge-large-print.json", "vertebroplasty.en-GB.large", 16},
      {"discharge-vertebroplasty.json", "vertebroplasty.en-GB", 12},
  };
  // Phrases of the body text (and of the warning box), in every version of the layouts.
  const std::vector<std::string> bodyPhrases{"Rest quietly", "the dressing",
                                             "Do not lift anything heavy", "chest pain",
                                             "Radiology nurse line"};
  for (const auto& sizeCase : sizeCases) {
    CAPTURE(sizeCase.eventFile);
    const auto leaflet = service.render(loadEvent(sizeCase.eventFile, service));
    CHECK(leaflet.layoutId == sizeCase.layoutId);
    const auto pdf = dir.path(sizeCase.eventFile + ".pdf");
    writeFile(pdf, leaflet.pdf);
    const auto text = collapseWhitespace(runTool({"pdftotext", pdf, "-"}).out);
    CHECK(carriesLayout(text, sizeCase.layoutId, leaflet.layoutVersion));
    for (const auto& phrase : bodyPhrases) {
      CAPTURE(phrase);
      const auto sizes = fontSizesOf(pdf, phrase);
      REQUIRE(!sizes.empty());
      for (const int size : sizes) CHECK(size >= sizeCase.minimumPoints);
    }
  }
}

TEST_CASE(
    "a name, clinician or note with a character no leaflet font has is refused, naming field and "
    "character") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));
  const auto sample = loadEvent("discharge-vertebroplasty.json", service);
  struct UndrawableCase {
    std::string field;
    std::string text;
    std::string character;  // how the problem must name it
  };
  const std::vector<UndrawableCase> cases{
      {"patient.family_name", "ሰላም", "U+1230"},  {"patient.family_name", "Smith 😀", "U+1F600"},
      {"patient.given_name", "Zoë ሰ", "U+1230"}, {"procedure.clinician", "Dr ሰላም", "U+1230"},
      {"notes", "Take paracetamol ሰ", "U+1230"},
  };
  for (const auto& undrawable : cases) {
    CAPTURE(undrawable.field);
    CAPTURE(undrawable.text);
    auto event = sample;
    if (undrawable.field == "patient.family_name") event.patient.familyName = undrawable.text;
    if (undrawable.field == "patient.given_name") event.patient.givenName = undrawable.text;
    if (undrawable.field == "procedure.clinician") event.procedure.clinician = undrawable.text;
    if (undrawable.field == "notes") event.notes = undrawable.text;

    std::optional<util::Problems> problems;
    try {
      service.render(event);
    } catch (const util::InvalidInput& refused) {
      problems = refused.problems();
    }
    REQUIRE(problems.has_value());
    REQUIRE(problems->size() == 1);
    CHECK(problems->front().field == undrawable.field);
    CHECK(problems->front().reason.find(undrawable.character) != std::string::npos);
  }
  // The refusal leaves the renderer usable.
  CHECK(service.render(sample).pdf.rfind("%PDF-", 0) == 0);
}

namespace {

using wardprint::leaflet::BlockKind;
using wardprint::leaflet::LeafletBlock;
using wardprint::leaflet::RichText;

wardprint::leaflet::Layout shippedLayout(const std::string& file) {
  const auto config = settings::loadConfig(defaultConfigPath());
  return wardprint::leaflet::loadLayout(sourceFile("layouts/" + file), config.site.fontDirs);
}

// Renders hand-built blocks with a shipped layout into `dir`; returns the file's path.
std::string renderBlocks(wardprint::pdf::PdfRenderer& renderer, const wardprint::leaflet::Layout& layout,
                         std::vector<LeafletBlock> blocks, const TempDir& dir) {
  wardprint::leaflet::Leaflet leaflet;
  leaflet.header = {{"Header", false}};
  leaflet.footer = {{"Page {page.number} of {page.count}", false}};
  leaflet.blocks = std::move(blocks);
  const auto path = dir.path(layout.id + ".pdf");
  writeFile(path, renderer.render(leaflet, layout));
  return path;
}

LeafletBlock textBlock(BlockKind kind, const std::string& text) { return {kind, {RichText{{text, false}}}, {}, {}}; }

// Page 1 as pdftoppm draws it in grey at 72 dpi: one pixel a point.
struct GrayPage {
  int width = 0;
  int height = 0;
  std::string pixels;
  int at(int x, int y) const { return static_cast<unsigned char>(pixels[static_cast<std::size_t>(y * width + x)]); }
};

GrayPage rasterise(const std::string& pdf, const TempDir& dir) {
  const auto prefix = dir.path("page");
  runTool({"pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, prefix});
  std::istringstream in(readFile(prefix + ".pgm"));
  std::string magic;
  int maxValue = 0;
  GrayPage page;
  in >> magic >> page.width >> page.height >> maxValue;
  in.get();
  REQUIRE(magic == "P5");
  REQUIRE(maxValue == 255);
  page.pixels.resize(static_cast<std::size_t>(page.width * page.height));
  in.read(page.pixels.data(), static_cast<std::streamsize>(page.pixels.size()));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(page.pixels.size()));
  return page;
}

}  // namespace

TEST_CASE("the emphasised group's title prints white on a black band, and only that group's") {
  wardprint::pdf::PdfRenderer renderer;
  const TempDir dir;
  auto box = textBlock(BlockKind::kBox, "When to get help");
  auto urgent = textBlock(BlockKind::kGroup, "Call 999 or go to A&E now");
  urgent.emphasis = true;
  urgent.children = {textBlock(BlockKind::kParagraph, "If you have chest pain.")};
  auto ward = textBlock(BlockKind::kGroup, "Call the ward now, day or night");
  ward.children = {textBlock(BlockKind::kParagraph, "If your back pain is getting worse.")};
  box.children = {urgent, ward};
  const auto layout = shippedLayout("vertebroplasty.en-GB.yaml");
  const auto pdf = renderBlocks(renderer, layout, {box}, dir);
  const auto text = collapseWhitespace(runTool({"pdftotext", pdf, "-"}).out);
  CHECK(text.find("When to get help Call 999 or go to A&E now If you have chest pain.") != std::string::npos);

  // Rows across the middle of the box: a band is a run of mostly black rows (more than a
  // line of text tall), and its title shows as light pixels inside the run.
  const auto page = rasterise(pdf, dir);
  const int left = static_cast<int>(layout.page.margin) + 20;
  const int right = page.width - static_cast<int>(layout.page.margin) - 20;
  struct Band {
    int top, rows, lightest;  // lightest: most light pixels in one row
  };
  std::vector<Band> bands;
  bool inBand = false;
  for (int y = 0; y < page.height; ++y) {
    int dark = 0, light = 0;
    for (int x = left; x < right; ++x) {
      dark += page.at(x, y) < 64;
      light += page.at(x, y) > 192;
    }
    const bool mostlyDark = dark * 10 >= (right - left) * 6;
    if (mostlyDark && !inBand) bands.push_back({y, 0, 0});
    if (mostlyDark) {
      ++bands.back().rows;
      bands.back().lightest = std::max(bands.back().lightest, light);
    }
    inBand = mostlyDark;
  }
  std::vector<Band> tall;
  for (const auto& band : bands) {
    if (band.rows >= 12) tall.push_back(band);
  }
  REQUIRE(tall.size() == 1);
  CAPTURE(tall[0].top);
  CHECK(tall[0].lightest * 20 >= right - left);  // white text: at least 5% of a row is light
}

TEST_CASE("a non-breaking space is drawn as a space, through a single-byte font, in every layout") {
  wardprint::pdf::PdfRenderer renderer;
  const TempDir dir;
  for (const char* file : {"vertebroplasty.en-GB.yaml", "vertebroplasty.en-GB.large.yaml", "kyphoplasty.en-GB.yaml",
                           "kyphoplasty.en-GB.large.yaml"}) {
    CAPTURE(file);
    const auto layout = shippedLayout(file);
    const std::string sentence = "Lift nothing heavy for 2\u00A0weeks. Call 0114\u00A0271\u00A05432.";
    CHECK(renderer.undrawable(sentence, layout, layout.language).empty());
    const auto pdf = renderBlocks(renderer, layout, {textBlock(BlockKind::kParagraph, sentence)}, dir);
    const auto text = runTool({"pdftotext", "-enc", "UTF-8", pdf, "-"}).out;
    INFO(text);
    // poppler reads the drawn no-break space back as a plain space: not missing, not a box.
    CHECK(text.find("for 2 weeks.") != std::string::npos);
    CHECK(text.find("Call 0114 271 5432.") != std::string::npos);
    for (const auto& row : parsePdffonts(runTool({"pdffonts", pdf}).out)) {
      CAPTURE(row.name);
      CHECK(row.encoding.find("Identity") == std::string::npos);  // not libharu's slower UTF-8 fonts
    }
  }
}
