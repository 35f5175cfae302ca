// wardprint-http-bench: loads a running wardprintd over HTTP and prints each figure as a
// `name=value` line, then human-readable `#` lines. Measures only; it asserts nothing.
//
//   wardprint-http-bench --port PORT --pid PID [--also-port PORT]
//                        [--clients N] [--events N] [--samples N] [--event FILE]
//
// First the print latency, on an idle daemon: --samples events sent one at a time (see
// measurePrintLatency). Then the throughput: --clients threads, each reusing one keep-alive
// connection, POST --events distinct events as fast as they are answered (with --also-port,
// every other client sends to that second daemon of a cluster). Last, the
// daemon's (--pid) resident memory once all of them are accepted.

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wardprint::httpbench {
namespace {

using Clock = std::chrono::steady_clock;
using Poco::JSON::Object;

constexpr int kExitUsage = 64;
constexpr const char* kUsage =
    "usage: wardprint-http-bench --port PORT --pid PID [--also-port PORT]\n"
    "                            [--clients N] [--events N] [--samples N] [--event FILE]\n"
    "  Sends discharge events (default tests/data/discharge-vertebroplasty.json, each under\n"
    "  its own event_id) to the wardprintd on 127.0.0.1:PORT whose process id is PID:\n"
    "  --samples (default 30) one at a time for the print latency, then --events (default\n"
    "  10000) from --clients keep-alive connections (default 16) for the throughput, every\n"
    "  other one to the daemon on --also-port when given (two nodes of a cluster).\n"
    "  Prints name=value figures.\n"
    "  With --soak-seconds N --rate R --other-event FILE --ids FILE: R events a second for N\n"
    "  seconds, alternating the two events, then waits for every print job to finish and\n"
    "  writes the accepted document ids to the --ids file.\n";

constexpr auto kPollInterval = std::chrono::milliseconds(2);  // status polls while a sample waits
constexpr auto kSampleGap = std::chrono::milliseconds(200);   // idle time between two samples
constexpr auto kSampleTimeout = std::chrono::seconds(30);
constexpr const char* kAcceptMetric = "wardprint_print_accept_seconds";

struct Options {
  int port = 0;
  int alsoPort = 0;  // a second daemon sharing the store: half the load clients use it
  int pid = 0;
  int clients = 16;
  int events = 10000;
  int samples = 30;
  std::string event = WARDPRINT_SAMPLE_EVENT;  // tests/data/discharge-vertebroplasty.json
  // Soak mode (when soakSeconds > 0): a steady rate, alternating two events (two wards).
  int soakSeconds = 0;
  int rate = 100;
  std::string otherEvent;
  std::string idsFile;  // where the accepted document ids are written, one a line
};

// Returns false unless the arguments are known "--name value" pairs including --port and --pid.
bool parseOptions(const std::vector<std::string>& args, Options& options) {
  if (args.size() % 2 != 0) return false;
  try {
    for (std::size_t i = 0; i < args.size(); i += 2) {
      const auto& name = args[i];
      const auto& value = args[i + 1];
      if (name == "--port") {
        options.port = std::stoi(value);
      } else if (name == "--also-port") {
        options.alsoPort = std::stoi(value);
      } else if (name == "--pid") {
        options.pid = std::stoi(value);
      } else if (name == "--clients") {
        options.clients = std::stoi(value);
      } else if (name == "--events") {
        options.events = std::stoi(value);
      } else if (name == "--samples") {
        options.samples = std::stoi(value);
      } else if (name == "--event") {
        options.event = value;
      } else if (name == "--soak-seconds") {
        options.soakSeconds = std::stoi(value);
      } else if (name == "--rate") {
        options.rate = std::stoi(value);
      } else if (name == "--other-event") {
        options.otherEvent = value;
      } else if (name == "--ids") {
        options.idsFile = value;
      } else {
        return false;
      }
    }
  } catch (const std::logic_error&) {  // stoi: not a number
    return false;
  }
  const bool soakComplete = options.soakSeconds == 0 ||
                            (options.rate > 0 && !options.otherEvent.empty() && !options.idsFile.empty());
  return options.port > 0 && options.port < 65536 && options.pid > 0 && options.clients > 0 &&
         options.events > 0 && options.samples > 0 && soakComplete;
}

double millisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Nearest-rank percentile of sorted durations.
double percentileMs(const std::vector<double>& sortedMs, double percent) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(sortedMs.size())));
  return sortedMs[std::clamp<std::size_t>(rank, 1, sortedMs.size()) - 1];
}

