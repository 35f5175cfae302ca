#include "events/event_parser.h"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include "events/nhs_number.h"
#include "events/timestamp.h"
#include "util/unicode.h"
#include "util/utf8.h"

namespace wardprint::events {
namespace {

using Poco::JSON::Object;
using util::Problems;

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool isBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// Builds the parsed value like POCO's own handler, but remembers the first key that
// appears twice in one object (POCO would silently keep the last).
class DuplicateKeyFinder : public Poco::JSON::ParseHandler {
 public:
  void startObject() override {
    keys_.emplace_back();
    ParseHandler::startObject();
  }
  void endObject() override {
    keys_.pop_back();
    ParseHandler::endObject();
  }
  void key(const std::string& name) override {
    if (!keys_.empty() && !keys_.back().insert(name).second && duplicate_.empty()) {
      for (std::size_t i = 0; i + 1 < path_.size() && i + 1 < keys_.size(); ++i) duplicate_ += path_[i] + ".";
      duplicate_ += name;
    }
    path_.resize(keys_.size());
    path_.back() = name;
    ParseHandler::key(name);
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<std::set<std::string>> keys_;
  std::vector<std::string> path_;
  std::string duplicate_;
};

// Reads typed fields from one JSON object, recording a problem for each bad one.
class FieldReader {
 public:
  FieldReader(Object::Ptr object, std::string prefix, Problems& problems)
      : object_(std::move(object)), prefix_(std::move(prefix)), problems_(problems) {}

  std::string path(const std::string& key) const { return prefix_ + key; }
  void fail(const std::string& key, const std::string& reason) const {
    problems_.push_back({path(key), reason});
  }
  bool present(const std::string& key) const {
    return object_->has(key) && !object_->isNull(key);
  }

  std::optional<std::string> string(const std::string& key, bool required) const {
    if (!present(key)) {
      if (required) fail(key, "is required");
      return std::nullopt;
    }
    const auto value = object_->get(key);
    if (!value.isString()) {
      fail(key, "must be a string");
      return std::nullopt;
    }
    return value.extract<std::string>();
  }

  // A name-like string, returned in NFC: not blank, no control characters, none of the
  // characters util::refusalReason names, at most maxLength characters (after NFC).
  std::optional<std::string> text(const std::string& key, bool required,
                                  std::size_t maxLength = kMaxNameLength) const {
    const auto raw = string(key, required);
    if (!raw) return std::nullopt;
    if (isBlank(*raw)) {
      if (required) fail(key, "must not be empty");
      return std::nullopt;
    }
    auto value = util::toNfc(*raw);
    const auto codePoints = value ? util::decodeUtf8(*value) : std::nullopt;
    if (!codePoints) {
      fail(key, "must be valid UTF-8");
      return std::nullopt;
    }
    if (std::any_of(codePoints->begin(), codePoints->end(), util::isControl)) {
      fail(key, "must not contain control characters");
      return std::nullopt;
    }
    if (const auto refused = util::refusedCharacters(*codePoints); !refused.empty()) {
      fail(key, util::describeRefusal(refused));
      return std::nullopt;
    }
    if (value->find_first_of("<>{}") != std::string::npos) {
      fail(key, "must not contain < > { or }");
      return std::nullopt;
    }
    if (codePoints->size() > maxLength) {
      fail(key, "must be at most " + std::to_string(maxLength) + " characters");
      return std::nullopt;
    }
    return value;
  }

  std::optional<date::year_month_day> day(const std::string& key, bool required) const {
    const auto value = string(key, required);
    if (!value) return std::nullopt;
    const auto parsed = parseIsoDate(*value);
    if (!parsed) fail(key, "must be a date like 2026-11-24");
    return parsed;
  }

  std::optional<date::sys_seconds> timestamp(const std::string& key) const {
    const auto value = string(key, true);
    if (!value) return std::nullopt;
    const auto parsed = parseRfc3339(*value);
    if (!parsed) fail(key, "must be an RFC 3339 date-time with an offset, like 2026-11-22T14:30:00Z");
    return parsed;
  }

  std::optional<bool> boolean(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const auto value = object_->get(key);
    if (!value.isBoolean()) {
      fail(key, "must be true or false");
      return std::nullopt;
    }
    return value.extract<bool>();
  }

