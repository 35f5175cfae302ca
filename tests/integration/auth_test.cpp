// Sign-in, roles, ward scoping, CSRF and the audit trail, against the real daemon.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include "auth/password_hash.h"
#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

const std::string kFeedToken = "feed-token-for-all-wards";
const std::string kWard7Token = "feed-token-for-ward-7";
const std::string kPassword = "correct horse battery";
constexpr int kIdleMinutes = 20;

std::string authSection() {
  const auto hash = wardprint::auth::hashPassword(kPassword, wardprint::auth::kMinPasswordIterations);
  return "auth:\n"
         "  max_login_failures: 3\n"
         "  session_idle_minutes: " + std::to_string(kIdleMinutes) + "\n"
         "  api_tokens:\n"
         "    - { name: pas-feed, sha256: " + wardprint::auth::sha256Hex(kFeedToken) + ", role: ward-system }\n"
         "    - { name: ward-7-feed, sha256: " + wardprint::auth::sha256Hex(kWard7Token) +
         ", role: ward-system, wards: [ward-7] }\n"
         "  users:\n"
         "    - { name: nurse.jones, password_hash: \"" + hash + "\", role: nurse, wards: [ward-7] }\n"
         "    - { name: nurse.patel, password_hash: \"" + hash + "\", role: nurse, wards: [ward-8] }\n"
         "    - { name: admin.lee, password_hash: \"" + hash + "\", role: admin, wards: [ward-7, ward-8] }\n";
}

struct SignedIn {
  Headers headers;  // the cookie and the CSRF token
  std::string cookieHeader;
};

struct SecuredService {
  TempDir dir;
  PrinterBus bus{dir};
  EmulatedPrinter ward7{dir, "ward-7-laser", bus};
  EmulatedPrinter ward8{dir, "ward-8-laser", bus};
  DaemonUnderTest daemon{dir,
                         {{"ward-7-laser", &ward7}, {"ward-8-laser", &ward8}},
                         "  ward-7: { name: Ward 7, phone: \"1\", printer: ward-7-laser }\n"
                         "  ward-8: { name: Ward 8, phone: \"2\", printer: ward-8-laser }\n",
                         authSection()};
  std::string doc7, doc8;

  SecuredService() {
    daemon.start();
    doc7 = postEvent("AUTH-7", "ward-7");
    doc8 = postEvent("AUTH-8", "ward-8");
  }

  std::string postEvent(const std::string& eventId, const std::string& ward) {
    const auto reply = daemon.request("POST", "/v1/discharges", sampleEvent(eventId, ward), "application/json",
                                      {{"Authorization", "Bearer " + kFeedToken}});
    REQUIRE(reply.status == 202);
    return json(reply.body)->getValue<std::string>("id");
  }

  SignedIn signIn(const std::string& name) {
    const auto reply = daemon.post("/v1/session", R"({"name": ")" + name + R"(", "password": ")" + kPassword + "\"}");
    REQUIRE(reply.status == 200);
    const auto cookie = reply.setCookie.substr(0, reply.setCookie.find(';'));
    return {{{"Cookie", cookie}, {"X-CSRF-Token", json(reply.body)->getValue<std::string>("csrf_token")}}, cookie};
  }

  HttpReply as(const SignedIn& user, const std::string& method, const std::string& path,
               const std::string& body = "") {
    return daemon.request(method, path, body, "application/json", user.headers);
  }
};

}  // namespace

TEST_CASE("without a session or token every endpoint but /healthz, the page and local /metrics answers 401") {
  SecuredService service;
  const std::pair<const char*, std::string> requests[] = {
      {"GET", "/v1/discharges"},
      {"GET", "/v1/discharges/" + service.doc7},
      {"GET", "/v1/discharges/" + service.doc7 + "/pdf"},
      {"POST", "/v1/discharges/" + service.doc7 + "/reprint"},
      {"POST", "/v1/discharges"},
      {"GET", "/v1/printers"},
      {"GET", "/v1/wards"},
      {"GET", "/v1/audit"},
      {"GET", "/v1/session"},
      {"DELETE", "/v1/session"},
      {"GET", "/v1/discharges/" + service.doc7 + "/pages/1.png"},
      {"POST", "/v1/discharges/by-hand"},
  };
  for (const auto& [method, path] : requests) {
    CAPTURE(method);
    CAPTURE(path);
    const auto reply = service.daemon.request(method, path, "{}", "application/json");
    CHECK(reply.status == 401);
    CHECK(reply.contentType == "application/problem+json");
  }
  const auto wrongToken = service.daemon.request("GET", "/v1/discharges", "", "", {{"Authorization", "Bearer nope"}});
  CHECK(wrongToken.status == 401);
  CHECK(service.daemon.get("/healthz").status == 200);
}

