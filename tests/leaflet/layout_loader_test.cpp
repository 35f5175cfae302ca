#include "leaflet/layout_loader.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "leaflet/layout_catalog.h"
#include "util/problems.h"

using namespace wardprint::leaflet;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFontDirs{"/usr/share/fonts/truetype/open-sans",
                                         "/usr/share/fonts/truetype/dejavu"};
const std::string kLayouts = WARDPRINT_SOURCE_DIR "/layouts";

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A folder of its own per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("wardprint-layout-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter()++));
    fs::create_directories(path);
    fs::copy(kLayouts + "/words", path / "words");  // the languages' words, as beside the shipped layouts
  }
  ~TempDir() { fs::remove_all(path); }
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string replaceFirst(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << from << "' not in the layout");
  return text.replace(at, from.size(), to);
}

// The shipped vertebroplasty layout with `from` replaced by `to`.
std::string shippedWith(const std::string& from, const std::string& to) {
  return replaceFirst(readFile(kLayouts + "/vertebroplasty.en-GB.yaml"), from, to);
}

std::string loadError(const std::string& path) {
  try {
    loadLayout(path, kFontDirs);
  } catch (const wardprint::util::ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the shipped layouts all load, one per procedure, language and size") {
  const auto catalog = LayoutCatalog::load(kLayouts, kFontDirs);
  CHECK(catalog.layouts().size() == 8);
  for (const auto& language : {"en-GB", "cy-GB"}) {
    for (const auto& procedure : {"vertebroplasty", "kyphoplasty"}) {
      for (const bool large : {false, true}) {
        CAPTURE(language);
        CAPTURE(procedure);
        CAPTURE(large);
        const auto* layout = catalog.find({procedure, language, large});
        REQUIRE(layout);
        CHECK(layout->styles.body.size >= (large ? kMinLargePrintBodySize : kMinBodySize));
        CHECK(layout->words.language == language);
        CHECK(layout->draft == (std::string(language) == "cy-GB"));  // until reviewed
      }
    }
  }
}

TEST_CASE("a layout may ask for a weekday form its language's words give") {
  TempDir dir;
  const auto path = dir.write("welsh.yaml", readFile(kLayouts + "/vertebroplasty.cy-GB.yaml"));
  const auto layout = loadLayout(path, kFontDirs);
  CHECK(layout.draft);
  CHECK(layout.words.weekdays.count("soft") == 1);
  CHECK(loadError(dir.write("welsh-typo.yaml", replaceFirst(readFile(path), "lifting_earliest:soft",
                                                             "lifting_earliest:hard")))
            .find("the cy-GB words give no weekday form 'hard'") != std::string::npos);
}

TEST_CASE("a large-print layout takes everything but its overrides from the layout it extends") {
  const auto standard = loadLayout(kLayouts + "/vertebroplasty.en-GB.yaml", kFontDirs);
  const auto large = loadLayout(kLayouts + "/vertebroplasty.en-GB.large.yaml", kFontDirs);
  CHECK(large.id == "vertebroplasty.en-GB.large");
  CHECK(large.largePrint);
  CHECK(large.styles.body.size > standard.styles.body.size);
  CHECK(large.styles.body.font == standard.styles.body.font);  // merged, not replaced
  CHECK(large.content.size() == standard.content.size());
  CHECK(large.deadlines.size() == standard.deadlines.size());
}

TEST_CASE("deadlines are read in hours or days") {
  const auto layout = loadLayout(kLayouts + "/vertebroplasty.en-GB.yaml", kFontDirs);
  std::map<std::string, std::pair<int, int>> found;
  for (const auto& deadline : layout.deadlines) found[deadline.name] = {deadline.hours, deadline.days};
  CHECK(found["rest"] == std::pair{24, 0});
  CHECK(found["washing"] == std::pair{48, 0});
  CHECK(found["lifting_earliest"] == std::pair{0, 14});
  CHECK(found["lifting_latest"] == std::pair{0, 21});
}

TEST_CASE("a broken layout is refused with its file, key and reason") {
  struct Case {
    std::string what;
    std::string from, to;
    std::string expected;  // "key: reason"
  };
  const Case cases[] = {
      {"unknown placeholder", "Rest quietly **until {deadline.rest}**", "Rest {patient.shoe_size}",
       "content[13].paragraph: unknown placeholder {patient.shoe_size}"},
      {"unknown deadline", "{deadline.washing}", "{deadline.swimming}",
       "content[22].bullets[0]: unknown placeholder {deadline.swimming}"},
      {"page number in the body", "It tells you how", "Page {page.number}. It tells you how",
       "content[1].paragraph: {page.number} is allowed only in the header and footer"},
      {"missing font", "OpenSans-Regular.ttf", "NoSuchFont.ttf",
       "fonts.regular[0]: font file 'NoSuchFont.ttf' not found"},
      {"not a TrueType file", "DejaVuSans-Bold.ttf", "DejaVuSans-Bold.otf", "fonts.bold[1]: must be a .ttf file"},
      {"body too small", "body: { font: regular, size: 14", "body: { font: regular, size: 10",
       "styles.body.size: must be at least 12 points"},
      {"italic is not a style", "body: { font: regular,", "body: { italic: true, font: regular,",
       "styles.body.italic: unknown key"},
      {"unknown font role", "title: { font: bold", "title: { font: oblique",
       "styles.title.font: must be regular or bold"},
      {"size not a number", "size: 17", "size: big", "styles.heading.size: must be a number"},
      {"unpaired bold marker", "Call **NHS 111** at", "Call **NHS 111 at", "unpaired ** (bold marker)"},
      {"a group without a title", "        - title: If you cannot get through\n", "        - heading: x\n",
       "content[11].box.groups[3].heading: unknown key"},
      {"emphasis not a flag", "emphasis: true", "emphasis: loud",
       "content[11].box.groups[0].emphasis: must be true or false"},
      {"both groups and content", "      groups:\n", "      content: [{paragraph: x}]\n      groups:\n",
       "content[11].box: give content or groups, not both"},
      {"a box inside a group", "            - paragraph: \"Call the ward if you have:\"",
       "            - box: {title: x, content: [{paragraph: y}]}", "content[11].box.groups[1].content[0].box: a box cannot hold another box"},
      {"an unknown condition", "when: gp_letter", "when: gp_fax", "content[6].when: unknown placeholder {gp_fax}"},
      {"a medicine's placeholder outside for_each", "start it again until your care team says so.",
       "start it again on {blood_thinner.restart_on}.", "content[26].paragraph: {blood_thinner.restart_on} is allowed only in a block with for_each: blood_thinners"},
      {"for_each over something else", "for_each: blood_thinners\n    when", "for_each: patients\n    when",
       "content[29].for_each: must be blood_thinners"},
      {"an ordinary space between a number and its unit", "much less back pain within 2\u00A0days",
       "much less back pain within 2 days",
       "content[10].bullets[1]: '2 days': use a no-break space (U+00A0) there, so a line never ends inside it"},
      {"an ordinary space inside a phone number", "call **18001\u00A0111**", "call **18001 111**",
       "'18001 111**': use a no-break space (U+00A0) there"},
      {"a level with no region words", "  S: base of the spine\n", "",
       "level_regions: S1 has no words"},
      {"a level named twice", "  L: lower back", "  L: lower back\n  T12-L1: junction",
       "level_regions.T12-L1: must be C, T, L or S, a level such as T12, or a range such as T1-T6"},
      {"overlapping regions", "  L: lower back", "  L: lower back\n  L5: low",
       "level_regions.L5: L5 is named twice"},
      {"regions without a table", "level_regions:\n  C: neck\n  T1-T6: upper back\n  T7-T12: middle back\n  L: lower back\n  S: base of the spine\n", "",
       "content[2].details[5][1]: {procedure.regions} needs a level_regions table in the layout"},
      {"unknown block", "  - heading: What was done", "  - banner: What was done", "content[3].banner: unknown block"},
      {"page size", "size: A4", "size: A3", "page.size: must be A4, A5 or letter"},
      {"deadline unit", "rest: { hours: 24 }", "rest: { fortnights: 1 }", "deadlines.rest.fortnights: unknown key"},
      {"missing title", "title: Going home after your vertebroplasty\n\n", "\n", "title: is required"},
      {"a weekday form the language lacks", "{deadline.lifting_earliest}.**", "{deadline.lifting_earliest:soft}.**",
       "{deadline.lifting_earliest:soft}: the en-GB words give no weekday form 'soft'"},
      {"a weekday form of something that is not a date", "This leaflet is for **{patient.name}**",
       "This leaflet is for **{patient.name:plain}**", "content[1].paragraph: {patient.name:plain}: only dates take a weekday form"},
      {"a status other than draft or reviewed", "large_print: false\n", "large_print: false\nstatus: maybe\n",
       "status: must be draft or reviewed"},
      {"a language without words", "language: en-GB", "language: kw-GB",
       "language: no words for kw-GB: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    TempDir dir;
    const auto path = dir.write("broken.yaml", shippedWith(c.from, c.to));
    const auto error = loadError(path);
    CHECK_MESSAGE(error.rfind(path + ": ", 0) == 0, error);
    CHECK_MESSAGE(error.find(c.expected) != std::string::npos, error);
  }
}

TEST_CASE("a layout's box groups and level regions are read") {
  const auto layout = loadLayout(kLayouts + "/vertebroplasty.en-GB.yaml", kFontDirs);
  const auto box = std::find_if(layout.content.begin(), layout.content.end(),
                                [](const Block& block) { return block.kind == BlockKind::kBox; });
  REQUIRE(box != layout.content.end());
  REQUIRE(box->children.size() == 4);
  for (const auto& group : box->children) CHECK(group.kind == BlockKind::kGroup);
  CHECK(box->children[0].emphasis);
  CHECK_FALSE(box->children[1].emphasis);
  CHECK(box->children[0].texts[0] == "Call 999 or go to A&E now");
  CHECK(layout.levelRegions.size() == 29);  // C1-C7, T1-T12, L1-L5, S1-S5
  CHECK(layout.levelRegions.at("C7") == "neck");
  CHECK(layout.levelRegions.at("T6") == "upper back");
  CHECK(layout.levelRegions.at("T7") == "middle back");
  CHECK(layout.levelRegions.at("L5") == "lower back");
  CHECK(layout.levelRegions.at("S1") == "base of the spine");
}

TEST_CASE("a large-print layout needs body text of at least 16 points") {
  TempDir dir;
  dir.write("base.yaml", readFile(kLayouts + "/vertebroplasty.en-GB.yaml"));
  const auto path = dir.write("large.yaml", "extends: base.yaml\nid: x.large\nlarge_print: true\n"
                                             "styles:\n  body: { size: 14 }\n");
  CHECK(loadError(path).find("styles.body.size: must be at least 16 points in a large-print layout") !=
        std::string::npos);
}

TEST_CASE("errors name the line of the bad value") {
  TempDir dir;
  const auto path = dir.write("broken.yaml", shippedWith("size: 17", "size: big"));
  CHECK(loadError(path).find("(line 19)") != std::string::npos);
}

TEST_CASE("two layouts for the same procedure, language and size are refused") {
  TempDir dir;
  const auto text = readFile(kLayouts + "/vertebroplasty.en-GB.yaml");
  dir.write("a.yaml", text);
  dir.write("b.yaml", text);
  CHECK_THROWS_WITH_AS(LayoutCatalog::load(dir.path.string(), kFontDirs),
                       doctest::Contains("serves the same procedure, language and size"),
                       wardprint::util::ConfigError);
}