  std::optional<long long> integer(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const auto value = object_->get(key);
    if (!value.isInteger()) {
      fail(key, "must be a whole number");
      return std::nullopt;
    }
    try {
      return value.convert<long long>();
    } catch (const Poco::Exception&) {
      fail(key, "is out of range");
      return std::nullopt;
    }
  }

  Object::Ptr object(const std::string& key, bool required = true) const {
    if (!present(key)) {
      if (required) fail(key, "is required");
      return nullptr;
    }
    auto value = object_->getObject(key);
    if (!value) fail(key, "must be an object");
    return value;
  }

  Poco::JSON::Array::Ptr array(const std::string& key, bool required = true) const {
    if (!present(key)) {
      if (required) fail(key, "is required");
      return nullptr;
    }
    auto value = object_->getArray(key);
    if (!value) fail(key, "must be an array");
    return value;
  }

 private:
  Object::Ptr object_;
  std::string prefix_;
  Problems& problems_;
};

std::optional<std::string> readEventId(const FieldReader& in) {
  auto id = in.string("event_id", true);
  if (!id) return std::nullopt;
  const bool wellFormed = !id->empty() && id->size() <= 64 &&
                          std::all_of(id->begin(), id->end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                   c == '_' || c == '.' || c == ':';
                          });
  if (!wellFormed) {
    in.fail("event_id", "must be 1 to 64 letters, digits, or . _ : -");
    return std::nullopt;
  }
  return id;
}

std::optional<std::string> readHospitalNumber(const FieldReader& in) {
  auto number = in.string("hospital_number", true);
  if (!number) return std::nullopt;
  const bool wellFormed =
      !number->empty() && number->size() <= 20 &&
      std::all_of(number->begin(), number->end(),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (!wellFormed) {
    in.fail("hospital_number", "must be 1 to 20 letters or digits");
    return std::nullopt;
  }
  return number;
}

std::optional<std::string> readNhsNumber(const FieldReader& in) {
  const auto text = in.string("nhs_number", false);
  if (!text) return std::nullopt;
  const auto checked = checkNhsNumber(*text);
  if (!checked.digits) {
    in.fail("nhs_number", checked.error == NhsNumberError::kBadCheckDigit
                              ? "check digit does not match (not a valid NHS number)"
                              : "must be 10 digits");
  }
  return checked.digits;
}

// A BCP 47 tag as far as choosing a face needs: a 2-3 letter language, then subtags of
// 1-8 letters or digits ("ja", "zh-CN", "zh-Hant-TW").
std::optional<std::string> readLanguageTag(const FieldReader& in, const std::string& key) {
  auto tag = in.string(key, false);
  static const std::regex kTag("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
  if (tag && (tag->size() > 35 || !std::regex_match(*tag, kTag))) {
    in.fail(key, "must be a language tag such as ja or zh-CN");
    return std::nullopt;
  }
  return tag;
}

struct PatientFields {
  std::optional<std::string> givenName, familyName, hospitalNumber, nhsNumber, language;
  std::optional<date::year_month_day> dateOfBirth;
};

PatientFields readPatient(const FieldReader& in) {
  PatientFields out;
  out.givenName = in.text("given_name", false);
  out.familyName = in.text("family_name", true);
  out.hospitalNumber = readHospitalNumber(in);
  out.nhsNumber = readNhsNumber(in);
  out.language = readLanguageTag(in, "language");
  if (const auto dob = in.string("date_of_birth", true)) {
    out.dateOfBirth = parseIsoDate(*dob);
    if (!out.dateOfBirth) in.fail("date_of_birth", "must be a date like 1948-03-02");
  }
  return out;
}

std::vector<std::string> readLevels(const FieldReader& in) {
  const auto array = in.array("levels");
  if (!array) return {};
  if (array->size() == 0) {
    in.fail("levels", "must name at least one vertebra");
    return {};
  }
  const auto& order = vertebralLevels();
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto item = array->get(static_cast<unsigned>(i));
    const std::string field = "levels[" + std::to_string(i) + "]";
    const auto found = item.isString() ? std::find(order.begin(), order.end(),
                                                   item.extract<std::string>())
                                       : order.end();
    if (found == order.end()) {
      in.fail(field, "must be a vertebra: C1-C7, T1-T12, L1-L5 or S1-S5");
      continue;
    }
    const auto position = static_cast<std::size_t>(found - order.begin());
    if (std::find(positions.begin(), positions.end(), position) != positions.end()) {
      in.fail(field, "names " + *found + " twice");
      continue;
    }
    positions.push_back(position);
  }
  std::sort(positions.begin(), positions.end());
  std::vector<std::string> levels;
  for (auto position : positions) levels.push_back(order[position]);
  return levels;
}

std::optional<std::string> readNotes(const FieldReader& in) {
  auto notes = in.string("notes", false);
  if (!notes || isBlank(*notes)) return std::nullopt;
  const auto codePoints = util::decodeUtf8(*notes);
  if (!codePoints) {
    in.fail("notes", "must be valid UTF-8");
    return std::nullopt;
  }
  if (std::any_of(codePoints->begin(), codePoints->end(),
                  [](char32_t c) { return util::isControl(c) && c != '\n' && c != '\r'; })) {
    in.fail("notes", "must not contain control characters other than line breaks");
    return std::nullopt;
  }
  if (codePoints->size() > kMaxNotesLength) {
    in.fail("notes", "must be at most " + std::to_string(kMaxNotesLength) + " characters");
    return std::nullopt;
  }
  notes->erase(std::remove(notes->begin(), notes->end(), '\r'), notes->end());
  return notes;
}

std::optional<Anaesthesia> readAnaesthesia(const FieldReader& in) {
  const auto text = in.string("anaesthesia", false);
  if (!text) return std::nullopt;
  if (*text == "local") return Anaesthesia::kLocal;
  if (*text == "sedation") return Anaesthesia::kSedation;
  if (*text == "general") return Anaesthesia::kGeneral;
  in.fail("anaesthesia", "must be local, sedation or general");
  return std::nullopt;
}

// follow_up: {at, place, with}, each optional but not all missing. `at` is an RFC 3339
// date-time or a plain date.
std::optional<FollowUp> readFollowUp(const FieldReader& top, Problems& problems) {
  const auto object = top.object("follow_up", false);
  if (!object) return std::nullopt;
  const FieldReader in(object, "follow_up.", problems);
  FollowUp followUp;
  if (const auto at = in.string("at", false)) {
    followUp.at = parseRfc3339(*at);
    if (!followUp.at) followUp.day = parseIsoDate(*at);
    if (!followUp.at && !followUp.day) {
      in.fail("at", "must be a date like 2026-12-08 or an RFC 3339 date-time like 2026-12-08T10:30:00Z");
    }
  }
  followUp.place = in.text("place", false);
  followUp.with = in.text("with", false);
  if (!followUp.at && !followUp.day && !followUp.place && !followUp.with) {
    if (!in.present("at") && !in.present("place") && !in.present("with")) {
      top.fail("follow_up", "must give at least one of at, place or with");
    }
    return std::nullopt;
  }
  return followUp;
}

// The discharge's calendar date where the hospital is.
date::year_month_day localDischargeDay(date::sys_seconds dischargedAt, const std::string& timeZone) {
  auto local = date::local_seconds{dischargedAt.time_since_epoch()};
  try {
    local = date::locate_zone(timeZone)->to_local(dischargedAt);
  } catch (const std::runtime_error&) {
    // The configuration checks the zone at start-up; UTC is only a last resort.
  }
  return date::year_month_day{date::floor<date::days>(local)};
}

// The first second of `day` where the hospital is.
date::sys_seconds startOfLocalDay(date::year_month_day day, const std::string& timeZone) {
  try {
    return date::locate_zone(timeZone)->to_sys(date::local_days{day}, date::choose::earliest);
  } catch (const std::runtime_error&) {
    return date::sys_days{day};  // as localDischargeDay: UTC only as a last resort
  }
}

// The medicines that passed every check; each bad one is a problem. A restart date before
// `dischargeDay` (when known) is one too.
std::vector<BloodThinner> readBloodThinners(const FieldReader& top, Problems& problems,
                                            std::optional<date::year_month_day> dischargeDay) {
  const auto array = top.array("blood_thinners", false);
  if (!array) return {};
  if (array->size() > kMaxBloodThinners) {
    top.fail("blood_thinners", "must list at most " + std::to_string(kMaxBloodThinners) + " medicines");
    return {};
  }
  std::vector<BloodThinner> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string key = "blood_thinners[" + std::to_string(i) + "]";
    const auto object = array->getObject(static_cast<unsigned>(i));
    if (!object) {
      problems.push_back({key, "must be an object {name, restart_on, instructions}"});
      continue;
    }
    const FieldReader in(object, key + ".", problems);
    const auto name = in.text("name", true);
    const auto restartOn = in.day("restart_on", true);
    const auto instructions = in.text("instructions", false, kMaxInstructionsLength);
    if (restartOn && dischargeDay && date::sys_days{*restartOn} < date::sys_days{*dischargeDay}) {
      in.fail("restart_on", "must not be before the discharge date (" + date::format("%F", *dischargeDay) + ")");
      continue;
    }
    if (!name || !restartOn || (in.present("instructions") && !instructions)) continue;
    out.push_back({*name, *restartOn, instructions});
  }
  return out;
}

void checkFollowUpAfterDischarge(const FollowUp& followUp, date::sys_seconds dischargedAt,
                                 date::year_month_day dischargeDay, Problems& problems) {
  if ((followUp.at && *followUp.at < dischargedAt) ||
      (followUp.day && date::sys_days{*followUp.day} < date::sys_days{dischargeDay})) {
    problems.push_back({"follow_up.at", "must not be before the discharge"});
  }
}

void checkLayoutExists(const FieldReader& in, const EventRules& rules, const LayoutChoice& choice) {
  if (const auto draft = rules.draftLayouts.find(choice); draft != rules.draftLayouts.end()) {
    in.fail("language", "the " + choice.language + " leaflet for " + choice.procedure + " (" + draft->second +
                            ") is a draft, not yet reviewed; this site prints only reviewed leaflets");
    return;
  }
  std::set<std::string> procedures, languages;
  for (const auto& layout : rules.layouts) {
    procedures.insert(layout.procedure);
    if (layout.procedure == choice.procedure) languages.insert(layout.language);
  }
  if (!procedures.count(choice.procedure)) {
    in.fail("procedure.type", "unknown procedure '" + choice.procedure + "'; known: " + joined(procedures));
  } else if (!languages.count(choice.language)) {
    in.fail("language", "no leaflet in '" + choice.language + "' for " + choice.procedure +
                            "; available: " + joined(languages));
  } else if (!rules.layouts.count(choice)) {
    in.fail("large_print", std::string("no ") + (choice.largePrint ? "large-print" : "standard") +
                               " leaflet in " + choice.language + " for " + choice.procedure);
  }
}

}  // namespace

const std::vector<std::string>& vertebralLevels() {
  static const std::vector<std::string> levels = [] {
    std::vector<std::string> out;
    const std::array<std::pair<char, int>, 4> regions{{{'C', 7}, {'T', 12}, {'L', 5}, {'S', 5}}};
    for (const auto& [letter, count] : regions) {
      for (int n = 1; n <= count; ++n) out.push_back(letter + std::to_string(n));
    }
    return out;
  }();
  return levels;
}

ParsedEvent parseDischargeEvent(std::string_view json, const EventRules& rules) {
  ParsedEvent result;
  Problems& problems = result.problems;
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser(new DuplicateKeyFinder);
    const auto parsed = parser.parse(std::string(json));
    const auto& duplicate = static_cast<const DuplicateKeyFinder&>(*parser.getHandler()).duplicate();
    if (!duplicate.empty()) {
      problems.push_back({duplicate, "appears more than once"});
      return result;
    }
    root = parsed.type() == typeid(Object::Ptr) ? parsed.extract<Object::Ptr>() : nullptr;
    if (!root) problems.push_back({"", "must be a JSON object"});
  } catch (const Poco::Exception&) {
    problems.push_back({"", "is not valid JSON (or nested too deeply)"});
  }
  if (!root) return result;

