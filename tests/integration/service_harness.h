#pragma once

#include <Poco/Net/StreamSocket.h>

// Real parts for the service tests: a private D-Bus bus, emulated IPP printers
// (ippeveprinter through scripts/printer-emulator) and wardprintd itself, each on a free
// loopback port, each stopped when its object goes away.

#include <Poco/JSON/Object.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"

namespace wardprint::testsupport {

// A program running in the background, its output in `logPath`. The destructor stops it
// (SIGTERM, then SIGKILL after five seconds).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& logPath);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int number) const;
  // Waits for it to exit; returns its exit code (128 + signal if killed), or -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  bool exited() const { return exited_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

class PrinterBus {
 public:
  explicit PrinterBus(const TempDir& dir);
  std::string address() const { return address_; }

 private:
  std::string address_;
  ChildProcess process_;
};

// One emulated ward printer; its spool keeps every job's PDF.
class EmulatedPrinter {
 public:
  EmulatedPrinter(const TempDir& dir, const std::string& name, const PrinterBus& bus);
  void start();
  void stop();
  void freeze() const;  // SIGSTOP: a printer that accepts connections and never answers
  void thaw() const;
  void setMode(const std::string& mode) const;  // ok, fail, slow, jam

  std::string uri() const;
  int port() const { return port_; }
  // The spooled PDFs whose job name starts with "wardprint-" + documentId.
  std::vector<std::filesystem::path> jobsFor(const std::string& documentId) const;
  std::vector<std::filesystem::path> allJobs() const;
  // An IPP attribute the job was printed with (IPP_COPIES -> "2"), read from its .env file.
  std::string jobAttribute(const std::filesystem::path& pdf, const std::string& name) const;

 private:
  std::filesystem::path dir_;
  std::string name_;
  std::string busAddress_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

// A broken printer: a TCP listener on 127.0.0.1 that accepts connections and then never
// answers (kSilent), answers with bytes that are not IPP (kGarbage), or reads part of the
// request and closes the connection (kClosesMidJob). Stops when the object goes away.
class FakePrinter {
 public:
  enum class Mode { kSilent, kGarbage, kClosesMidJob };
  explicit FakePrinter(Mode mode);
  ~FakePrinter();
  FakePrinter(const FakePrinter&) = delete;
  FakePrinter& operator=(const FakePrinter&) = delete;

  std::string uri() const { return "ipp://127.0.0.1:" + std::to_string(port_) + "/ipp/print"; }
  int connections() const { return connections_; }

 private:
  void serve();
  Mode mode_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  std::vector<int> held_;  // connections kept open by kSilent
  std::thread thread_;
};

struct HttpReply {
  int status = 0;
  std::string contentType;
  std::string body;
  std::string setCookie;  // the first Set-Cookie header, if any
  std::string location;   // the Location header, if any
};

using Headers = std::map<std::string, std::string>;

// wardprintd on a free port with a configuration written for the test.
class DaemonUnderTest {
 public:
  // `printers` maps printer names to emulators; `wardsYaml` is the wards: section's body;
  // `extraYaml` is appended (e.g. a printing: section).
  DaemonUnderTest(const TempDir& dir, const std::map<std::string, const EmulatedPrinter*>& printers,
                  const std::string& wardsYaml, const std::string& extraYaml = "");
  // The same, with printers given by URI (a FakePrinter's, say).
  DaemonUnderTest(const TempDir& dir, const std::map<std::string, std::string>& printerUris,
                  const std::string& wardsYaml, const std::string& extraYaml = "");
  // Replaces the store: section of the configuration, for the next start(): `storeYaml` is
  // its value as a YAML flow mapping ("{ postgresql: \"host=...\", pool_size: 4 }").
  void setStore(const std::string& storeYaml);
  // Environment variables for the daemon's next start() (LD_PRELOAD, say).
  void setEnvironment(std::map<std::string, std::string> env) { env_ = std::move(env); }
  void start();
  void kill9();
  void signal(int number) const;
  // SIGTERM; returns the exit code.
  int terminate();

  HttpReply get(const std::string& path) const;
  HttpReply post(const std::string& path, const std::string& body,
                 const std::string& contentType = "application/json") const;
  HttpReply request(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& contentType, const Headers& headers = {}) const;

  // Polls GET /v1/discharges/{id} until its newest job is in `state`.
  bool waitForState(const std::string& documentId, const std::string& state,
                    std::chrono::milliseconds timeout) const;
  // Polls GET /v1/discharges until every print job of every listed discharge has ended
  // (printed, failed or cancelled): after that, a printer's spool holds all it will get.
  bool waitForJobsToEnd(std::chrono::milliseconds timeout) const;
  std::string configPath() const { return configPath_; }
  int port() const { return port_; }
  std::string log() const;

 private:
  std::filesystem::path dir_;
  int port_;
  std::string configPath_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ChildProcess> process_;
};

// The wards: section's body for TwoWards: ward 7 and ward 8 on printers ward-7-laser and
// ward-8-laser, ward 7 falling back to ward 8's.
std::string twoWardsYaml();

// The common setup: two wards, each with its own emulated printer; ward 7 falls back to
// ward 8's printer. The daemon is configured but not started.
struct TwoWards {
  TempDir dir;
  PrinterBus bus{dir};
  EmulatedPrinter ward7{dir, "ward-7-laser", bus};
  EmulatedPrinter ward8{dir, "ward-8-laser", bus};
  DaemonUnderTest daemon;

  explicit TwoWards(const std::string& extraYaml = "");
};

// Sends raw bytes on one connection to 127.0.0.1:`port`, then half-closes nothing and
// reads until the server closes the connection or `wait` passes; returns what came back.
// What a client or a proxy in front would see.
std::string rawExchange(int port, const std::string& bytes, std::chrono::milliseconds wait = std::chrono::seconds(10));

// Requests whose length a proxy and the daemon could read differently (RFC 9112 6.3), each
// a POST of `event` followed by `smuggled`: Content-Length with Transfer-Encoding, two
// Content-Lengths, "Content-Length: n, n", a Transfer-Encoding other than chunked.
std::vector<std::string> ambiguouslyFramed(const std::string& event, const std::string& smuggled);

// A client that opens a connection from `source` (127.0.0.x) and sends a request head one
// byte at a time, never finishing it.
struct SlowClient {
  Poco::Net::StreamSocket socket;
  std::size_t sent = 0;
  SlowClient(const std::string& source, int port);
  // Sends the next byte; false once the server has closed the connection.
  bool trickle();
};

// A JSON body as an object, and the "id" of a POST's answer.
Poco::JSON::Object::Ptr json(const std::string& body);
std::string idOf(const HttpReply& reply);

// The sample event with its event_id (and so its document id) replaced.
std::string sampleEvent(const std::string& eventId, const std::string& ward = "ward-7");

}  // namespace wardprint::testsupport
