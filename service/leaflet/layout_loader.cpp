#include "leaflet/layout_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "events/event_parser.h"
#include "leaflet/leaflet_builder.h"
#include "leaflet/placeholders.h"
#include "leaflet/words.h"
#include "leaflet/yaml_reader.h"
#include "util/files.h"
#include "util/problems.h"
#include "yaml/yaml.h"

namespace YAML = wardprint::yaml;  // yaml-cpp's names, behind our one YAML reader

namespace wardprint::leaflet {
namespace {

namespace fs = std::filesystem;
constexpr int kMaxExtendsDepth = 4;
constexpr double kPointsPerMm = 72.0 / 25.4;

YAML::Node merged(const YAML::Node& base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& item : over) {
    const auto key = item.first.as<std::string>();
    out[key] = base[key] ? merged(base[key], item.second) : YAML::Clone(item.second);
  }
  return out;
}

YAML::Node readWithExtends(const fs::path& path, int depth) {
  if (!util::isRegularFile(path.string())) throw util::ConfigError(path.string() + ": not found, or not a file");
  auto node = loadYamlFile(path.string());
  if (!node.IsMap()) throw util::ConfigError(path.string() + ": must be a YAML map");
  if (!node["extends"]) return node;
  if (depth >= kMaxExtendsDepth) throw util::ConfigError(path.string() + ": extends: too deep");
  const auto parentName = node["extends"].as<std::string>();
  const auto parent = readWithExtends(path.parent_path() / parentName, depth + 1);
  node.remove("extends");
  return merged(parent, node);
}

TextStyle readStyle(const YamlReader& in, const YAML::Node& styles, const std::string& name) {
  const std::string key = "styles." + name;
  const auto node = in.required(styles, name, key);
  in.onlyKeys(node, {"font", "size", "leading", "space_before", "space_after"}, key);
  TextStyle style;
  const auto font = in.string(node, "font", key + ".font");
  if (font == "bold") {
    style.font = FontRole::kBold;
  } else if (font != "regular") {
    in.fail(key + ".font", node["font"], "must be regular or bold");
  }
  style.size = in.number(in.required(node, "size", key + ".size"), key + ".size", 6, 72);
  if (node["leading"]) style.leading = in.number(node["leading"], key + ".leading", 1.0, 3.0);
  if (node["space_before"]) style.spaceBefore = in.number(node["space_before"], key + ".space_before", 0, 72);
  if (node["space_after"]) style.spaceAfter = in.number(node["space_after"], key + ".space_after", 0, 72);
  return style;
}

Styles readStyles(const YamlReader& in, const YAML::Node& root, bool largePrint) {
  const auto node = in.required(root, "styles", "styles");
  in.onlyKeys(node, {"title", "heading", "body", "margin"}, "styles");
  Styles styles{readStyle(in, node, "title"), readStyle(in, node, "heading"),
                readStyle(in, node, "body"), readStyle(in, node, "margin")};
  const double minimum = largePrint ? kMinLargePrintBodySize : kMinBodySize;
  if (styles.body.size < minimum) {
    in.fail("styles.body.size", node["body"]["size"],
            "must be at least " + std::to_string(static_cast<int>(minimum)) + " points" +
                (largePrint ? " in a large-print layout" : ""));
  }
  if (styles.heading.size < styles.body.size || styles.title.size < styles.body.size) {
    in.fail("styles", node, "title and heading must be at least as large as body");
  }
  return styles;
}

PageSetup readPage(const YamlReader& in, const YAML::Node& root) {
  const auto node = in.required(root, "page", "page");
  in.onlyKeys(node, {"size", "margin_mm"}, "page");
  static const std::map<std::string, std::pair<double, double>> sizes{
      {"A4", {595.276, 841.89}}, {"A5", {419.528, 595.276}}, {"letter", {612, 792}}};
  const auto size = in.string(node, "size", "page.size");
  const auto found = sizes.find(size);
  if (found == sizes.end()) in.fail("page.size", node["size"], "must be A4, A5 or letter");
  PageSetup page;
  page.width = found->second.first;
  page.height = found->second.second;
  page.margin = in.number(in.required(node, "margin_mm", "page.margin_mm"), "page.margin_mm", 10, 40) *
                kPointsPerMm;
  return page;
}

std::vector<std::string> readFonts(const YamlReader& in, const YAML::Node& fonts, const std::string& role,
                                   const std::vector<std::string>& fontDirs) {
  const std::string key = "fonts." + role;
  const auto list = in.required(fonts, role, key);
  if (!list.IsSequence() || list.size() == 0) in.fail(key, list, "must be a list of TrueType files");
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string itemKey = key + "[" + std::to_string(i) + "]";
    const auto name = in.as<std::string>(list[i], itemKey, "a file name");
    if (fs::path(name).extension() != ".ttf") in.fail(itemKey, list[i], "must be a .ttf file");
    std::string found;
    if (fs::path(name).is_absolute()) {
      if (util::isRegularFile(name)) found = name;
    } else {
      for (const auto& dir : fontDirs) {
        if (util::isRegularFile((fs::path(dir) / name).string())) {
          found = (fs::path(dir) / name).string();
          break;
        }
      }
    }
    if (found.empty()) in.fail(itemKey, list[i], "font file '" + name + "' not found");
    paths.push_back(found);
  }
  return paths;
}