  const FieldReader top(root, "", problems);
  const auto eventId = readEventId(top);
  // A sender that knows only the day (FHIR allows a bare date) gives discharged_on instead.
  const bool dayOnly = top.present("discharged_on") && !top.present("discharged_at");
  std::optional<date::sys_seconds> dischargedAt;
  if (dayOnly) {
    if (const auto day = top.day("discharged_on", true)) dischargedAt = startOfLocalDay(*day, rules.timeZone);
  } else {
    dischargedAt = top.timestamp("discharged_at");
    if (top.present("discharged_on")) top.fail("discharged_on", "must not be given with discharged_at");
  }
  // The latest the patient can have left: the end of the day when only the day is known.
  const auto leftBy = dischargedAt && dayOnly ? std::optional{*dischargedAt + date::days{1} - std::chrono::seconds{1}}
                                              : dischargedAt;
  const auto ward = top.string("ward", true);
  if (ward && !rules.wards.count(*ward)) top.fail("ward", "unknown ward; known: " + joined(rules.wards));

  PatientFields patient;
  if (const auto object = top.object("patient")) patient = readPatient({object, "patient.", problems});

  std::optional<std::string> procedureType, clinician;
  std::optional<date::sys_seconds> performedAt;
  std::optional<Anaesthesia> anaesthesia;
  std::vector<std::string> levels;
  if (const auto object = top.object("procedure")) {
    const FieldReader in(object, "procedure.", problems);
    procedureType = in.string("type", true);
    levels = readLevels(in);
    performedAt = in.timestamp("performed_at");
    clinician = in.text("clinician", true);
    anaesthesia = readAnaesthesia(in);
  }