TEST_CASE("signing in sets an HttpOnly, SameSite=Strict cookie and a wrong password is refused and audited") {
  SecuredService service;
  const auto wrong = service.daemon.post("/v1/session", R"({"name": "nurse.jones", "password": "guess"})");
  CHECK(wrong.status == 401);
  CHECK(wrong.setCookie.empty());

  const auto reply = service.daemon.post("/v1/session", R"({"name": "nurse.jones", "password": ")" + kPassword + "\"}");
  REQUIRE(reply.status == 200);
  CHECK(reply.setCookie.find("wardprint_session=") == 0);
  CHECK(reply.setCookie.find("HttpOnly") != std::string::npos);
  CHECK(reply.setCookie.find("SameSite=Strict") != std::string::npos);
  const auto session = json(reply.body);
  CHECK(session->getValue<std::string>("role") == "nurse");
  CHECK(session->getValue<std::string>("csrf_token").size() == 48);
  // The nurse page takes its idle timeout and time zone from the session, not its own code.
  CHECK(session->getValue<int>("idle_minutes") == kIdleMinutes);
  CHECK(session->getValue<std::string>("timezone") == "Europe/London");

  const auto admin = service.signIn("admin.lee");
  const auto audit = json(service.as(admin, "GET", "/v1/audit?user=nurse.jones").body)->getArray("entries");
  REQUIRE(audit->size() == 2);
  CHECK(audit->getObject(0)->getValue<std::string>("action") == "sign-in");
  CHECK(audit->getObject(1)->getValue<std::string>("action") == "sign-in-failed");
  CHECK(audit->getObject(1)->getValue<std::string>("from") == "127.0.0.1");
  const auto again = json(service.as(admin, "GET", "/v1/session").body);
  CHECK(again->getValue<int>("idle_minutes") == kIdleMinutes);

  // A password typed into the name box is audited as an unknown name, never as typed.
  CHECK(service.daemon.post("/v1/session", R"({"name": "hunter2-typed-here", "password": ""})").status == 401);
  const auto everything = service.as(admin, "GET", "/v1/audit").body;
  CHECK(everything.find("hunter2") == std::string::npos);
  CHECK(everything.find("(unknown name)") != std::string::npos);
}

TEST_CASE("a session and a lockout outlive a restart of the daemon: they are kept in the store") {
  SecuredService service;
  const auto nurse = service.signIn("nurse.jones");
  for (int i = 0; i < 3; ++i) {
    CHECK(service.daemon.post("/v1/session", R"({"name": "admin.lee", "password": "guess"})").status == 401);
  }
  CHECK(service.daemon.terminate() == 0);
  service.daemon.start();
  CHECK(service.as(nurse, "GET", "/v1/session").status == 200);
  CHECK(service.daemon.post("/v1/session", R"({"name": "admin.lee", "password": ")" + kPassword + "\"}").status ==
        429);
  CHECK(service.as(nurse, "DELETE", "/v1/session").status == 204);
  CHECK(service.as(nurse, "GET", "/v1/session").status == 401);
}

TEST_CASE("repeated failed sign-ins are throttled, even with the right password") {
  SecuredService service;
  for (int i = 0; i < 3; ++i) {
    CHECK(service.daemon.post("/v1/session", R"({"name": "nurse.jones", "password": "guess"})").status == 401);
  }
  const auto throttled =
      service.daemon.post("/v1/session", R"({"name": "nurse.jones", "password": ")" + kPassword + "\"}");
  CHECK(throttled.status == 429);
}

namespace {

// A sign-in sent from `source` (a 127.0.0.x address): the status code of the answer.
int signInFrom(const std::string& source, int port, const std::string& name, const std::string& password) {
  const std::string body = R"({"name": ")" + name + R"(", "password": ")" + password + "\"}";
  Poco::Net::StreamSocket socket;
  socket.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  const std::string request = "POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  char head[12] = {};
  socket.receiveBytes(head, sizeof head);  // "HTTP/1.1 200"
  return std::stoi(std::string(head + 9, 3));
}

}  // namespace