std::vector<Deadline> readDeadlines(const YamlReader& in, const YAML::Node& root) {
  const auto node = in.required(root, "deadlines", "deadlines");
  if (!node.IsMap()) in.fail("deadlines", node, "must be a map of name to {hours|days|weeks: N}");
  std::vector<Deadline> deadlines;
  for (const auto& item : node) {
    const auto name = item.first.as<std::string>();
    const std::string key = "deadlines." + name;
    in.onlyKeys(item.second, {"hours", "days", "weeks"}, key);
    if (item.second.size() != 1) in.fail(key, item.second, "must give one of hours, days or weeks");
    const auto unit = item.second.begin()->first.as<std::string>();
    const auto count = static_cast<int>(in.number(item.second[unit], key + "." + unit, 1, 1000));
    Deadline deadline{name, 0, 0};
    if (unit == "hours") deadline.hours = count;
    if (unit == "days") deadline.days = count;
    if (unit == "weeks") deadline.days = count * 7;
    deadlines.push_back(deadline);
  }
  return deadlines;
}

// level_regions: {C: neck, T1-T6: upper back, L: lower back, S1: ...}: a letter for a
// whole part of the spine, a level, or a range within one letter. Every vertebra must be
// covered exactly once, so every patient's levels have words.
std::map<std::string, std::string> readLevelRegions(const YamlReader& in, const YAML::Node& root) {
  const auto node = root["level_regions"];
  if (!node) return {};
  if (!node.IsMap()) in.fail("level_regions", node, "must be a map such as {C: neck, T1-T6: upper back}");
  const auto& levels = events::vertebralLevels();
  const auto position = [&](const std::string& level) {
    return static_cast<std::size_t>(std::find(levels.begin(), levels.end(), level) - levels.begin());
  };
  std::map<std::string, std::string> regions;
  for (const auto& item : node) {
    const auto range = item.first.as<std::string>();
    const std::string key = "level_regions." + range;
    const auto words = in.as<std::string>(item.second, key, "words such as lower back");
    const auto dash = range.find('-');
    std::string first = dash == std::string::npos ? range : range.substr(0, dash);
    std::string last = dash == std::string::npos ? range : range.substr(dash + 1);
    if (range.size() == 1) {  // a whole letter: C, T, L or S
      first = range + "1";
      last.clear();
      for (const auto& level : levels) {
        if (level[0] == range[0]) last = level;
      }
    }
    const auto from = position(first), to = position(last);
    if (from >= levels.size() || to >= levels.size() || from > to || first[0] != last[0]) {
      in.fail(key, item.first, "must be C, T, L or S, a level such as T12, or a range such as T1-T6");
    }
    for (auto i = from; i <= to; ++i) {
      if (!regions.emplace(levels[i], words).second) in.fail(key, item.first, levels[i] + " is named twice");
    }
  }
  for (const auto& level : levels) {
    if (!regions.count(level)) in.fail("level_regions", node, level + " has no words");
  }
  return regions;
}

// The first place in `text` where an ordinary space stands between a number and its unit
// ("2 weeks") or inside a number ("18001 111"), as "2 weeks"; empty when there is none.
// Such spaces must be no-break spaces (U+00A0), so a line never ends there.
std::string breakableNumber(const std::string& text, const std::vector<std::string>& units) {
  const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != ' ' || !isDigit(text[i - 1])) continue;
    const auto after = text.substr(i + 1);
    const bool unit = std::any_of(units.begin(), units.end(),
                                  [&](const std::string& u) { return after.rfind(u, 0) == 0; });
    if (!unit && !isDigit(text[i + 1])) continue;
    auto start = i - 1;
    while (start > 0 && isDigit(text[start - 1])) --start;
    auto end = after.find_first_of(" .,;:)");
    return text.substr(start, i - start) + " " + after.substr(0, end);
  }
  return "";
}