  const auto language = top.string("language", false).value_or(rules.defaultLanguage);
  const auto largePrint = top.boolean("large_print").value_or(false);
  const auto copies = top.integer("copies").value_or(1);
  if (copies < 1 || copies > kMaxCopies) top.fail("copies", "must be from 1 to " + std::to_string(kMaxCopies));
  const auto printer = top.string("printer", false);
  if (printer && !rules.printers.count(*printer)) top.fail("printer", "unknown printer; known: " + joined(rules.printers));
  const auto notes = readNotes(top);
  const auto followUp = readFollowUp(top, problems);
  std::optional<date::year_month_day> dischargeDay;
  if (dischargedAt) dischargeDay = localDischargeDay(*dischargedAt, rules.timeZone);
  const auto bloodThinners = readBloodThinners(top, problems, dischargeDay);
  if (followUp && dischargedAt) checkFollowUpAfterDischarge(*followUp, *dischargedAt, *dischargeDay, problems);

  if (procedureType) {
    const LayoutChoice choice{*procedureType, language, largePrint};
    checkLayoutExists(top, rules, choice);
    if (rules.layouts.count(choice)) result.layout = choice;
  }
  if (performedAt && leftBy && *performedAt > *leftBy) {
    problems.push_back({"procedure.performed_at", dayOnly ? "must not be after discharged_on" : "must not be after discharged_at"});
  }
  if (patient.dateOfBirth && dischargedAt) {
    const date::year_month_day dischargeDay{date::floor<date::days>(*dischargedAt)};
    if (date::sys_days{*patient.dateOfBirth} > date::sys_days{dischargeDay}) {
      problems.push_back({"patient.date_of_birth", "must not be after the discharge"});
    } else if (dischargeDay.year() - patient.dateOfBirth->year() > date::years{kMaxAgeYears}) {
      problems.push_back({"patient.date_of_birth",
                          "is more than " + std::to_string(kMaxAgeYears) + " years before the discharge"});
    }
  }
  if (!problems.empty()) {
    DischargeEvent readWell;  // only its printed texts are filled in
    readWell.patient.givenName = patient.givenName;
    readWell.patient.familyName = patient.familyName.value_or("");
    readWell.procedure.clinician = clinician.value_or("");
    readWell.notes = notes;
    readWell.followUp = followUp;
    readWell.bloodThinners = bloodThinners;
    result.texts = printedTexts(readWell);
    return result;
  }

  DischargeEvent event;
  event.eventId = *eventId;
  event.dischargedAt = *dischargedAt;
  event.dischargeDayOnly = dayOnly;
  event.ward = *ward;
  event.patient = {patient.givenName, *patient.familyName, *patient.hospitalNumber,
                   patient.nhsNumber, *patient.dateOfBirth, patient.language};
  event.procedure = {*procedureType, levels, *performedAt, *clinician, anaesthesia};
  event.language = language;
  event.largePrint = largePrint;
  event.copies = static_cast<int>(copies);
  event.printer = printer;
  event.notes = notes;
  event.followUp = followUp;
  event.bloodThinners = bloodThinners;
  result.event = std::move(event);
  return result;
}

}  // namespace wardprint::events