Object::Ptr parseObject(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Object::Ptr>();
}

// The event file as a template: the same event under any event id.
class EventTemplate {
 public:
  explicit EventTemplate(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    const auto json = text.str();
    const auto quotedId = "\"" + parseObject(json)->getValue<std::string>("event_id") + "\"";
    const auto at = json.find(quotedId);
    if (at == std::string::npos) {
      throw std::runtime_error(path + ": event_id is not written plainly");
    }
    prefix_ = json.substr(0, at + 1);
    suffix_ = json.substr(at + quotedId.size() - 1);
  }

  std::string withId(const std::string& eventId) const { return prefix_ + eventId + suffix_; }

 private:
  std::string prefix_;
  std::string suffix_;
};

struct Reply {
  int status = 0;
  std::string body;
};

// One request on the session's connection, which stays open for the next one.
Reply exchange(Poco::Net::HTTPClientSession& session, const std::string& method,
               const std::string& path, const std::string& body = "") {
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (method == "POST") {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  auto& in = session.receiveResponse(response);
  Reply reply;
  reply.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

std::unique_ptr<Poco::Net::HTTPClientSession> openSession(int port) {
  auto session =
      std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
  session->setKeepAlive(true);
  session->setTimeout(Poco::Timespan(60, 0));
  return session;
}

// The count and sum (seconds) of the daemon's print-acceptance histogram, from GET /metrics
// on a connection of its own (an idle keep-alive connection would hold a server thread).
std::pair<double, double> acceptHistogram(int port) {
  const std::string countName = std::string(kAcceptMetric) + "_count";
  const std::string sumName = std::string(kAcceptMetric) + "_sum";
  std::istringstream lines(exchange(*openSession(port), "GET", "/metrics").body);
  std::pair<double, double> countAndSum{0, 0};
  std::string line;
  while (std::getline(lines, line)) {  // "NAME VALUE" lines
    const auto space = line.find(' ');
    const auto name = line.substr(0, space);
    if (name == countName) countAndSum.first = std::stod(line.substr(space));
    if (name == sumName) countAndSum.second = std::stod(line.substr(space));
  }
  return countAndSum;
}

// Asks for the discharge's status every `interval` until its first print job satisfies
// `done`. Throws if the job fails or the deadline passes.
void pollFirstJob(Poco::Net::HTTPClientSession& session, const std::string& statusUrl,
                  std::chrono::milliseconds interval, Clock::time_point deadline,
                  const std::function<bool(const Object&)>& done) {
  while (true) {
    const auto reply = exchange(session, "GET", statusUrl);
    if (reply.status != 200) {
      throw std::runtime_error("GET " + statusUrl + " answered " + std::to_string(reply.status));
    }
    const auto jobs = parseObject(reply.body)->getArray("print_jobs");
    if (jobs && jobs->size() > 0) {
      const auto job = jobs->getObject(0);
      if (done(*job)) return;
      if (job->getValue<std::string>("state") == "failed") {
        throw std::runtime_error("a sample's print job failed: " +
                                 job->getValue<std::string>("last_error"));
      }
    }
    if (Clock::now() > deadline) throw std::runtime_error("a sample's print job took over 30 s");
    std::this_thread::sleep_for(interval);
  }
}

// What is measured, per sample: from just before the POST is sent to the arrival of the
// first status answer whose print_jobs[0] has an ipp_job_id, which the daemon stores once
// the printer has answered Print-Job with a job id. So it covers the HTTP exchange,
// rendering, the store's commit, the print queue's wake-up and the IPP submission, and
// overstates that by at most one poll interval (2 ms) plus one status GET. Samples go one at
// a time: each waits for its job to be printed, then kSampleGap, so the daemon and the
// printer are idle when the next is sent. This is the latency of a quiet ward, measured
// before the throughput run: during and after that run a job waits behind thousands.
std::vector<double> measurePrintLatency(int port, const EventTemplate& event,
                                        const std::string& runTag, int samples) {
  auto session = openSession(port);
  std::vector<double> latenciesMs;
  for (int i = 0; i < samples; ++i) {
    const auto sent = Clock::now();
    const auto posted = exchange(*session, "POST", "/v1/discharges",
                                 event.withId(runTag + "-S" + std::to_string(i)));
    if (posted.status != 202) {
      throw std::runtime_error("a sample POST answered " + std::to_string(posted.status));
    }
    const auto statusUrl = parseObject(posted.body)->getValue<std::string>("status_url");
    const auto deadline = sent + kSampleTimeout;
    pollFirstJob(*session, statusUrl, kPollInterval, deadline,
                 [](const Object& job) { return job.has("ipp_job_id"); });
    latenciesMs.push_back(millisSince(sent));
    pollFirstJob(*session, statusUrl, kSampleGap / 10, deadline,
                 [](const Object& job) { return job.getValue<std::string>("state") == "printed"; });
    std::this_thread::sleep_for(kSampleGap);
  }
  std::sort(latenciesMs.begin(), latenciesMs.end());
  return latenciesMs;
}

struct LoadFigures {
  std::vector<double> sortedMs;  // every POST's round trip
  int accepted = 0;              // answered 202
  int failed = 0;                // other answers and broken connections
  double seconds = 0;
};

// The client threads share one counter of events to send; each keeps its own connection,
// to ports[client % ports.size()].
LoadFigures runLoad(const std::vector<int>& ports, const EventTemplate& event, const std::string& runTag,
                    int clients, int events) {
  std::atomic<int> next{0};
  std::atomic<int> accepted{0};
  std::atomic<int> failed{0};
  std::vector<std::vector<double>> perClientMs(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  const auto started = Clock::now();
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      auto& latenciesMs = perClientMs[static_cast<std::size_t>(client)];
      auto session = openSession(ports[static_cast<std::size_t>(client) % ports.size()]);
      for (int n = next++; n < events; n = next++) {
        const auto body = event.withId(runTag + "-" + std::to_string(n));
        const auto sent = Clock::now();
        try {
          const auto reply = exchange(*session, "POST", "/v1/discharges", body);
          if (reply.status == 202) {
            ++accepted;
          } else {
            ++failed;
          }
        } catch (const Poco::Exception&) {
          ++failed;
          session->reset();
        }
        latenciesMs.push_back(millisSince(sent));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  LoadFigures figures;
  figures.seconds = millisSince(started) / 1000;
  for (const auto& latenciesMs : perClientMs) {
    figures.sortedMs.insert(figures.sortedMs.end(), latenciesMs.begin(), latenciesMs.end());
  }
  std::sort(figures.sortedMs.begin(), figures.sortedMs.end());
  figures.accepted = accepted;
  figures.failed = failed;
  return figures;
}

// CPU time (user + system) the process has used, in seconds.
double cpuSeconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(
      text.substr(text.rfind(')') + 2));  // from field 3, after "PID (COMMAND) "
  std::string skipped;
  for (int field = 3; field < 14; ++field) fields >> skipped;
  double userTicks = 0;
  double systemTicks = 0;
  fields >> userTicks >> systemTicks;  // fields 14 and 15
  return (userTicks + systemTicks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// VmRSS of the process, in MiB.
double residentMb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    // "VmRSS:    28672 kB"
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

// Print jobs in the given states, from the daemon's wardprint_print_jobs gauge.
int jobsInStates(int port, std::initializer_list<const char*> states) {
  auto session = openSession(port);
  const auto text = exchange(*session, "GET", "/metrics").body;
  int unfinished = 0;
  for (const char* state : states) {
    const std::string key = std::string("wardprint_print_jobs{state=\"") + state + "\"} ";
    const auto at = text.find(key);
    if (at != std::string::npos) unfinished += std::stoi(text.substr(at + key.size()));
  }
  return unfinished;
}

// Sends `rate` events a second for `soakSeconds` (each on its schedule, from 4 clients),
// then waits for every print job to finish. Counting lost and duplicated leaflets is left
// to scripts/bench, which can see the printers' spools.
int runSoak(const Options& options) {
  const EventTemplate events[] = {EventTemplate(options.event), EventTemplate(options.otherEvent)};
  const auto runTag = "SOAK-" + std::to_string(std::time(nullptr));
  const int total = options.soakSeconds * options.rate;
  const double rssStart = residentMb(options.pid);
  std::atomic<int> next{0}, errors{0};
  std::mutex idsMutex;
  std::vector<std::string> accepted;
  std::vector<std::thread> clients;
  const auto started = Clock::now();
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([&] {
      auto session = openSession(options.port);
      for (int n = next++; n < total; n = next++) {
        std::this_thread::sleep_until(started + std::chrono::microseconds(1000000LL * n / options.rate));
        try {
          const auto reply = exchange(*session, "POST", "/v1/discharges",
                                      events[n % 2].withId(runTag + "-" + std::to_string(n)));
          if (reply.status != 202) {
            ++errors;
            continue;
          }
          std::lock_guard lock(idsMutex);
          accepted.push_back(parseObject(reply.body)->getValue<std::string>("id"));
        } catch (const Poco::Exception&) {
          ++errors;
          session->reset();
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  const double sendSeconds = millisSince(started) / 1000;
  const auto drainStarted = Clock::now();
  const auto unfinished = [&] { return jobsInStates(options.port, {"queued", "submitting", "printing"}); };
  while (unfinished() > 0 && Clock::now() - drainStarted < std::chrono::minutes(15)) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::ofstream ids(options.idsFile);
  for (const auto& id : accepted) ids << id << "\n";
  std::printf("soak_events=%d\n", total);
  std::printf("soak_accepted=%zu\n", accepted.size());
  std::printf("soak_errors=%d\n", errors.load());
  std::printf("soak_unfinished_jobs=%d\n", unfinished());
  // Jobs a printer took and then forgot (it was restarted): shown to nurses, not resent.
  std::printf("soak_failed_jobs=%d\n", jobsInStates(options.port, {"failed"}));
  std::printf("rss_mb_start=%.1f\n", rssStart);
  std::printf("rss_mb_end=%.1f\n", residentMb(options.pid));
  std::printf("# %d events in %.1f s (%.1f/s asked for), then %.1f s for the printers to catch up\n", total,
              sendSeconds, static_cast<double>(options.rate), millisSince(drainStarted) / 1000);
  return 0;
}

int run(const Options& options) {
  if (options.soakSeconds > 0) return runSoak(options);
  const EventTemplate event(options.event);
  // Event ids unique to this run, so a store that outlives a run never sees a repeat.
  const auto runTag = "HTTPBENCH-" + std::to_string(std::time(nullptr));

  const auto [countBefore, sumBefore] = acceptHistogram(options.port);
  const auto printMs = measurePrintLatency(options.port, event, runTag, options.samples);
  const auto [countAfter, sumAfter] = acceptHistogram(options.port);

  const double cpuBefore = cpuSeconds(options.pid);
  std::vector<int> ports{options.port};
  if (options.alsoPort > 0) ports.push_back(options.alsoPort);
  const auto load = runLoad(ports, event, runTag, options.clients, options.events);
  const double cpuUsed = cpuSeconds(options.pid) - cpuBefore;
  const double rssMb = residentMb(options.pid);

  std::printf("post_per_s=%.1f\n", load.accepted / load.seconds);
  std::printf("post_p50_ms=%.2f\n", percentileMs(load.sortedMs, 50));
  std::printf("post_p99_ms=%.2f\n", percentileMs(load.sortedMs, 99));
  std::printf("print_p50_ms=%.2f\n", percentileMs(printMs, 50));
  std::printf("rss_mb_after_10k=%.1f\n", rssMb);
  std::printf(
      "# throughput: %d POSTs from %d keep-alive clients in %.1f s: %d accepted (202), %d failed\n",
      options.events, options.clients, load.seconds, load.accepted, load.failed);
  std::printf("# post latency ms: min %.2f, p90 %.2f, p99.9 %.2f, max %.2f\n",
              load.sortedMs.front(), percentileMs(load.sortedMs, 90),
              percentileMs(load.sortedMs, 99.9), load.sortedMs.back());
  std::printf(
      "# daemon CPU in the throughput run: %.1f s, %.2f ms per POST, %.2f cores on average\n",
      cpuUsed, cpuUsed * 1000 / options.events, cpuUsed / load.seconds);
  std::printf(
      "# print latency (POST sent to printer's job id seen), %d samples one at a time: "
      "min %.2f, p90 %.2f, max %.2f ms\n",
      options.samples, printMs.front(), percentileMs(printMs, 90), printMs.back());
  std::printf(
      "# the daemon's own %s over those samples (job stored to printer accepted): mean %.2f ms\n",
      kAcceptMetric, (sumAfter - sumBefore) * 1000 / std::max(1.0, countAfter - countBefore));
  std::printf(
      "# rss_mb_after_10k: VmRSS of process %d once %d events (%d samples + %d) were accepted\n",
      options.pid, options.samples + load.accepted, options.samples, load.accepted);
  return 0;
}

}  // namespace
}  // namespace wardprint::httpbench

int main(int argc, char** argv) {
  using namespace wardprint::httpbench;
  Options options;
  if (!parseOptions({argv + 1, argv + argc}, options)) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  try {
    return run(options);
  } catch (const Poco::Exception& e) {
    std::cerr << "wardprint-http-bench: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "wardprint-http-bench: " << e.what() << "\n";
    return 1;
  }
}
