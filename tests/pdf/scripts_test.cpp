// Names in many scripts rendered into a real leaflet through intake::LeafletService, then
// checked three ways: pdftotext gives the name back, qpdf and poppler accept the file,
// and the printed name matches a reference picture in tests/data/scripts/ that a person
// has looked at. Set WARDPRINT_UPDATE_REFERENCES=1 to rewrite the pictures (then look at
// them again before committing: `pdftoppm -png` of the same area shows them).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../test_support.h"
#include "settings/config.h"
#include "intake/leaflet_service.h"
#include "events/event_parser.h"
#include "util/problems.h"

namespace intake = wardprint::intake;
namespace settings = wardprint::settings;
namespace events = wardprint::events;
namespace util = wardprint::util;
using namespace wardprint::testsupport;

namespace {

struct NameCase {
  const char* label;  // also the reference picture's file name
  const char* givenName;
  const char* familyName;
  const char* printed;  // the name as it must come back: NFC, given name first
};

const NameCase kNames[] = {
    {"arabic", "محمد", "عبد الله", "محمد عبد الله"},
    {"persian-zwnj", "مهرنوش", "زارع\u200Cپور", "مهرنوش زارع\u200Cپور"},
    {"hebrew-points", "כֹּהֵן-לוי", "דָּוִד", "כֹּהֵן-לוי דָּוִד"},
    {"devanagari", "श्रीमती", "शर्मा", "श्रीमती शर्मा"},
    {"thai", "สมชาย", "ใจดี", "สมชาย ใจดี"},
    {"vietnamese", "Nguyễn Thị", "Ánh", "Nguyễn Thị Ánh"},
    {"nfd-latin", "Zoe\u0308", "Mu\u0308ller", "Zo\u00EB M\u00FCller"},
    // Tshivenda letters with marks below, in no single-byte encoding: libharu's UTF-8 path
    // dropped their marks (nested composite glyphs), so they are shaped like the others.
    {"latin-marks-below", "Ḓakalo", "Muḓau", "Ḓakalo Muḓau"},
    {"chinese", "无忌", "张", "无忌 张"},
    {"japanese", "美咲", "山﨑", "美咲 山﨑"},
    // 𠮷 (U+20BB7) is above U+FFFF: its stand-in in the text layer is mapped back to it.
    {"japanese-astral", "\U00020BB7田", "花子", "\U00020BB7田 花子"},
    {"korean", "민준", "김", "민준 김"},
};

// The value cell of the "Name" row on page 1, in pixels at 100 dpi.
constexpr int kDpi = 100, kCropX = 220, kCropY = 205, kCropWidth = 420, kCropHeight = 32;
// Mean absolute difference per pixel (0-255) allowed between a render and its reference.
constexpr double kTolerance = 2.0;

std::string eventJson(const NameCase& name) {
  std::string json = readFile(sourceFile("tests/data/discharge-vertebroplasty.json"));
  std::ostringstream patient;
  patient << R"("patient": {"given_name": ")" << name.givenName << R"(", "family_name": ")" << name.familyName
          << R"(", "hospital_number": "RHQ2000204", "nhs_number": "9876543210", "date_of_birth": "1944-11-09"})";
  const auto start = json.find("\"patient\"");
  const auto end = json.find('}', start);
  REQUIRE(start != std::string::npos);
  return json.replace(start, end + 1 - start, patient.str());
}

events::DischargeEvent parseEvent(const std::string& json, const intake::LeafletService& service) {
  const auto parsed = events::parseDischargeEvent(json, service.eventRules());
  INFO("event refused:\n" << util::describe(parsed.problems));
  REQUIRE(parsed.event.has_value());
  return *parsed.event;
}

// pdftotext wraps right-to-left text in U+202B ... U+202C (and may use U+202A-202E).
std::string withoutBidiMarks(std::string text) {
  for (const char* mark : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E"}) {
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark)) text.erase(at, 3);
  }
  return text;
}

// libharu's UTF-8 font, which carries the invisible text, writes a ToUnicode map poppler
// warns about and then reads correctly (see PDF-NOTES.md). Every other line is a warning.
std::string withoutKnownUtf8Warning(std::string err) {
  const std::string warning = "Syntax Warning: Invalid 'begincidrange' operator in ToUnicode CMap\n";
  for (auto at = err.find(warning); at != std::string::npos; at = err.find(warning)) err.erase(at, warning.size());
  return err;
}

struct Gray {
  int width = 0, height = 0;
  std::string pixels;
};

// A binary PGM (P5, maxval 255) as pdftoppm -gray writes it.
std::optional<Gray> parsePgm(const std::string& bytes) {
  std::istringstream in(bytes);
  std::string magic;
  int maxValue = 0;
  Gray gray;
  in >> magic >> gray.width >> gray.height >> maxValue;
  if (magic != "P5" || maxValue != 255 || gray.width <= 0 || gray.height <= 0) return std::nullopt;
  in.get();
  gray.pixels.resize(static_cast<std::size_t>(gray.width) * static_cast<std::size_t>(gray.height));
  if (!in.read(gray.pixels.data(), static_cast<std::streamsize>(gray.pixels.size()))) return std::nullopt;
  return gray;
}

double meanDifference(const Gray& a, const Gray& b) {
  double total = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) {
    total += std::abs(static_cast<unsigned char>(a.pixels[i]) - static_cast<unsigned char>(b.pixels[i]));
  }
  return total / static_cast<double>(a.pixels.size());
}