// Checks placeholders and ** markers in one piece of layout text.
class TextChecker {
 public:
  TextChecker(const YamlReader& in, const Layout& layout) : in_(in), words_(layout.words) {
    const bool hasLevelRegions = !layout.levelRegions.empty();
    const auto& deadlines = layout.deadlines;
    for (const auto& name : leafletPlaceholders()) {
      if (name != kProcedureRegions || hasLevelRegions) known_.insert(name);
    }
    for (const auto& deadline : deadlines) known_.insert("deadline." + deadline.name);
    for (const auto& name : bloodThinnerPlaceholders()) perMedicine_.insert(name);
    for (const auto& name : leafletConditions()) conditions_.insert(name);
  }

  std::string check(const YAML::Node& node, const std::string& key, bool inMargin = false) const {
    const auto text = in_.as<std::string>(node, key, "text");
    if (!parseEmphasis(text)) in_.fail(key, node, "has an unpaired ** (bold marker)");
    if (const auto found = breakableNumber(text, words_.numberUnits); !found.empty()) {
      in_.fail(key, node, "'" + found + "': use a no-break space (U+00A0) there, so a line never ends inside it");
    }
    for (const auto& name : placeholderNames(text)) checkName(name, node, key, inMargin);
    return text;
  }

  void checkName(const std::string& nameWithForm, const YAML::Node& node, const std::string& key,
                 bool inMargin) const {
    const auto colon = nameWithForm.find(':');
    const auto name = nameWithForm.substr(0, colon);
    if (colon != std::string::npos) checkForm(nameWithForm, name, nameWithForm.substr(colon + 1), node, key);
    const bool pageField = name == kPageNumber || name == kPageCount;
    if (pageField && !inMargin) in_.fail(key, node, "{" + name + "} is allowed only in the header and footer");
    if (perMedicine_.count(name) && !inForEach_) {
      in_.fail(key, node, "{" + name + "} is allowed only in a block with for_each: blood_thinners");
    }
    if (name == kProcedureRegions && !known_.count(name)) {
      in_.fail(key, node, "{" + name + "} needs a level_regions table in the layout");
    }
    if (!pageField && !known_.count(name) && !perMedicine_.count(name)) {
      in_.fail(key, node, "unknown placeholder {" + name + "}");
    }
  }

  void checkForm(const std::string& used, const std::string& name, const std::string& form, const YAML::Node& node,
                 const std::string& key) const {
    if (!takesWeekdayForm(name)) in_.fail(key, node, "{" + used + "}: only dates take a weekday form");
    if (!words_.weekdays.count(form)) {
      in_.fail(key, node, "{" + used + "}: the " + words_.language + " words give no weekday form '" + form + "'");
    }
  }

  // A block's `when`: a placeholder (shown when it has a value) or a condition.
  void checkWhen(const std::string& name, const YAML::Node& node, const std::string& key) const {
    if (!conditions_.count(name)) checkName(name, node, key, false);
  }

  // Texts checked between enter and leave may use the per-medicine placeholders.
  void enterForEach() const { inForEach_ = true; }
  void leaveForEach() const { inForEach_ = false; }

 private:
  const YamlReader& in_;
  const Words& words_;
  std::set<std::string> known_;
  std::set<std::string> perMedicine_;
  std::set<std::string> conditions_;
  mutable bool inForEach_ = false;
};

std::vector<std::pair<std::string, std::string>> readRows(const TextChecker& texts, const YamlReader& in,
                                                          const YAML::Node& list, const std::string& key) {
  if (!list.IsSequence()) in.fail(key, list, "must be a list of [label, value] pairs");
  std::vector<std::pair<std::string, std::string>> rows;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string rowKey = key + "[" + std::to_string(i) + "]";
    if (!list[i].IsSequence() || list[i].size() != 2) in.fail(rowKey, list[i], "must be a [label, value] pair");
    rows.emplace_back(texts.check(list[i][0], rowKey + "[0]"), texts.check(list[i][1], rowKey + "[1]"));
  }
  return rows;
}