TEST_CASE("wrong passwords from a stranger's address do not lock the nurse out at her own") {
  SecuredService service;
  const int port = service.daemon.port();
  for (int i = 0; i < 3; ++i) CHECK(signInFrom("127.0.0.2", port, "nurse.jones", "guess") == 401);
  CHECK(signInFrom("127.0.0.2", port, "nurse.jones", kPassword) == 429);  // the stranger's address is
  CHECK(signInFrom("127.0.0.1", port, "nurse.jones", kPassword) == 200);  // the nurse's is not
}

TEST_CASE("state-changing requests with a session need the CSRF token") {
  SecuredService service;
  auto nurse = service.signIn("nurse.jones");
  const std::string reprint = R"({"reason": "lost"})";
  const auto path = "/v1/discharges/" + service.doc7 + "/reprint";
  const auto noToken = service.daemon.request("POST", path, reprint, "application/json", {{"Cookie", nurse.cookieHeader}});
  CHECK(noToken.status == 403);
  const auto wrongToken = service.daemon.request("POST", path, reprint, "application/json",
                                                 {{"Cookie", nurse.cookieHeader}, {"X-CSRF-Token", "forged"}});
  CHECK(wrongToken.status == 403);
  CHECK(service.as(nurse, "POST", path, reprint).status == 202);

  const auto signOutNoToken =
      service.daemon.request("DELETE", "/v1/session", "", "application/json", {{"Cookie", nurse.cookieHeader}});
  CHECK(signOutNoToken.status == 403);
  CHECK(service.as(nurse, "DELETE", "/v1/session").status == 204);
  CHECK(service.as(nurse, "GET", "/v1/session").status == 401);  // the session is gone
}

TEST_CASE("an admin sees every ward") {
  SecuredService service;
  const auto admin = service.signIn("admin.lee");
  CHECK(service.as(admin, "GET", "/v1/discharges/" + service.doc8).status == 200);
  CHECK(json(service.as(admin, "GET", "/v1/discharges").body)->getArray("discharges")->size() == 2);
}

TEST_CASE("a nurse sees only her wards' leaflets and printers") {
  SecuredService service;
  const auto nurse = service.signIn("nurse.jones");
  CHECK(service.as(nurse, "GET", "/v1/discharges/" + service.doc7).status == 200);
  // Another ward's leaflet answers exactly as a missing one: a 403 would tell that it exists.
  const auto otherWard = service.as(nurse, "GET", "/v1/discharges/" + service.doc8);
  const auto missing = service.as(nurse, "GET", "/v1/discharges/WP-0000000000000");
  CHECK(otherWard.status == 404);
  CHECK(otherWard.body == missing.body);
  CHECK(service.as(nurse, "GET", "/v1/discharges/" + service.doc8 + "/pdf").status == 404);
  CHECK(service.as(nurse, "POST", "/v1/discharges/" + service.doc8 + "/reprint", R"({"reason": "x"})").status == 404);
  CHECK(service.as(nurse, "GET", "/v1/discharges?ward=ward-8").status == 403);
  const auto mine = json(service.as(nurse, "GET", "/v1/discharges").body)->getArray("discharges");
  REQUIRE(mine->size() == 1);
  CHECK(mine->getObject(0)->getValue<std::string>("id") == service.doc7);
  const auto printers = json(service.as(nurse, "GET", "/v1/printers").body)->getArray("printers");
  REQUIRE(printers->size() == 1);
  CHECK(printers->getObject(0)->getValue<std::string>("name") == "ward-7-laser");
  CHECK(service.as(nurse, "POST", "/v1/discharges", sampleEvent("AUTH-9")).status == 403);  // nurses send no events
  CHECK(service.as(nurse, "GET", "/v1/audit").status == 403);
}

