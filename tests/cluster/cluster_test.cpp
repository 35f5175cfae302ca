// Two wardprintd nodes on one PostgreSQL, driving the same two emulated printers: one
// document and one print per event whichever node it reaches, print work taken over when a
// node is killed, PostgreSQL restarted under load, and staff sessions and sign-in
// throttling shared by the nodes. (A node refusing a newer schema is
// tests/integration/pg_daemon_test.cpp.)

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "../integration/service_harness.h"
#include "../integration/staff.h"
#include "../support/pg_server.h"

namespace wardprint::testsupport {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Short leases keep the takeover tests quick; a send to a printer must then be short too
// (with PostgreSQL, lease_seconds is at least 3 × io_timeout_seconds).
constexpr int kLeaseSeconds = 3;
const std::string kClusterYaml =
    "printing: { lease_seconds: " + std::to_string(kLeaseSeconds) + ", io_timeout_seconds: 1 }\n";

// The store: section's value for a node on `postgres`.
std::string storeYaml(const PgServer& postgres) {
  return "{ postgresql: \"" + postgres.connection() + "\", pool_size: 4 }";
}

// Node A is TwoWards' daemon; node B shares its printers and the PostgreSQL server, with a
// folder of its own for its configuration and log. Both are started.
// `extraYaml` is added to both nodes' configuration.
struct TwoNodes {
  PgServer postgres;
  TwoWards nodeAWithPrinters;
  TempDir dirB;
  DaemonUnderTest nodeB;
  DaemonUnderTest& nodeA = nodeAWithPrinters.daemon;
  const EmulatedPrinter& ward7 = nodeAWithPrinters.ward7;
  const EmulatedPrinter& ward8 = nodeAWithPrinters.ward8;

  explicit TwoNodes(const std::string& extraYaml = "")
      : nodeAWithPrinters(kClusterYaml + extraYaml),
        nodeB(dirB, {{"ward-7-laser", &nodeAWithPrinters.ward7}, {"ward-8-laser", &nodeAWithPrinters.ward8}},
              twoWardsYaml(), kClusterYaml + extraYaml) {
    for (auto* node : {&nodeA, &nodeB}) {
      node->setStore(storeYaml(postgres));
      node->start();
    }
  }

  // How many times the document came out on paper, on either printer: the emulator's print
  // command writes <spool file>.env as it prints a job.
  int copiesPrinted(const std::string& documentId) const {
    int copies = 0;
    for (const auto* printer : {&ward7, &ward8}) {
      for (const auto& pdf : printer->jobsFor(documentId)) copies += fs::exists(pdf.string() + ".env") ? 1 : 0;
    }
    return copies;
  }
};

// Sender threads, joined when the object goes away, after `stop` (if given) is set: a failed
// REQUIRE must not leave a joinable thread behind, which would end the whole test program.
class Senders {
 public:
  explicit Senders(std::atomic<bool>* stop = nullptr) : stop_(stop) {}
  ~Senders() { joinAll(); }
  Senders(const Senders&) = delete;
  Senders& operator=(const Senders&) = delete;

  void start(std::function<void()> work) { threads_.emplace_back(std::move(work)); }
  void joinAll() {
    if (stop_) *stop_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  std::atomic<bool>* stop_;
  std::vector<std::thread> threads_;
};

// Event number n, on ward 7 or ward 8 in turn.
std::string clusterEvent(int n) { return sampleEvent("CLUSTER-" + std::to_string(n), n % 2 ? "ward-8" : "ward-7"); }

// A POST of the event; status 0 when no answer came (a node that is not there).
HttpReply send(const DaemonUnderTest& node, const std::string& event) {
  try {
    return node.post("/v1/discharges", event);
  } catch (const Poco::Exception&) {
    return {};
  }
}

bool isAccepted(const HttpReply& reply) { return reply.status == 200 || reply.status == 202; }

// Every document's state, by id, as `node` lists them.
std::map<std::string, std::string> statesOf(const DaemonUnderTest& node) {
  std::map<std::string, std::string> states;
  const auto reply = node.get("/v1/discharges?limit=1000");
  if (reply.status != 200) return states;
  const auto list = json(reply.body)->getArray("discharges");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto document = list->getObject(static_cast<unsigned>(i));
    states[document->getValue<std::string>("id")] = document->getValue<std::string>("state");
  }
  return states;
}

bool allPrinted(const DaemonUnderTest& node, const std::set<std::string>& ids) {
  const auto states = statesOf(node);
  return std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
    const auto found = states.find(id);
    return found != states.end() && found->second == "printed";
  });
}