std::vector<Block> readContent(const TextChecker& texts, const YamlReader& in, const YAML::Node& list,
                               const std::string& key, bool inBox);

// A box's groups: [{title, emphasis, content}], each group a kGroup block.
std::vector<Block> readGroups(const TextChecker& texts, const YamlReader& in, const YAML::Node& list,
                              const std::string& key) {
  if (!list.IsSequence() || list.size() == 0) in.fail(key, list, "must be a list of {title, content} groups");
  std::vector<Block> groups;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string groupKey = key + "[" + std::to_string(i) + "]";
    const auto node = list[i];
    in.onlyKeys(node, {"title", "emphasis", "content", "when"}, groupKey);
    Block group;
    group.kind = BlockKind::kGroup;
    group.texts.push_back(texts.check(in.required(node, "title", groupKey + ".title"), groupKey + ".title"));
    if (node["emphasis"]) group.emphasis = in.as<bool>(node["emphasis"], groupKey + ".emphasis", "true or false");
    if (node["when"]) {
      group.when = in.as<std::string>(node["when"], groupKey + ".when", "a placeholder name");
      texts.checkWhen(group.when, node["when"], groupKey + ".when");
    }
    group.children = readContent(texts, in, in.required(node, "content", groupKey + ".content"),
                                 groupKey + ".content", true);
    groups.push_back(std::move(group));
  }
  return groups;
}

Block readBlockBody(const TextChecker& texts, const YamlReader& in, const YAML::Node& node, const std::string& key,
                    bool inBox);

Block readBlock(const TextChecker& texts, const YamlReader& in, const YAML::Node& node, const std::string& key,
                bool inBox) {
  if (!node.IsMap() || !node["for_each"]) return readBlockBody(texts, in, node, key, inBox);
  const auto forEach = in.as<std::string>(node["for_each"], key + ".for_each", "blood_thinners");
  if (forEach != kForEachBloodThinners) in.fail(key + ".for_each", node["for_each"], "must be blood_thinners");
  texts.enterForEach();
  auto block = readBlockBody(texts, in, node, key, inBox);
  texts.leaveForEach();
  block.forEach = forEach;
  return block;
}

Block readBlockBody(const TextChecker& texts, const YamlReader& in, const YAML::Node& node, const std::string& key,
                    bool inBox) {
  static const std::map<std::string, BlockKind> kinds{
      {"title", BlockKind::kTitle},       {"heading", BlockKind::kHeading},
      {"paragraph", BlockKind::kParagraph}, {"bullets", BlockKind::kBullets},
      {"details", BlockKind::kDetails},   {"contacts", BlockKind::kContacts},
      {"box", BlockKind::kBox}};
  if (!node.IsMap()) in.fail(key, node, "must be a map such as {paragraph: TEXT}");
  Block block;
  std::string kindName;
  for (const auto& item : node) {
    const auto name = item.first.as<std::string>();
    if (name == "when" || name == "for_each") continue;
    const auto kind = kinds.find(name);
    if (kind == kinds.end() || !kindName.empty()) {
      in.fail(key + "." + name, item.first,
              kindName.empty() ? "unknown block; use title, heading, paragraph, bullets, details, contacts or box"
                               : "a block has one kind; this one is already " + kindName);
    }
    kindName = name;
    block.kind = kind->second;
  }
  if (kindName.empty()) in.fail(key, node, "names no block kind");
  const std::string blockKey = key + "." + kindName;
  const auto body = node[kindName];
  if (node["when"]) {
    block.when = in.as<std::string>(node["when"], key + ".when", "a placeholder name");
    texts.checkWhen(block.when, node["when"], key + ".when");
  }
  switch (block.kind) {
    case BlockKind::kTitle:
    case BlockKind::kHeading:
    case BlockKind::kParagraph:
      block.texts.push_back(texts.check(body, blockKey));
      break;
    case BlockKind::kBullets:
      if (!body.IsSequence() || body.size() == 0) in.fail(blockKey, body, "must be a list of texts");
      for (std::size_t i = 0; i < body.size(); ++i)
        block.texts.push_back(texts.check(body[i], blockKey + "[" + std::to_string(i) + "]"));
      break;
    case BlockKind::kDetails:
      block.rows = readRows(texts, in, body, blockKey);
      break;
    case BlockKind::kContacts:
      in.onlyKeys(body, {"ward_label", "extra"}, blockKey);
      block.wardLabel = texts.check(in.required(body, "ward_label", blockKey + ".ward_label"),
                                    blockKey + ".ward_label");
      if (body["extra"]) block.rows = readRows(texts, in, body["extra"], blockKey + ".extra");
      break;
    case BlockKind::kBox:
      if (inBox) in.fail(blockKey, body, "a box cannot hold another box");
      in.onlyKeys(body, {"title", "content", "groups"}, blockKey);
      block.texts.push_back(texts.check(in.required(body, "title", blockKey + ".title"), blockKey + ".title"));
      if (body["content"] && body["groups"]) in.fail(blockKey, body, "give content or groups, not both");
      block.children = body["groups"] ? readGroups(texts, in, body["groups"], blockKey + ".groups")
                                      : readContent(texts, in, in.required(body, "content", blockKey + ".content"),
                                                    blockKey + ".content", true);
      break;
    case BlockKind::kGroup:  // not a key of its own: the "groups" of a box
      break;
  }
  return block;
}

