// Faults with real parts: a full disk under the store, a printer frozen or
// restarted mid-job, hundreds of idle connections, SIGTERM under load.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>
#include <sys/mount.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include "print/printer.h"
#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// Waits until the printer has accepted the document's first job (it has an IPP job id).
bool acceptedByPrinter(const DaemonUnderTest& daemon, const std::string& id) {
  return waitUntil(
      [&] {
        const auto jobs = json(daemon.get("/v1/discharges/" + id).body)->getArray("print_jobs");
        return jobs->size() > 0 && jobs->getObject(0)->has("ipp_job_id");
      },
      20s);
}

const std::string kQuickRecovery =
    "printing: { max_attempts: 50, first_retry_seconds: 1, max_retry_seconds: 1, io_timeout_seconds: 2 }\n";

// A small tmpfs of its own for the store, so the test can fill it.
struct SmallDisk {
  std::string path;
  explicit SmallDisk(const TempDir& dir) : path(dir.path("disk")) {
    std::filesystem::create_directories(path);
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=3m") != 0) {
      throw std::runtime_error("cannot mount a tmpfs (the fault tests need root)");
    }
  }
  ~SmallDisk() { ::umount2(path.c_str(), MNT_DETACH); }
  void remount(const std::string& options) const {
    REQUIRE(::mount("tmpfs", path.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0);
  }
};

// TwoWards with its store on a SmallDisk.
struct StoreOnSmallDisk {
  TempDir dir;
  SmallDisk disk{dir};
  PrinterBus bus{dir};
  EmulatedPrinter ward7{dir, "ward-7-laser", bus};
  DaemonUnderTest daemon{dir, {{"ward-7-laser", &ward7}},
                         "  ward-7: { name: Ward 7, phone: \"1\", printer: ward-7-laser }\n", kQuickRecovery};
  StoreOnSmallDisk() {
    auto config = readFile(daemon.configPath());
    config = replaceOnce(config, dir.path("wardprint.db"), disk.path + "/wardprint.db");
    writeFile(daemon.configPath(), config);
  }
};

}  // namespace

TEST_CASE("a full disk answers 503, loses nothing accepted, and recovers when space returns") {
  StoreOnSmallDisk setup;
  setup.daemon.start();
  std::vector<std::string> accepted;
  HttpReply refused;
  int next = 0;
  for (; next < 200; ++next) {
    refused = setup.daemon.post("/v1/discharges", sampleEvent("FULL-" + std::to_string(next)));
    if (refused.status != 202) break;
    accepted.push_back(idOf(refused));
  }
  REQUIRE(refused.status == 503);
  CHECK(refused.contentType == "application/problem+json");
  CHECK(json(refused.body)->getValue<std::string>("title") == "The store cannot be written");
  CHECK(setup.daemon.get("/healthz").status == 200);
  REQUIRE(!accepted.empty());
  CHECK(setup.daemon.get("/v1/discharges/" + accepted.front()).status == 200);

  setup.disk.remount("size=64m");
  const auto retried = setup.daemon.post("/v1/discharges", sampleEvent("FULL-" + std::to_string(next)));
  REQUIRE(retried.status == 202);
  accepted.push_back(idOf(retried));
  for (const auto& id : accepted) {
    CAPTURE(id);
    REQUIRE(setup.daemon.waitForState(id, "printed", 60s));
    CHECK(setup.ward7.jobsFor(id).size() == 1);
  }
}

// The document's first print job, as the API shows it.
Poco::JSON::Object::Ptr firstJob(const DaemonUnderTest& daemon, const std::string& id) {
  return json(daemon.get("/v1/discharges/" + id).body)->getArray("print_jobs")->getObject(0);
}

// The outcome of the first attempt abandoned on `printer`, or "" when there is none.
std::string abandonedOutcome(const DaemonUnderTest& daemon, const std::string& id, const std::string& printer) {
  const auto job = firstJob(daemon, id);
  if (!job->has("abandoned")) return "";
  const auto abandoned = job->getArray("abandoned");
  for (std::size_t i = 0; i < abandoned->size(); ++i) {
    if (abandoned->getObject(i)->getValue<std::string>("printer") == printer) {
      return abandoned->getObject(i)->getValue<std::string>("outcome");
    }
  }
  return "";
}

