// The Welsh (cy-GB) layouts rendered for a real event and read back with poppler and qpdf:
// every word comes from the Welsh layouts and words, dates included.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../test_support.h"
#include "intake/leaflet_service.h"
#include "settings/config.h"
#include "pdf_tools.h"

namespace intake = wardprint::intake;
namespace settings = wardprint::settings;
using namespace wardprint::testsupport;

namespace {

struct WelshCase {
  const char* procedure;
  bool largePrint;
  const char* title;
  const char* layoutId;
};

}  // namespace

TEST_CASE("Welsh leaflets render for both procedures and sizes, in Welsh throughout") {
  intake::LeafletService service(settings::loadConfig(defaultConfigPath()));  // the demo allows drafts
  const TempDir dir;
  const WelshCase cases[] = {
      {"vertebroplasty", false, "Mynd adref ar ôl eich fertebroplasti", "vertebroplasty.cy-GB"},
      {"vertebroplasty", true, "Mynd adref ar ôl eich fertebroplasti", "vertebroplasty.cy-GB.large"},
      {"kyphoplasty", false, "Mynd adref ar ôl eich cyffoplasti", "kyphoplasty.cy-GB"},
      {"kyphoplasty", true, "Mynd adref ar ôl eich cyffoplasti", "kyphoplasty.cy-GB.large"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.layoutId);
    auto json = readFile(sourceFile("tests/data/discharge-welsh.json"));
    json = replaceOnce(json, "\"vertebroplasty\"", std::string("\"") + c.procedure + "\"");
    json = replaceOnce(json, "\"large_print\": false", c.largePrint ? "\"large_print\": true" : "\"large_print\": false");
    const auto leaflet = service.render(parseEventJson(json, service));
    CHECK(leaflet.layoutId == c.layoutId);
    const auto pdf = dir.path(std::string(c.layoutId) + ".pdf");
    writeFile(pdf, leaflet.pdf);

    const auto extracted = runTool({"pdftotext", "-enc", "UTF-8", pdf, "-"});
    CHECK(extracted.err == "");
    const auto text = collapseWhitespace(extracted.out);
    // Left on Friday 27 November 2026 at 6:45pm (GMT): weekdays soft-mutated after a time,
    // after "tan" (until) and "hyd at" (up to), plain where a date stands alone.
    for (const std::string& phrase : std::vector<std::string>
         {std::string(c.title), std::string("Siân Llŷr-Gruffydd"), std::string("19 Gorffennaf 1941"),
          std::string("dydd Gwener 27 Tachwedd 2026"), std::string("6:45yh ddydd Gwener 27 Tachwedd"),
          std::string("Gorffwyswch yn dawel tan 6:45yh ddydd Sadwrn 28 Tachwedd"),
          std::string("tan o leiaf ddydd Gwener 11 Rhagfyr"), std::string("hyd at ddydd Gwener 18 Rhagfyr"),
          std::string("tan 6:45yh ddydd Sul 29 Tachwedd"), std::string("T7, T8 a L2 (canol y cefn a rhan isaf y cefn)"),
          std::string("Oriau agor Radiology department: dydd Llun i ddydd Gwener, 8yb i 6yh"),
          std::string("Mae'r llinell hon ar gau tan 8yb ddydd Llun 30 Tachwedd"),
          std::string("Apixaban: dechreuwch eto ddydd Sadwrn 28 Tachwedd"),
          std::string("9:40yb ddydd Iau 10 Rhagfyr"), std::string("Ffoniwch 999 neu ewch i'r Adran Achosion Brys nawr")}) {
      CAPTURE(phrase);
      CHECK(text.find(phrase) != std::string::npos);
    }
    // No English word from C++ is left: no English month, weekday, time or "Page" ("am" is
    // Welsh for "for", so only "pm" is looked for).
    for (const std::string english : {"November", "December", "Monday", "Friday", "Saturday", "Page ", "pm", " noon"}) {
      CAPTURE(english);
      CHECK(text.find(english) == std::string::npos);
    }
    const auto pages = splitPages(extracted.out);
    const int pageCount = pdfinfoPageCount(pdf);
    REQUIRE(pages.size() == static_cast<std::size_t>(pageCount));
    for (int page = 1; page <= pageCount; ++page) {
      const auto footer = "Tudalen " + std::to_string(page) + " o " + std::to_string(pageCount) + " ";
      CAPTURE(footer);
      CHECK(countOccurrences(collapseWhitespace(pages[static_cast<std::size_t>(page - 1)]), footer) == 1);
    }

    const auto check = runProcess({"qpdf", "--check", pdf});
    INFO("qpdf --check: " << check.out << check.err);
    CHECK(check.exitCode == 0);
    const auto fonts = runTool({"pdffonts", pdf});
    CHECK(fonts.err == "");
    for (const auto& row : parsePdffonts(fonts.out)) {
      CAPTURE(row.name);
      CHECK(row.embedded == "yes");
      CHECK(row.type.find("TrueType") != std::string::npos);
    }
  }
}