std::vector<Block> readContent(const TextChecker& texts, const YamlReader& in, const YAML::Node& list,
                               const std::string& key, bool inBox) {
  if (!list.IsSequence() || list.size() == 0) in.fail(key, list, "must be a list of blocks");
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < list.size(); ++i) {
    blocks.push_back(readBlock(texts, in, list[i], key + "[" + std::to_string(i) + "]", inBox));
  }
  return blocks;
}

}  // namespace

namespace {

// The words of the layout's language: words/LANGUAGE.yaml in the layout's folder.
Words wordsFor(const YamlReader& in, const YAML::Node& root, const std::string& layoutPath,
               const std::string& language) {
  const auto path = fs::path(layoutPath).parent_path() / "words" / (language + ".yaml");
  if (!util::isRegularFile(path.string())) {
    in.fail("language", root["language"], "no words for " + language + ": " + path.string() + " not found");
  }
  auto words = loadWords(path.string());
  if (words.language != language) {
    throw util::ConfigError(path.string() + ": language: says " + words.language + ", expected " + language);
  }
  return words;
}

Layout readLayout(const std::string& path, const std::vector<std::string>& fontDirs) {
  const auto root = readWithExtends(path, 0);
  const YamlReader in(path);
  in.onlyKeys(root, {"id", "version", "status", "procedure", "language", "large_print", "title", "page", "fonts",
                     "styles", "deadlines", "level_regions", "header", "footer", "content"},
              "");
  Layout layout;
  layout.sourcePath = path;
  layout.id = in.string(root, "id", "id");
  layout.version = static_cast<int>(in.number(in.required(root, "version", "version"), "version", 1, 1e6));
  layout.procedure = in.string(root, "procedure", "procedure");
  layout.language = in.string(root, "language", "language");
  layout.words = wordsFor(in, root, path, layout.language);
  if (root["status"]) {
    const auto status = in.as<std::string>(root["status"], "status", "draft or reviewed");
    if (status != "draft" && status != "reviewed") in.fail("status", root["status"], "must be draft or reviewed");
    layout.draft = status == "draft";
  }
  if (root["large_print"]) layout.largePrint = in.as<bool>(root["large_print"], "large_print", "true or false");
  layout.title = in.string(root, "title", "title");
  layout.page = readPage(in, root);
  const auto fonts = in.required(root, "fonts", "fonts");
  in.onlyKeys(fonts, {"regular", "bold"}, "fonts");
  layout.regularFonts = readFonts(in, fonts, "regular", fontDirs);
  layout.boldFonts = readFonts(in, fonts, "bold", fontDirs);
  layout.styles = readStyles(in, root, layout.largePrint);
  layout.deadlines = readDeadlines(in, root);

  layout.levelRegions = readLevelRegions(in, root);

  const TextChecker texts(in, layout);
  layout.header = texts.check(in.required(root, "header", "header"), "header", true);
  layout.footer = texts.check(in.required(root, "footer", "footer"), "footer", true);
  layout.content = readContent(texts, in, in.required(root, "content", "content"), "content", false);
  return layout;
}

}  // namespace

Layout loadLayout(const std::string& path, const std::vector<std::string>& fontDirs) {
  try {
    return readLayout(path, fontDirs);
  } catch (const YAML::Exception& e) {
    // A value of the wrong kind where the checks above do not look (a list as a key).
    throw util::ConfigError(path + ": " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  }
}

}  // namespace wardprint::leaflet