std::string renderNameArea(const std::string& pdfPath, const TempDir& dir, const std::string& label) {
  const auto prefix = dir.path(label);
  const auto result = runProcess({"pdftoppm", "-r", std::to_string(kDpi), "-f", "1", "-l", "1", "-x",
                                  std::to_string(kCropX), "-y", std::to_string(kCropY), "-W",
                                  std::to_string(kCropWidth), "-H", std::to_string(kCropHeight), "-gray",
                                  "-singlefile", pdfPath, prefix});
  REQUIRE(result.exitCode == 0);
  return readFile(prefix + ".pgm");
}

}  // namespace

TEST_CASE("names in every script print and extract exactly and match their reference pictures") {
  intake::LeafletService service(settings::loadConfig(WARDPRINT_SOURCE_DIR "/config/wardprint.yaml"));
  const TempDir dir;
  const bool update = std::getenv("WARDPRINT_UPDATE_REFERENCES") != nullptr;
  for (const auto& name : kNames) {
    CAPTURE(name.label);
    const auto leaflet = service.render(parseEvent(eventJson(name), service));
    const auto pdfPath = dir.path(std::string(name.label) + ".pdf");
    writeFile(pdfPath, leaflet.pdf);

    const auto text = runProcess({"pdftotext", "-enc", "UTF-8", pdfPath, "-"});
    REQUIRE(text.exitCode == 0);
    CHECK(withoutKnownUtf8Warning(text.err).empty());
    const auto extracted = collapseWhitespace(withoutBidiMarks(text.out));
    CHECK(extracted.find(std::string("This leaflet is for ") + name.printed + ".") != std::string::npos);

    const auto check = runProcess({"qpdf", "--check", pdfPath});
    INFO("qpdf --check: " << check.out << check.err);
    CHECK(check.exitCode == 0);

    const auto picture = renderNameArea(pdfPath, dir, name.label);
    const auto referencePath = sourceFile(std::string("tests/data/scripts/") + name.label + ".pgm");
    if (update) writeFile(referencePath, picture);
    const auto rendered = parsePgm(picture);
    const auto reference = parsePgm(readFile(referencePath));
    REQUIRE(rendered);
    REQUIRE(reference);
    REQUIRE(rendered->width == reference->width);
    REQUIRE(rendered->height == reference->height);
    CHECK(meanDifference(*rendered, *reference) <= kTolerance);
  }
}

TEST_CASE("the reference pictures differ from each other so the comparison can fail") {
  const auto arabic = parsePgm(readFile(sourceFile("tests/data/scripts/arabic.pgm")));
  const auto persian = parsePgm(readFile(sourceFile("tests/data/scripts/persian-zwnj.pgm")));
  REQUIRE(arabic);
  REQUIRE(persian);
  CHECK(meanDifference(*arabic, *persian) > kTolerance);
}

TEST_CASE("a leaflet with a character above U+FFFF is the same bytes every time") {
  intake::LeafletService service(settings::loadConfig(WARDPRINT_SOURCE_DIR "/config/wardprint.yaml"));
  const NameCase name{"astral", "\U00020BB7田", "花子", ""};
  const auto event = parseEvent(eventJson(name), service);
  const auto first = service.render(event).pdf;
  CHECK(service.render(event).pdf == first);
}

TEST_CASE("a script no leaflet font has and a mark with no base are refused by code point") {
  intake::LeafletService service(settings::loadConfig(WARDPRINT_SOURCE_DIR "/config/wardprint.yaml"));
  struct Refusal {
    NameCase name;
    const char* field;
    const char* codePoint;
  };
  const Refusal refusals[] = {
      {{"ethiopic", "Tesfaye", "ሰላም", ""}, "patient.family_name", "U+1230"},
      {{"lone-mark", "\u093F\u0915", "Sharma", ""}, "patient.given_name", "U+093F"},
  };
  for (const auto& refusal : refusals) {
    CAPTURE(refusal.name.label);
    const auto event = parseEvent(eventJson(refusal.name), service);
    try {
      service.render(event);
      FAIL("rendered");
    } catch (const util::InvalidInput& refused) {
      REQUIRE_FALSE(refused.problems().empty());
      CHECK(refused.problems()[0].field == refusal.field);
      CHECK(refused.problems()[0].reason.find(refusal.codePoint) != std::string::npos);
    }
  }
}

TEST_CASE("Han characters take the face of the patient's language, not only the leaflet's") {
  intake::LeafletService service(settings::loadConfig(WARDPRINT_SOURCE_DIR "/config/wardprint.yaml"));
  const TempDir dir;
  // 直 and 骨 are drawn differently in Japanese and Chinese type; the English leaflet alone
  // would pick the Japanese face for both patients.
  const NameCase name{"han-by-language", "直骨", "山﨑", "直骨 山﨑"};
  std::vector<Gray> pictures;
  for (const char* language : {"ja", "zh-CN"}) {
    CAPTURE(language);
    const auto json = replaceOnce(eventJson(name), "\"patient\": {", std::string("\"patient\": {\"language\": \"") + language + "\", ");
    const auto leaflet = service.render(parseEvent(json, service));
    const auto pdfPath = dir.path(std::string(language) + ".pdf");
    writeFile(pdfPath, leaflet.pdf);
    const auto text = runProcess({"pdftotext", "-enc", "UTF-8", pdfPath, "-"});
    REQUIRE(text.exitCode == 0);
    CHECK(collapseWhitespace(text.out).find(std::string("This leaflet is for ") + name.printed + ".") != std::string::npos);
    const auto picture = parsePgm(renderNameArea(pdfPath, dir, language));
    REQUIRE(picture);
    pictures.push_back(*picture);
  }
  CHECK(meanDifference(pictures[0], pictures[1]) > kTolerance);
}
