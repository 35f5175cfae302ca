#include <algorithm>

#include "leaflet/placeholders.h"
#include "leaflet/words.h"
#include "leaflet/yaml_reader.h"

namespace wardprint::leaflet {
namespace {

// Weekdays are listed Monday first in the file, as people list the week.
constexpr std::array<unsigned, 7> kMondayFirst{1, 2, 3, 4, 5, 6, 0};

template <std::size_t N>
std::array<std::string, N> readNames(const YamlReader& in, const YAML::Node& list, const std::string& key,
                                     const std::string& what) {
  if (!list.IsSequence() || list.size() != N) in.fail(key, list, "must be a list of the " + what);
  std::array<std::string, N> names;
  for (std::size_t i = 0; i < N; ++i) names[i] = in.as<std::string>(list[i], key + "[" + std::to_string(i) + "]", "text");
  return names;
}

std::map<std::string, std::array<std::string, 7>> readWeekdays(const YamlReader& in, const YAML::Node& root) {
  const auto node = in.required(root, "weekdays", "weekdays");
  if (!node.IsMap()) in.fail("weekdays", node, "must be a map of form to the 7 names, Monday first");
  std::map<std::string, std::array<std::string, 7>> forms;
  for (const auto& item : node) {
    const auto form = item.first.as<std::string>();
    const auto names = readNames<7>(in, item.second, "weekdays." + form, "7 weekday names, Monday first");
    auto& sundayFirst = forms[form];
    for (std::size_t i = 0; i < 7; ++i) sundayFirst[kMondayFirst[i]] = names[i];
  }
  if (!forms.count(kPlainForm)) in.fail("weekdays", node, std::string("needs the '") + kPlainForm + "' form");
  return forms;
}

// Reads the patterns of one section: each key is required, and each pattern may use only its
// own {names}, with a weekday form the file defines.
class PatternReader {
 public:
  PatternReader(const YamlReader& in, const YAML::Node& root, std::string section,
                const std::map<std::string, std::array<std::string, 7>>& forms)
      : in_(in), section_(std::move(section)), node_(in.required(root, section_, section_)), forms_(forms) {
    if (!node_.IsMap()) in.fail(section_, node_, "must be a map of name to words");
  }

  std::string read(const std::string& name, const std::set<std::string>& allowed) {
    const std::string key = section_ + "." + name;
    seen_.insert(name);
    const auto text = in_.string(node_, name, key);
    for (const auto& used : placeholderNames(text)) {
      const auto colon = used.find(':');
      const auto base = used.substr(0, colon);
      if (!allowed.count(base)) in_.fail(key, node_[name], "unknown {" + used + "}; use " + listed(allowed));
      if (colon != std::string::npos && !forms_.count(used.substr(colon + 1))) {
        in_.fail(key, node_[name], "{" + used + "} names a weekday form not given under weekdays");
      }
    }
    return text;
  }

  // Refuses keys that no read() asked for: a misspelt key would otherwise go unnoticed.
  void noOthers() const { in_.onlyKeys(node_, seen_, section_); }

 private:
  static std::string listed(const std::set<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "{" : ", {") + name + "}";
    return out.empty() ? "no {names}" : out;
  }

  const YamlReader& in_;
  std::string section_;
  YAML::Node node_;
  const std::map<std::string, std::array<std::string, 7>>& forms_;
  std::set<std::string> seen_;
};

Words readWords(const std::string& path) {
  const YamlReader in(path);
  const auto root = loadYamlFile(path);
  in.onlyKeys(root, {"language", "months", "weekdays", "dates", "times", "opening_hours", "lists", "number_units"},
              "");
  Words words;
  words.language = in.string(root, "language", "language");
  words.months = readNames<12>(in, in.required(root, "months", "months"), "months", "12 month names, January first");
  words.weekdays = readWeekdays(in, root);

  PatternReader dates(in, root, "dates", words.weekdays);
  words.date = dates.read("date", {"weekday", "day", "month"});
  words.dateWithYear = dates.read("date_with_year", {"weekday", "day", "month", "year"});
  words.birthDate = dates.read("birth_date", {"day", "month", "year"});
  dates.noOthers();

  PatternReader times(in, root, "times", words.weekdays);
  words.morning = times.read("morning", {"time"});
  words.afternoon = times.read("afternoon", {"time"});
  words.noon = times.read("noon", {});
  words.timeOnDate = times.read("on_date", {"time", "date"});
  words.midnight = times.read("midnight", {"date"});
  words.justAfterMidnight = times.read("just_after_midnight", {"time", "date"});
  words.endOfDay = times.read("end_of_day", {"date"});
  times.noOthers();

  PatternReader hours(in, root, "opening_hours", words.weekdays);
  words.everyDay = hours.read("every_day", {});
  words.dayRange = hours.read("day_range", {"first", "last"});
  words.openingHours = hours.read("hours", {"days", "open", "close"});
  words.atAnyTime = hours.read("at_any_time", {});
  words.furtherNotice = hours.read("further_notice", {});
  words.contactWithHours = hours.read("contact", {"label", "hours"});
  hours.noOthers();

  PatternReader lists(in, root, "lists", words.weekdays);
  words.listEnd = lists.read("end", {"others", "last"});
  lists.noOthers();

  const auto units = in.required(root, "number_units", "number_units");
  if (!units.IsSequence()) in.fail("number_units", units, "must be a list of words such as week");
  for (std::size_t i = 0; i < units.size(); ++i) {
    words.numberUnits.push_back(in.as<std::string>(units[i], "number_units[" + std::to_string(i) + "]", "text"));
  }
  return words;
}

}  // namespace

Words loadWords(const std::string& path) {
  try {
    return readWords(path);
  } catch (const YAML::Exception& e) {
    throw util::ConfigError(path + ": " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  }
}

}  // namespace wardprint::leaflet
