// Fuzzes the HL7 v2 front half with arbitrary bytes as a connection's stream: the MLLP
// decoder (fed in two pieces, split where the first byte says), then for each frame the
// parser, the ADT mapping and the ACK builder, as the listener will call them. The headers
// promise no exceptions for bad input, so nothing is caught; it also checks that a parse
// gives a message or an error, never both or neither, and that every ACK is framed HL7.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/ack.h"
#include "hl7/adt_mapping.h"
#include "hl7/message.h"
#include "hl7/mllp.h"

namespace {

using namespace wardprint::hl7;

const MappingConfig& config() {
  static const MappingConfig kConfig = [] {
    MappingConfig config;
    config.locations = {{"T11E", "ward-7"}, {"T12W", "ward-8"}};
    config.procedureCodes = {{"V44.4", "vertebroplasty"}};
    config.defaultProcedures = {{"ward-8", "kyphoplasty"}};
    return config;
  }();
  return kConfig;
}

void answer(std::string_view frame) {
  const date::sys_seconds now = date::sys_days{date::year{2026} / 12 / 2};
  const ParseResult parsed = parseMessage(frame, config().defaultCharset);
  if (parsed.message.has_value() == parsed.error.has_value()) std::abort();
  AckOutcome outcome;
  if (parsed.message) {
    const Mapped mapped =
        mapMessage(*parsed.message, now, config(), {"vertebroplasty", "kyphoplasty"});
    if ((mapped.kind == Mapped::Kind::kPrint) != (mapped.discharge && !mapped.reason)) std::abort();
    if (mapped.discharge && mapped.discharge->externalId.empty()) std::abort();
    outcome = ackOutcome(mapped);
  } else {
    outcome = ackOutcome(*parsed.error);
  }
  const std::string ack = buildAck(readHeader(frame), outcome, {"WP1", now});
  if (ack.rfind("MSH|^~\\&|", 0) != 0 || ack.find("\rMSA|") == std::string::npos) std::abort();
  if (ack.find_first_of(std::string("\x0B\x1C\n\0", 4)) != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  MllpDecoder decoder(4096);
  for (const std::string_view piece : {bytes.substr(0, cut), bytes.substr(cut)}) {
    for (const MllpEvent& event : decoder.feed(piece)) {
      if (event.kind != MllpEvent::Kind::kFrame && !event.payload.empty()) std::abort();
      if (event.kind == MllpEvent::Kind::kFrame) answer(event.payload);
    }
  }
  answer(bytes);  // as POST /v1/hl7 would: the body alone, unframed
  return 0;
}