TEST_CASE("a printer frozen mid-job: the job is given up there, printed on the fallback, and cancelled on wake") {
  TwoWards setup("printing: { max_attempts: 50, first_retry_seconds: 1, max_retry_seconds: 1, io_timeout_seconds: 1, "
                 "job_timeout_seconds: 4 }\n");
  setup.ward7.setMode("jam");  // holds the job in processing, so it is still there on wake
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("FROZEN-1")));
  REQUIRE(acceptedByPrinter(setup.daemon, id));
  setup.ward7.freeze();
  const bool printed = setup.daemon.waitForState(id, "printed", 60s);
  INFO(setup.daemon.get("/v1/discharges/" + id).body);
  REQUIRE(printed);
  CHECK(setup.ward8.jobsFor(id).size() == 1);
  CHECK(abandonedOutcome(setup.daemon, id, "ward-7-laser") == "pending");

  setup.ward7.thaw();
  // The daemon asks it to cancel the job; the job ends when the jam clears.
  const auto ward7 = wardprint::print::makeIppPrinter(setup.ward7.uri(), {});
  const auto jobName = firstJob(setup.daemon, id)->getValue<std::string>("job_name");
  std::string reasons;
  CHECK(waitUntil(
      [&] {
        const auto onWard7 = ward7->findJob(jobName);
        reasons = onWard7.job ? onWard7.job->reasons : "";
        return reasons.find("stop-point") != std::string::npos;
      },
      30s));
  INFO(reasons);
  setup.ward7.setMode("ok");
  REQUIRE(waitUntil([&] { return abandonedOutcome(setup.daemon, id, "ward-7-laser") == "cancelled"; }, 30s));
  // The printer itself says the job was cancelled: it will not come out as a second copy.
  CHECK(waitUntil(
      [&] {
        const auto onWard7 = ward7->findJob(jobName);
        return onWard7.job && onWard7.job->state == wardprint::print::RemoteJobState::kCanceled;
      },
      20s));
  CHECK_FALSE(firstJob(setup.daemon, id)->has("also_printed_on"));
}

TEST_CASE("a jammed printer holds a job no longer than the job timeout: cancelled there, printed on the fallback") {
  TwoWards setup("printing: { job_timeout_seconds: 3 }\n");
  setup.ward7.setMode("jam");
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("JAM-1")));
  const bool printed = setup.daemon.waitForState(id, "printed", 60s);
  INFO(setup.daemon.get("/v1/discharges/" + id).body);
  REQUIRE(printed);
  CHECK(setup.ward8.jobsFor(id).size() == 1);
  CHECK(abandonedOutcome(setup.daemon, id, "ward-7-laser") == "pending");
  setup.ward7.setMode("ok");  // the jam clears: the job it was asked to cancel ends cancelled
  CHECK(waitUntil([&] { return abandonedOutcome(setup.daemon, id, "ward-7-laser") == "cancelled"; }, 30s));
  CHECK_FALSE(firstJob(setup.daemon, id)->has("also_printed_on"));
}

TEST_CASE("a printer that never answers, answers garbage, or closes mid-job: attempts counted, fallback prints once") {
  for (const auto mode : {FakePrinter::Mode::kSilent, FakePrinter::Mode::kGarbage, FakePrinter::Mode::kClosesMidJob}) {
    CAPTURE(static_cast<int>(mode));
    TempDir dir;
    PrinterBus bus{dir};
    FakePrinter broken(mode);
    EmulatedPrinter ward8{dir, "ward-8-laser", bus};
    DaemonUnderTest daemon{dir,
                           std::map<std::string, std::string>{{"ward-7-laser", broken.uri()},
                                                              {"ward-8-laser", ward8.uri()}},
                           "  ward-7: { name: Ward 7, phone: \"1\", printer: ward-7-laser, "
                           "fallback_printer: ward-8-laser }\n"
                           "  ward-8: { name: Ward 8, phone: \"2\", printer: ward-8-laser }\n",
                           "printing: { max_attempts: 3, first_retry_seconds: 1, max_retry_seconds: 1, "
                           "connect_timeout_ms: 500, io_timeout_seconds: 1, job_timeout_seconds: 30 }\n"};
    daemon.start();
    const auto id = idOf(daemon.post("/v1/discharges", sampleEvent("BROKEN-1")));
    const bool printed = daemon.waitForState(id, "printed", 90s);
    INFO(daemon.get("/v1/discharges/" + id).body);
    REQUIRE(printed);
    CHECK(ward8.jobsFor(id).size() == 1);
    CHECK(broken.connections() >= 3);  // every attempt reached it
    const auto job = firstJob(daemon, id);
    CHECK(job->getValue<std::string>("printer") == "ward-8-laser");
    CHECK(abandonedOutcome(daemon, id, "ward-7-laser") == "pending");
    CHECK(daemon.log().find("(Success)") == std::string::npos);
  }
}

