// TLS on the HTTP API and the nurse page (issue 15), against the real daemon, with a test
// certificate authority made here with the openssl CLI and curl as the client.

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "auth/password_hash.h"
#include "service_harness.h"
#include "test_ca.h"

using namespace wardprint::testsupport;

namespace {

const std::string kToken = "tls-test-feed-token";
const std::string kPassword = "correct horse battery";

std::string authSection() {
  const auto hash = wardprint::auth::hashPassword(kPassword, wardprint::auth::kMinPasswordIterations);
  return "auth:\n"
         "  api_tokens:\n"
         "    - { name: pas-feed, sha256: " + wardprint::auth::sha256Hex(kToken) + ", role: ward-system }\n"
         "    - { name: ward-7-feed, sha256: " + wardprint::auth::sha256Hex("unused-" + kToken) +
         ", role: ward-system, wards: [ward-7] }\n"
         "  users:\n"
         "    - { name: nurse.jones, password_hash: \"" + hash + "\", role: nurse, wards: [ward-7] }\n";
}

struct CurlReply {
  int exitCode = -1;
  int status = 0;
  std::string head;  // lower-cased, for matching header names and attributes
  std::string body;
};

// curl against https://127.0.0.1:port`path`, trusting `ca`; `extra` adds options.
CurlReply curl(int port, const std::string& ca, const std::string& path, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{"curl", "-sS", "-i", "--max-time", "30", "--cacert", ca};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("https://127.0.0.1:" + std::to_string(port) + path);
  const auto result = runProcess(argv);
  CurlReply reply;
  reply.exitCode = result.exitCode;
  const auto end = result.out.find("\r\n\r\n");
  reply.head = result.out.substr(0, end);
  std::transform(reply.head.begin(), reply.head.end(), reply.head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (end != std::string::npos) reply.body = result.out.substr(end + 4);
  if (reply.head.rfind("http/1.1 ", 0) == 0) reply.status = std::stoi(reply.head.substr(9, 3));
  return reply;
}

// Two wards behind TLS, the hospital's CA signing the server's certificate (and, with
// kClientCertificates, the ward systems' too); `serverYaml` adds server keys.
struct TlsService {
  enum class Clients { kTokensOnly, kClientCertificates };
  TempDir certificates;
  TestCa ca{certificates, "hospital"};
  TestCa::Issued server = ca.issue("localhost", TestCa::Kind::kServer);
  TwoWards wards{authSection()};
  std::string eventFile = certificates.path("event.json");

  explicit TlsService(Clients clients = Clients::kTokensOnly, const std::string& serverYaml = "") {
    const auto clientCa = clients == Clients::kClientCertificates ? ", client_ca: " + ca.certificate() : "";
    const auto config = readFile(wards.daemon.configPath());
    writeFile(wards.daemon.configPath(),
              replaceOnce(config, ", threads: 8 }",
                          ", threads: 8" + serverYaml + ", tls: { certificate: " + server.certificate +
                              ", private_key: " + server.key + clientCa + " } }"));
    wards.daemon.start();
  }

  CurlReply postEvent(const std::string& eventId, std::vector<std::string> credentials) const {
    writeFile(eventFile, sampleEvent(eventId));
    credentials.insert(credentials.end(), {"-H", "Content-Type: application/json", "--data-binary", "@" + eventFile});
    return curl(wards.daemon.port(), ca.certificate(), "/v1/discharges", credentials);
  }
};

// Whether the daemon closes the connection within 20 seconds (after a TLS alert, perhaps).
bool closedByDaemon(Poco::Net::StreamSocket& socket) {
  socket.setReceiveTimeout(Poco::Timespan(20, 0));
  char buffer[256];
  try {
    while (socket.receiveBytes(buffer, sizeof buffer) > 0) {
    }
    return true;
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Exception&) {
    return true;  // reset
  }
}

}  // namespace

TEST_CASE("TLS: a discharge POSTed over TLS is accepted, the session cookie is Secure and HSTS is sent") {
  TlsService service;
  const auto posted = service.postEvent("TLS-1", {"-H", "Authorization: Bearer " + kToken});
  CHECK_MESSAGE(posted.status == 202, posted.head, posted.body);
  CHECK(posted.head.find("strict-transport-security: max-age=31536000") != std::string::npos);

  const auto signedIn = curl(service.wards.daemon.port(), service.ca.certificate(), "/v1/session",
                             {"-H", "Content-Type: application/json", "--data",
                              R"({"name":"nurse.jones","password":")" + kPassword + R"("})"});
  CHECK_MESSAGE(signedIn.status == 200, signedIn.head);
  const auto cookie = signedIn.head.find("set-cookie: wardprint_session=");
  REQUIRE(cookie != std::string::npos);
  const auto cookieLine = signedIn.head.substr(cookie, signedIn.head.find("\r\n", cookie) - cookie);
  CHECK_MESSAGE(cookieLine.find("; secure") != std::string::npos, cookieLine);
  CHECK(cookieLine.find("httponly") != std::string::npos);

  const auto page = curl(service.wards.daemon.port(), service.ca.certificate(), "/");
  CHECK(page.status == 200);
  CHECK(page.head.find("strict-transport-security") != std::string::npos);

  // Clear text on the TLS port gets no answer a browser could show.
  std::string plain;
  try {
    plain = rawExchange(service.wards.daemon.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  } catch (const Poco::Exception&) {
    plain = "(reset)";
  }
  CHECK(plain.find("HTTP/1.1") == std::string::npos);
  CHECK_MESSAGE(waitUntil([&] {
                  return service.wards.daemon.log().find("warning: tls: handshake with 127.0.0.1 failed") !=
                         std::string::npos;
                }, std::chrono::seconds(10)),
                service.wards.daemon.log());
}

TEST_CASE("TLS: plain HTTP on an address other than loopback is refused at start unless allowed") {
  TwoWards wards;
  const auto loopback = readFile(wards.daemon.configPath());
  const auto open = wards.dir.path("open.yaml");
  writeFile(open, replaceOnce(loopback, "host: 127.0.0.1", "host: 0.0.0.0"));
  // A daemon that started anyway would serve until `timeout` stops it (exit 124).
  const auto refused = runProcess({"timeout", "20", WARDPRINTD, "--config", open});
  CHECK(refused.exitCode != 0);
  CHECK(refused.exitCode != 124);
  CHECK_MESSAGE(refused.err.find("server.host: '0.0.0.0' is reachable from other machines, so it needs server.tls") !=
                    std::string::npos,
                refused.err);

  const auto allowed = wards.dir.path("allowed.yaml");
  writeFile(allowed, replaceOnce(loopback, "host: 127.0.0.1", "host: 0.0.0.0, allow_plaintext: true"));
  const auto check = runProcess({WARDPRINTD, "--check-config", allowed, "--offline"});
  CHECK_MESSAGE(check.exitCode == 0, check.err);
}

TEST_CASE("TLS: a client certificate signs a ward system in as the API token its common name names") {
  TempDir clients;
  TestCa stranger{clients, "stranger"};
  TlsService service(TlsService::Clients::kClientCertificates);
  const auto feed = service.ca.issue("pas-feed", TestCa::Kind::kClient);
  const auto unknown = service.ca.issue("no-such-token", TestCa::Kind::kClient);
  const auto untrusted = stranger.issue("pas-feed", TestCa::Kind::kClient);

  const auto withCertificate = service.postEvent("TLS-CERT-1", {"--cert", feed.certificate, "--key", feed.key});
  CHECK_MESSAGE(withCertificate.status == 202, withCertificate.head, withCertificate.body);
  CHECK(service.postEvent("TLS-CERT-2", {}).status == 401);
  CHECK(service.postEvent("TLS-CERT-3", {"--cert", unknown.certificate, "--key", unknown.key}).status == 401);
  const auto refused = service.postEvent("TLS-CERT-4", {"--cert", untrusted.certificate, "--key", untrusted.key});
  CHECK(refused.exitCode != 0);  // the handshake fails
  CHECK(refused.status == 0);
}

TEST_CASE("TLS: a silent, broken or expired handshake does not hold a connection thread") {
  TlsService service(TlsService::Clients::kClientCertificates, ", request_timeout_seconds: 2, max_connections: 8, max_connections_per_address: 8");
  const auto port = service.wards.daemon.port();
  // Every connection thread taken by clients that connect and never finish a handshake.
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::make_unique<Poco::Net::StreamSocket>(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))));
    if (i % 2 == 1) stalled.back()->sendBytes("\x16\x03\x01\x02", 4);  // the start of a ClientHello, no more
  }
  for (auto& socket : stalled) {
    CHECK_MESSAGE(closedByDaemon(*socket), "the daemon kept a connection that never finished its handshake");
  }
  const auto expired = service.ca.issue("pas-feed", TestCa::Kind::kExpiredClient);
  const auto refused = service.postEvent("TLS-EXPIRED", {"--cert", expired.certificate, "--key", expired.key});
  CHECK(refused.exitCode != 0);
  CHECK(refused.status == 0);
  const auto served = service.postEvent("TLS-AFTER", {"-H", "Authorization: Bearer " + kToken});
  CHECK_MESSAGE(served.status == 202, served.head, served.body);
}
