#include "hl7_harness.h"

#include <doctest/doctest.h>

#include <date/date.h>

namespace wardprint::testsupport {

using namespace std::chrono_literals;

std::string hl7Time(std::chrono::minutes ago) {
  return date::format("%Y%m%d%H%M+0000", date::floor<std::chrono::minutes>(std::chrono::system_clock::now() - ago));
}

hl7::samples::Adt freshA03(const std::string& visit, const std::string& controlId) {
  hl7::samples::Adt adt;
  adt.visit = visit;
  adt.controlId = controlId;
  adt.dischargedAt = hl7Time(60min);
  adt.sentAt = hl7Time(59min);
  adt.evn = "EVN|A03|" + hl7Time(59min);
  adt.pr1 = "PR1|1||V44.4^Percutaneous vertebroplasty^OPCS4||" + hl7Time(180min) + "||||||1234^Jones^Sam^^^Dr";
  return adt;
}

std::string msa(const std::optional<std::string>& ack) {
  if (!ack) return "(no answer)";
  const auto at = ack->find("\rMSA|");
  if (at == std::string::npos) return "(no MSA)";
  const auto rest = ack->substr(at + 5);
  const auto second = rest.find('|', rest.find('|') + 1);
  return rest.substr(0, std::min(second, rest.find('\r')));
}

Hl7Setup::Hl7Setup(const std::string& hl7Yaml)
    : wards("hl7:\n  mllp: { port: " + std::to_string(mllpPort) +
            " }\n  hospital_number: { type: MR }\n  locations: { T11E: ward-7 }\n"
            "  procedure_codes: { \"V44.4\": vertebroplasty }\n" +
            hl7Yaml) {}

void Hl7Setup::start() {
  wards.daemon.start();
  REQUIRE(waitUntil(
      [&] {
        try {
          MllpClient probe(mllpPort);
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      10s));
}

MllpClient Hl7Setup::startAndConnect() {
  start();
  return MllpClient(mllpPort);
}

bool Hl7Setup::printedWithin(std::size_t count, std::chrono::milliseconds wait) const {
  return waitUntil([&] { return printed() >= count; }, wait);
}

}  // namespace wardprint::testsupport