TEST_CASE("a printer restarted mid-job: the job is shown failed for a person to check, never resent unasked") {
  TwoWards setup(kQuickRecovery);
  setup.ward7.setMode("jam");  // holds the job in processing
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("RESTART-1")));
  REQUIRE(acceptedByPrinter(setup.daemon, id));
  setup.ward7.stop();
  setup.ward7.setMode("ok");
  setup.ward7.start();  // it has forgotten every job
  const bool failed = setup.daemon.waitForState(id, "failed", 60s);
  INFO(setup.daemon.get("/v1/discharges/" + id).body);
  REQUIRE(failed);
  const auto job = json(setup.daemon.get("/v1/discharges/" + id).body)->getArray("print_jobs")->getObject(0);
  CHECK(job->getValue<std::string>("last_error").find("check the printer") != std::string::npos);
  const auto reprint = setup.daemon.post("/v1/discharges/" + id + "/reprint", R"({"reason": "printer restarted"})");
  REQUIRE(reprint.status == 202);
  REQUIRE(setup.daemon.waitForState(id, "printed", 30s));
}

TEST_CASE("a printer that stopped answering while a job was sent and came back without it: sent again, and the record says it may have printed twice") {
  TwoWards setup(kQuickRecovery);
  setup.ward7.freeze();  // takes the connection and the bytes, never answers
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("LOST-ANSWER-1")));
  REQUIRE(waitUntil([&] { return firstJob(setup.daemon, id)->getValue<int>("attempts") >= 1; }, 30s));
  CHECK(firstJob(setup.daemon, id)->getValue<std::string>("state") == "submitting");
  setup.ward7.stop();
  setup.ward7.start();  // it has forgotten the job it never answered for
  const bool printed = setup.daemon.waitForState(id, "printed", 60s);
  INFO(setup.daemon.get("/v1/discharges/" + id).body);
  REQUIRE(printed);
  CHECK(setup.ward7.jobsFor(id).size() == 1);
  CHECK(abandonedOutcome(setup.daemon, id, "ward-7-laser") == "not-held");
  CHECK(firstJob(setup.daemon, id)->getValue<std::string>("may_also_have_printed_on") == "ward-7-laser");
}

TEST_CASE("500 idle connections do not stop the health check or new events") {
  TwoWards setup;
  setup.daemon.start();
  const int port = std::stoi(readFile(setup.daemon.configPath()).substr(
      readFile(setup.daemon.configPath()).find("port: ") + 6, 5));
  // From ten other addresses, 50 each: one address may hold only
  // server.max_connections_per_address connections (64) and the checks come from 127.0.0.1.
  std::vector<Poco::Net::StreamSocket> idle(500);
  for (std::size_t i = 0; i < idle.size(); ++i) {
    idle[i].impl()->bind(Poco::Net::SocketAddress("127.0.0." + std::to_string(2 + i % 10), 0), true);
    idle[i].connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  }

  const auto started = std::chrono::steady_clock::now();
  const auto health = setup.daemon.get("/healthz");
  const auto event = setup.daemon.post("/v1/discharges", sampleEvent("IDLE-1"));
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(health.status == 200);
  CHECK(event.status == 202);
  INFO("both answered in " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < 10s);  // liveness, not speed (the issue asks for "within a second" on a quiet machine)
}

TEST_CASE("SIGTERM under load: requests in progress finish, and every accepted event prints once") {
  TwoWards setup;
  setup.daemon.start();
  std::vector<std::string> accepted;
  std::mutex acceptedMutex;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([&, client] {
      for (int i = 0; i < 40; ++i) {
        try {
          const auto reply =
              setup.daemon.post("/v1/discharges", sampleEvent("TERM-" + std::to_string(client) + "-" + std::to_string(i)));
          answered++;
          if (reply.status == 202) {
            std::lock_guard lock(acceptedMutex);
            accepted.push_back(idOf(reply));
          }
        } catch (const std::exception&) {
          answered++;
        }
      }
    });
  }
  REQUIRE(waitUntil([&] { return answered >= 40; }, 60s));
  CHECK(setup.daemon.terminate() == 0);
  for (auto& client : clients) client.join();
  setup.daemon.start();
  std::lock_guard lock(acceptedMutex);
  for (const auto& id : accepted) {
    CAPTURE(id);
    REQUIRE(setup.daemon.waitForState(id, "printed", 60s));
    CHECK(setup.ward7.jobsFor(id).size() == 1);
  }
}

