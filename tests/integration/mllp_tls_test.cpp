// MLLP over TLS (hl7.mllp.tls, issue 15) against a real wardprintd and emulated printers, with
// a certificate authority made in the test and POCO NetSSL as the integration engine's side.

#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <date/date.h>
#include <doctest/doctest.h>

#include <functional>
#include <thread>

#include "../hl7/hl7_samples.h"
#include "mllp_client.h"
#include "service_harness.h"
#include "test_ca.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;
using Poco::Net::Context;

namespace {

// An A03 for visit `id` (and controlled as `id`), discharged an hour ago.
std::string a03(const std::string& id) {
  const auto at = [](std::chrono::minutes ago) {
    return date::format("%Y%m%d%H%M+0000",
                        date::floor<std::chrono::minutes>(std::chrono::system_clock::now() - ago));
  };
  wardprint::hl7::samples::Adt adt;
  adt.visit = id;
  adt.controlId = id;
  adt.dischargedAt = at(60min);
  adt.sentAt = at(59min);
  adt.evn = "EVN|A03|" + at(59min);
  adt.pr1 = "PR1|1||V44.4^Percutaneous vertebroplasty^OPCS4||" + at(180min) + "||||||1234^Jones^Sam^^^Dr";
  return adt.text();
}

// A daemon whose MLLP listener speaks only TLS, with a certificate the hospital's test CA
// signed; with kRequired, engines must present a certificate that CA signed too.
struct MllpOverTls {
  enum class Clients { kAny, kCertificateRequired };
  TempDir certificates;
  TestCa ca{certificates, "hospital"};
  TestCa::Issued server = ca.issue("localhost", TestCa::Kind::kServer);
  int port = freePort();
  TwoWards wards;

  explicit MllpOverTls(Clients clients)
      : wards("hl7:\n  mllp: { port: " + std::to_string(port) + ", tls: { certificate: " + server.certificate +
              ", private_key: " + server.key +
              (clients == Clients::kCertificateRequired ? ", client_ca: " + ca.certificate() : "") +
              " } }\n  hospital_number: { type: MR }\n  locations: { T11E: ward-7 }\n"
              "  procedure_codes: { \"V44.4\": vertebroplasty }\n") {
    wards.daemon.start();
    REQUIRE(waitUntil([&] {
      try {
        Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
        return true;
      } catch (const Poco::Exception&) {
        return false;
      }
    }, 10s));
  }

  // An engine's TLS connection, trusting the test CA, presenting `certificate` if given.
  MllpClient engine(const TestCa::Issued* certificate = nullptr) const {
    Poco::Net::initializeSSL();
    Context::Params params;
    params.caLocation = ca.certificate();
    params.verificationMode = Context::VERIFY_RELAXED;
    params.loadDefaultCAs = false;
    if (certificate) {
      params.certificateFile = certificate->certificate;
      params.privateKeyFile = certificate->key;
    }
    Context::Ptr context = new Context(Context::TLS_CLIENT_USE, params);
    return MllpClient(Poco::Net::SecureStreamSocket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), "localhost", context));
  }

  std::size_t printed() const { return wards.ward7.allJobs().size(); }
};

// MSA-1 of an ACK, or why there is none.
std::string acknowledgement(const std::optional<std::string>& ack) {
  if (!ack) return "(no answer)";
  const auto at = ack->find("\rMSA|");
  return at == std::string::npos ? "(no MSA)" : ack->substr(at + 5, 2);
}

// What an engine gets for an A03 on a connection it may not complete: an exception while
// connecting counts as no answer.
std::string answerTo(const std::function<MllpClient()>& connect, const std::string& message) {
  try {
    auto client = connect();
    return acknowledgement(client.exchange(message));
  } catch (const Poco::Exception&) {
    return "(no answer)";
  }
}

}  // namespace

TEST_CASE("MLLP over TLS: an A03 gets AA and prints, the connection serves on after a pause, clear text gets nothing") {
  MllpOverTls service(MllpOverTls::Clients::kAny);
  auto engine = service.engine();
  CHECK(acknowledgement(engine.exchange(a03("TLS-A03-1"))) == "AA");
  CHECK(waitUntil([&] { return service.printed() == 1; }, 30s));
  // Longer than the listener's poll of its connections: an idle TLS connection stays open.
  std::this_thread::sleep_for(600ms);
  CHECK(acknowledgement(engine.exchange(a03("TLS-A03-2"))) == "AA");
  CHECK(waitUntil([&] { return service.printed() == 2; }, 30s));

  MllpClient plain(service.port);
  plain.send(a03("TLS-PLAIN-1"));
  CHECK_FALSE(plain.receive(5s));
  CHECK(plain.closedWithin(10s));
  const auto listed = service.wards.daemon.get("/v1/discharges?ward=ward-7");
  CHECK(json(listed.body)->getArray("discharges")->size() == 2);
}

TEST_CASE("MLLP over TLS with client_ca: an engine without a certificate the CA signed is refused") {
  MllpOverTls service(MllpOverTls::Clients::kCertificateRequired);
  TempDir elsewhere;
  TestCa stranger{elsewhere, "stranger"};
  const auto signedByHospital = service.ca.issue("pas-engine", TestCa::Kind::kClient);
  const auto signedByStranger = stranger.issue("pas-engine", TestCa::Kind::kClient);

  CHECK(answerTo([&] { return service.engine(); }, a03("TLS-NOCERT")) == "(no answer)");
  CHECK(answerTo([&] { return service.engine(&signedByStranger); }, a03("TLS-STRANGER")) == "(no answer)");
  CHECK(answerTo([&] { return service.engine(&signedByHospital); }, a03("TLS-CERT")) == "AA");
  CHECK(waitUntil([&] { return service.printed() == 1; }, 30s));
  const auto listed = service.wards.daemon.get("/v1/discharges?ward=ward-7");
  CHECK(json(listed.body)->getArray("discharges")->size() == 1);
}