// Waits until every document is printed, then checks each came out exactly once.
void checkPrintedOnce(const TwoNodes& cluster, const DaemonUnderTest& node, const std::set<std::string>& ids) {
  REQUIRE_MESSAGE(waitUntil([&] { return allPrinted(node, ids); }, 180s), "not every accepted event was printed");
  for (const auto& id : ids) {
    CAPTURE(id);
    CHECK(cluster.copiesPrinted(id) == 1);
  }
}

TEST_CASE("500 events each sent to both nodes at once give 500 documents and 500 prints") {
  TwoNodes cluster;
  constexpr int kEvents = 500;
  constexpr int kPairs = 4;
  // Each pair of senders sends the same events at the same moment, one to each node.
  std::vector<std::array<HttpReply, 2>> replies(kEvents);
  Senders senders;
  for (int pair = 0; pair < kPairs; ++pair) {
    for (int side = 0; side < 2; ++side) {
      senders.start([&, pair, side] {
        for (int n = pair; n < kEvents; n += kPairs) {
          replies[n][side] = send((n + side) % 2 ? cluster.nodeB : cluster.nodeA, clusterEvent(n));
        }
      });
    }
  }
  senders.joinAll();

  std::set<std::string> ids;
  for (int n = 0; n < kEvents; ++n) {
    CAPTURE(n);
    const auto& [first, second] = replies[n];
    // One node stored it (202), the other found it stored (200), with the same document id.
    CHECK(std::min(first.status, second.status) == 200);
    CHECK(std::max(first.status, second.status) == 202);
    if (isAccepted(first) && isAccepted(second)) {
      CHECK(idOf(first) == idOf(second));
      ids.insert(idOf(first));
    }
  }
  CHECK(ids.size() == kEvents);
  CHECK(statesOf(cluster.nodeA).size() == kEvents);
  CHECK(statesOf(cluster.nodeB).size() == kEvents);
  checkPrintedOnce(cluster, cluster.nodeA, ids);
}

TEST_CASE("a node killed mid-burst and mid-print loses nothing and prints nothing twice") {
  TwoNodes cluster;
  constexpr int kEvents = 120;
  constexpr int kSenders = 4;
  std::atomic<bool> nodeAKilled{false};
  std::atomic<int> sent{0};
  std::mutex acceptedMutex;
  std::set<std::string> accepted;
  std::vector<int> refused;  // events neither node accepted
  Senders senders;
  for (int first = 0; first < kSenders; ++first) {
    senders.start([&, first] {
      for (int n = first; n < kEvents; n += kSenders) {
        const bool toA = n % 2 == 0 && !nodeAKilled;
        auto reply = send(toA ? cluster.nodeA : cluster.nodeB, clusterEvent(n));
        // As a load balancer would: no answer from A, so the same event goes to B.
        if (toA && reply.status == 0) reply = send(cluster.nodeB, clusterEvent(n));
        {
          const std::lock_guard<std::mutex> lock(acceptedMutex);
          if (isAccepted(reply)) {
            accepted.insert(idOf(reply));
          } else {
            refused.push_back(n);
          }
        }
        ++sent;
        std::this_thread::sleep_for(100ms);  // a burst long enough to kill a node in
      }
    });
  }
  const auto acceptedNow = [&] {
    const std::lock_guard<std::mutex> lock(acceptedMutex);
    return accepted;
  };

  // Jam both printers, so that leaflets wait at them, whichever node drives each.
  REQUIRE(waitUntil([&] { return sent >= kEvents / 4; }, 60s));
  cluster.ward7.setMode("jam");
  cluster.ward8.setMode("jam");
  std::set<std::string> atPrinter;
  REQUIRE(waitUntil(
      [&] {
        const auto states = statesOf(cluster.nodeB);
        for (const auto& [id, state] : states) {
          if (state == "printing") atPrinter.insert(id);
        }
        return !atPrinter.empty();
      },
      30s));

  cluster.nodeA.kill9();
  nodeAKilled = true;
  const auto killedAt = std::chrono::steady_clock::now();
  cluster.ward7.setMode("ok");
  cluster.ward8.setMode("ok");
  // A generous deadline that proves the takeover happens, not a measure of its speed.
  CHECK_MESSAGE(waitUntil([&] { return allPrinted(cluster.nodeB, atPrinter); }, std::chrono::seconds(kLeaseSeconds + 5)),
                "the leaflets at the printers when node A died were not all printed within lease_seconds + 5 s");
  MESSAGE("takeover: the leaflets at the printers printed "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - killedAt).count()
          << " s after node A was killed");

  senders.joinAll();
  CHECK(refused.empty());
  CHECK(acceptedNow().size() == kEvents);
  checkPrintedOnce(cluster, cluster.nodeB, acceptedNow());
}

