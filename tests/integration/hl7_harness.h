#pragma once

// What the HL7 end-to-end tests share: a daemon with an MLLP listener on two wards, fresh
// A03s built from the samples' segments, and reading an ACK's MSA.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "../hl7/hl7_samples.h"
#include "mllp_client.h"
#include "service_harness.h"

namespace wardprint::testsupport {

// A time `ago` before now, as an HL7 timestamp with its offset.
std::string hl7Time(std::chrono::minutes ago);

// A fresh A03 (discharged an hour ago) for visit `visit`, controlled as `controlId`.
hl7::samples::Adt freshA03(const std::string& visit, const std::string& controlId);

// MSA-1 and MSA-2 of an ACK ("AA|MSG1"), or why there are none.
std::string msa(const std::optional<std::string>& ack);

// Two wards whose daemon listens for MLLP on a free port and maps location T11E to ward 7
// and OPCS V44.4 to vertebroplasty. `hl7Yaml` is added to the hl7: section (two-space
// indented lines).
struct Hl7Setup {
  int mllpPort = freePort();
  TwoWards wards;

  explicit Hl7Setup(const std::string& hl7Yaml = "");
  // Starts the daemon and waits until its MLLP port takes connections.
  void start();
  // start(), then connects as an engine does.
  MllpClient startAndConnect();
  std::size_t printed() const { return wards.ward7.allJobs().size(); }
  bool printedWithin(std::size_t count, std::chrono::milliseconds wait) const;
};

}  // namespace wardprint::testsupport
