#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "leaflet/words.h"

namespace wardprint::leaflet {

enum class FontRole { kRegular, kBold };

struct TextStyle {
  FontRole font = FontRole::kRegular;
  double size = 14;           // points
  double leading = 1.4;       // line height as a multiple of the size
  double spaceBefore = 0;     // points
  double spaceAfter = 0;      // points
};

struct Styles {
  TextStyle title;
  TextStyle heading;
  TextStyle body;
  TextStyle margin;  // the header and footer on every page
};

struct PageSetup {
  double width = 595.276;  // points; A4 by default
  double height = 841.89;
  double margin = 56.69;   // 20 mm
};

// A date the leaflet gives the patient: so many hours (a date and time) or days (a date)
// after discharge. Written in a layout as {deadline.NAME}.
struct Deadline {
  std::string name;
  int hours = 0;
  int days = 0;
};

// kGroup appears only inside a box: a titled group of warning signs that is never split
// across pages. An emphasised group (the 999 one) gets a filled heading band, so it stands
// out on a black-and-white printer without relying on colour or capitals.
enum class BlockKind { kTitle, kHeading, kParagraph, kBullets, kDetails, kContacts, kBox, kGroup };

// One block of a layout's content, with its text still holding {placeholders} and **bold**.
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::vector<std::string> texts;  // title, heading, paragraph: one; bullets: one per item
  std::vector<std::pair<std::string, std::string>> rows;  // details; contacts: rows after the ward's
  std::string wardLabel;           // contacts: how the ward's own row is labelled
  std::vector<Block> children;     // box and group: their content; texts[0] is the title
  bool emphasis = false;           // group: drawn with a filled heading band
  std::string when;                // shown only when this placeholder has a value (or condition holds)
  std::string forEach;             // "blood_thinners": repeated once per medicine, else empty
};

// A leaflet layout as loaded from layouts/*.yaml and checked.
struct Layout {
  std::string id;
  int version = 1;
  std::string procedure;
  std::string language;
  bool largePrint = false;
  bool draft = false;  // `status: draft`: not reviewed yet, used only where the site allows drafts
  std::string title;
  std::string sourcePath;
  PageSetup page;
  std::vector<std::string> regularFonts;  // TrueType files, first choice first
  std::vector<std::string> boldFonts;
  Styles styles;
  std::vector<Deadline> deadlines;
  std::map<std::string, std::string> levelRegions;  // "T12" -> "middle back"; empty: none given
  std::string header;
  std::string footer;
  std::vector<Block> content;
  Words words;  // the language's words, from words/LANGUAGE.yaml beside the layout
};

}  // namespace wardprint::leaflet