TEST_CASE("1,100 slow clients from several addresses: /healthz and new events are still answered") {
  TwoWards setup;
  setup.daemon.start();
  const int port = setup.daemon.port();
  std::vector<std::unique_ptr<SlowClient>> clients;
  for (int i = 0; i < 1100; ++i) {
    const auto source = "127.0.0." + std::to_string(2 + i % 11);
    try {
      clients.push_back(std::make_unique<SlowClient>(source, port));
    } catch (const Poco::Exception&) {
      // The daemon's backlog was full for a moment: that client is simply turned away.
    }
  }
  std::atomic<bool> done{false};
  std::atomic<int> rounds{0};
  std::thread trickler([&] {
    while (!done) {
      for (auto& client : clients) client->trickle();
      ++rounds;
      std::this_thread::sleep_for(1s);  // a byte a second, as in the issue
    }
  });
  // Every client has sent its second byte: each one the daemon let in holds a connection.
  CHECK(waitUntil([&] { return rounds >= 2; }, 60s));
  const auto started = std::chrono::steady_clock::now();
  HttpReply health, event;
  std::string failure;  // a daemon that does not answer fails the test, not the test program
  try {
    health = setup.daemon.get("/healthz");
    event = setup.daemon.post("/v1/discharges", sampleEvent("SLOW-CLIENTS-1"));
  } catch (const std::exception& e) {
    failure = e.what();
  }
  const auto took = std::chrono::steady_clock::now() - started;
  done = true;
  trickler.join();
  CHECK_MESSAGE(failure.empty(), failure);
  CHECK(health.status == 200);
  CHECK(event.status == 202);
  INFO("answered in " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < 10s);  // liveness, not speed
}

TEST_CASE("a client trickling its request head is disconnected after server.request_timeout_seconds") {
  TwoWards setup;
  writeFile(setup.daemon.configPath(),
            replaceOnce(readFile(setup.daemon.configPath()), "threads: 8 }", "threads: 8, request_timeout_seconds: 2 }"));
  setup.daemon.start();
  SlowClient client("127.0.0.1", setup.daemon.port());
  const auto started = std::chrono::steady_clock::now();
  // A byte every 200 ms restarts POCO's own receive timeout each time; the whole-head
  // deadline still ends it.
  CHECK(waitUntil(
      [&] {
        std::this_thread::sleep_for(200ms);
        return !client.trickle();
      },
      15s));
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK(setup.daemon.get("/healthz").status == 200);
}

TEST_CASE("a renderer failure answers 500, not a 422 on a field, is logged without patient data, and stores nothing") {
  // The layouts name their fonts by absolute path in a folder of the test's, emptied once
  // the daemon has started: every leaflet then fails to render.
  TempDir dir;
  std::filesystem::create_directories(dir.root() / "fonts");
  std::filesystem::create_directories(dir.root() / "layouts");
  const std::map<std::string, std::string> fonts{{"OpenSans-Regular.ttf", "/usr/share/fonts/truetype/open-sans"},
                                                 {"OpenSans-Bold.ttf", "/usr/share/fonts/truetype/open-sans"},
                                                 {"DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu"},
                                                 {"DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu"}};
  for (const auto& [file, folder] : fonts) std::filesystem::copy(folder + "/" + file, dir.root() / "fonts" / file);
  for (const auto& entry : std::filesystem::directory_iterator(sourceFile("layouts"))) {
    if (entry.is_directory()) {  // the words of each language
      std::filesystem::copy(entry.path(), dir.root() / "layouts" / entry.path().filename(),
                            std::filesystem::copy_options::recursive);
      continue;
    }
    auto text = readFile(entry.path().string());
    for (const auto& [file, folder] : fonts) {
      for (auto at = text.find(file); at != std::string::npos; at = text.find(file, at + 1)) {
        if (at > 0 && text[at - 1] == '/') continue;  // already made absolute
        text.insert(at, dir.path("fonts") + "/");
        at += dir.path("fonts").size() + 1;
      }
    }
    writeFile(dir.path("layouts/" + entry.path().filename().string()), text);
  }
  DaemonUnderTest daemon(dir, std::map<std::string, std::string>{{"ward-7-laser", "ipp://127.0.0.1:9/ipp/print"}},
                         "  ward-7: { name: Ward 7, phone: \"0114 000 0007\", printer: ward-7-laser }\n");
  writeFile(daemon.configPath(), replaceOnce(readFile(daemon.configPath()), sourceFile("layouts"), dir.path("layouts")));
  daemon.start();
  std::filesystem::remove_all(dir.root() / "fonts");

  const auto reply = daemon.post("/v1/discharges", sampleEvent("ADT-RENDER"));
  CHECK(reply.status == 500);
  CHECK(reply.contentType == "application/problem+json");
  CHECK(json(reply.body)->getValue<std::string>("type").find("leaflet-failed") != std::string::npos);
  CHECK(reply.body.find("notes") == std::string::npos);
  CHECK(json(daemon.get("/v1/discharges").body)->getArray("discharges")->size() == 0);
  const auto log = daemon.log();
  CHECK(log.find("rendering a leaflet failed") != std::string::npos);
  const auto event = json(sampleEvent("ADT-RENDER"));
  CHECK(log.find(event->getObject("patient")->getValue<std::string>("family_name")) == std::string::npos);
  CHECK(log.find(event->getObject("patient")->getValue<std::string>("hospital_number")) == std::string::npos);
}