TEST_CASE("ward-system tokens send events and read states, but not the audit log or other wards' PDFs") {
  SecuredService service;
  const Headers ward7Feed{{"Authorization", "Bearer " + kWard7Token}};
  CHECK(service.daemon.request("GET", "/v1/discharges/" + service.doc7, "", "", ward7Feed).status == 200);
  CHECK(service.daemon.request("GET", "/v1/discharges/" + service.doc8 + "/pdf", "", "", ward7Feed).status == 404);
  CHECK(service.daemon.request("GET", "/v1/audit", "", "", ward7Feed).status == 403);
  CHECK(service.daemon.request("POST", "/v1/discharges", sampleEvent("AUTH-10", "ward-8"), "application/json",
                               ward7Feed)
            .status == 403);
  CHECK(service.daemon.request("POST", "/v1/discharges", sampleEvent("AUTH-11", "ward-7"), "application/json",
                               ward7Feed)
            .status == 202);
  // Nor may it send a ward 7 event to ward 8's printer.
  const auto toWard8Printer =
      replaceOnce(sampleEvent("AUTH-12", "ward-7"), "\"printer\": null", "\"printer\": \"ward-8-laser\"");
  CHECK(service.daemon.request("POST", "/v1/discharges", toWard8Printer, "application/json", ward7Feed).status == 403);
  // A token needs no CSRF header: it is not sent automatically by a browser.
  CHECK(service.daemon.request("POST", "/v1/discharges/" + service.doc7 + "/reprint", R"({"reason": "jam"})",
                               "application/json", ward7Feed)
            .status == 202);
}

TEST_CASE("every nurse action leaves its audit row: who, what, which document, from where, why") {
  SecuredService service;
  const auto nurse = service.signIn("nurse.jones");
  service.as(nurse, "GET", "/v1/discharges?ward=ward-7");
  service.as(nurse, "GET", "/v1/discharges?hospital_number=RHQ1234567");
  service.as(nurse, "GET", "/v1/discharges/" + service.doc7);
  service.as(nurse, "GET", "/v1/discharges/" + service.doc7 + "/pdf");
  service.as(nurse, "GET", "/v1/discharges/" + service.doc7 + "/pdf?download=1");
  CHECK(service.as(nurse, "HEAD", "/v1/discharges/" + service.doc7 + "/pdf").status == 200);  // no row: nothing seen
  REQUIRE(service.as(nurse, "POST", "/v1/discharges/" + service.doc7 + "/reprint", R"({"reason": "lost"})").status ==
          202);

  const auto admin = service.signIn("admin.lee");
  const auto entries = json(service.as(admin, "GET", "/v1/audit?user=nurse.jones").body)->getArray("entries");
  std::vector<std::string> actions;
  for (std::size_t i = entries->size(); i-- > 0;) actions.push_back(entries->getObject(i)->getValue<std::string>("action"));
  CHECK(actions == std::vector<std::string>{"sign-in", "list", "search", "view", "preview", "download", "reprint"});
  const auto reprint = entries->getObject(0);
  CHECK(reprint->getValue<std::string>("document") == service.doc7);
  CHECK(reprint->getValue<std::string>("detail").find("lost") == 0);
  CHECK(reprint->getValue<std::string>("from") == "127.0.0.1");
  CHECK(reprint->getValue<std::string>("role") == "nurse");
  const auto search = entries->getObject(4);
  CHECK(search->getValue<std::string>("detail").find("RHQ1234567") != std::string::npos);

  const auto byDocument =
      json(service.as(admin, "GET", "/v1/audit?document=" + service.doc7).body)->getArray("entries");
  CHECK(byDocument->size() == 4);  // view, preview, download, reprint
}

TEST_CASE("100 Continue is sent only after the credentials and the size were checked") {
  SecuredService service;
  const auto event = sampleEvent("CONTINUE-1");
  const auto head = [&](const std::string& credentials, std::size_t length) {
    return "POST /v1/discharges HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n" +
           credentials + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  };
  // No body is sent: a server that said "100 Continue" would then wait for it.
  const auto stranger = rawExchange(service.daemon.port(), head("", event.size()), 5s);
  CHECK(stranger.rfind("HTTP/1.1 401", 0) == 0);
  const auto tooLarge =
      rawExchange(service.daemon.port(), head("Authorization: Bearer " + kFeedToken + "\r\n", 50 * 1024 * 1024), 5s);
  CHECK(tooLarge.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(tooLarge.find("100 Continue") == std::string::npos);
  // Allowed and small enough: 100 Continue, then the answer to the body.
  const auto allowed = rawExchange(
      service.daemon.port(), head("Authorization: Bearer " + kFeedToken + "\r\nConnection: close\r\n", event.size()) + event,
      10s);
  CHECK(allowed.rfind("HTTP/1.1 100 Continue", 0) == 0);
  CHECK(allowed.find("HTTP/1.1 202") != std::string::npos);
}