TEST_CASE("PostgreSQL restarted under load answers 503 while down, loses nothing and needs no node restarted") {
  TwoNodes cluster;
  std::atomic<bool> stopSending{false};
  std::atomic<int> nextEvent{0};
  std::atomic<int> unavailable{0};
  std::mutex resultsMutex;
  std::set<std::string> accepted;
  std::vector<int> retryLater;  // answered 503: not accepted, so the sender tries again
  std::vector<int> otherAnswers;
  Senders senders(&stopSending);
  for (const auto* node : {&cluster.nodeA, &cluster.nodeB}) {
    senders.start([&, node] {
      while (!stopSending) {
        const int n = nextEvent++;
        const auto reply = send(*node, clusterEvent(n));
        const std::lock_guard<std::mutex> lock(resultsMutex);
        if (isAccepted(reply)) {
          accepted.insert(idOf(reply));
        } else if (reply.status == 503) {
          ++unavailable;
          retryLater.push_back(n);
        } else {
          otherAnswers.push_back(reply.status);
        }
        std::this_thread::sleep_for(100ms);
      }
    });
  }

  const auto acceptedCount = [&] {
    const std::lock_guard<std::mutex> lock(resultsMutex);
    return accepted.size();
  };
  // Deadlines generous for a busy machine: they prove the load gets through, not its speed.
  REQUIRE_MESSAGE(waitUntil([&] { return acceptedCount() >= 10; }, 60s), "the load was not accepted before the stop");
  cluster.postgres.stop();
  CHECK_MESSAGE(waitUntil([&] { return unavailable >= 2; }, 30s), "no 503 while PostgreSQL was down");
  const auto acceptedBeforeStart = acceptedCount();
  cluster.postgres.start();
  // Both nodes, never restarted, take events again, and the load goes on being accepted.
  for (const auto* node : {&cluster.nodeA, &cluster.nodeB}) {
    CHECK(waitUntil([&] { return send(*node, clusterEvent(nextEvent++)).status == 202; }, 60s));
  }
  CHECK_MESSAGE(waitUntil([&] { return acceptedCount() >= acceptedBeforeStart + 10; }, 60s),
                "the load was not accepted again after the restart");
  senders.joinAll();

  CHECK(otherAnswers.empty());
  for (const int n : retryLater) {
    CAPTURE(n);
    const auto reply = send(n % 2 ? cluster.nodeB : cluster.nodeA, clusterEvent(n));
    REQUIRE(isAccepted(reply));
    accepted.insert(idOf(reply));
  }
  checkPrintedOnce(cluster, cluster.nodeA, accepted);
}

TEST_CASE("a nurse signed in on one node stays signed in on the other when it dies, and sign-in failures count across nodes") {
  TwoNodes cluster(staffAuthSection(3));
  const auto nurse = signInAs(cluster.nodeA, "nurse.jones");
  CHECK(cluster.nodeB.request("GET", "/v1/session", "", "", nurse).status == 200);

  // Three wrong passwords, to one node and the other in turn, lock the name out on both.
  const std::string wrong = R"({"name": "admin.lee", "password": "guess"})";
  CHECK(cluster.nodeA.post("/v1/session", wrong).status == 401);
  CHECK(cluster.nodeB.post("/v1/session", wrong).status == 401);
  CHECK(cluster.nodeA.post("/v1/session", wrong).status == 401);
  const std::string right = R"({"name": "admin.lee", "password": ")" + kStaffPassword + "\"}";
  CHECK(cluster.nodeB.post("/v1/session", right).status == 429);
  CHECK(cluster.nodeA.post("/v1/session", right).status == 429);

  cluster.nodeA.kill9();
  // The session node A made still works on node B: reading, and signing out (a change, so
  // its CSRF token is checked there too), which ends it.
  CHECK(cluster.nodeB.request("GET", "/v1/discharges", "", "", nurse).status == 200);
  auto wrongToken = nurse;
  wrongToken["X-CSRF-Token"] = "not-the-token";
  CHECK(cluster.nodeB.request("DELETE", "/v1/session", "", "", wrongToken).status == 403);
  CHECK(cluster.nodeB.request("DELETE", "/v1/session", "", "", nurse).status == 204);
  CHECK(cluster.nodeB.request("GET", "/v1/session", "", "", nurse).status == 401);
}

}  // namespace
}  // namespace wardprint::testsupport
