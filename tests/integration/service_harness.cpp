#include "service_harness.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace wardprint::testsupport {

namespace fs = std::filesystem;

namespace {

bool portOpen(int port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                   Poco::Timespan(0, 200000));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                           const std::string& logPath) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // its own group, so a signal reaches the children it starts too
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (log < 0 || devNull < 0 || ::dup2(devNull, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0) ::_exit(126);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (exited_) return;
  signal(SIGCONT);
  signal(SIGTERM);
  if (wait(std::chrono::seconds(5)) == -1) {
    signal(SIGKILL);
    wait(std::chrono::seconds(5));
  }
}

void ChildProcess::signal(int number) const {
  if (!exited_) ::kill(-pid_, number);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!exited_) {
    waitUntil([&] { return ::waitpid(pid_, &status_, WNOHANG) == pid_; }, timeout);
    exited_ = ::waitpid(pid_, &status_, WNOHANG) != 0 || WIFEXITED(status_) || WIFSIGNALED(status_);
    if (!exited_) return -1;
  }
  return WIFSIGNALED(status_) ? 128 + WTERMSIG(status_) : WEXITSTATUS(status_);
}

PrinterBus::PrinterBus(const TempDir& dir)
    : address_("unix:path=" + dir.path("dbus.sock")),
      process_({"dbus-daemon", "--config-file=/usr/share/dbus-1/session.conf", "--address=" + address_, "--nofork",
                "--nopidfile"},
               {}, dir.path("dbus.log")) {
  if (!waitUntil([&] { return fs::exists(dir.path("dbus.sock")); }, std::chrono::seconds(10))) {
    throw std::runtime_error("dbus-daemon did not start");
  }
}

EmulatedPrinter::EmulatedPrinter(const TempDir& dir, const std::string& name, const PrinterBus& bus)
    : dir_(dir.root() / name), name_(name), busAddress_(bus.address()), port_(freePort()) {
  fs::create_directories(dir_);
  start();
}

void EmulatedPrinter::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{sourceFile("scripts/printer-emulator"), dir_.string(), std::to_string(port_), name_},
      std::map<std::string, std::string>{{"DBUS_SYSTEM_BUS_ADDRESS", busAddress_}}, (dir_ / "printer.log").string());
  if (!waitUntil([&] { return portOpen(port_); }, std::chrono::seconds(10))) {
    throw std::runtime_error("the printer emulator did not start: " + readFile(dir_ / "printer.log"));
  }
}

void EmulatedPrinter::stop() { process_.reset(); }
void EmulatedPrinter::freeze() const { process_->signal(SIGSTOP); }
void EmulatedPrinter::thaw() const { process_->signal(SIGCONT); }
void EmulatedPrinter::setMode(const std::string& mode) const { writeFile(dir_ / "mode", mode + "\n"); }

std::string EmulatedPrinter::uri() const { return "ipp://127.0.0.1:" + std::to_string(port_) + "/ipp/print"; }

std::vector<fs::path> EmulatedPrinter::allJobs() const {
  std::vector<fs::path> jobs;
  if (!fs::exists(dir_ / "spool")) return jobs;
  for (const auto& entry : fs::directory_iterator(dir_ / "spool")) {
    if (entry.path().extension() == ".pdf") jobs.push_back(entry.path());
  }
  std::sort(jobs.begin(), jobs.end());
  return jobs;
}

std::vector<fs::path> EmulatedPrinter::jobsFor(const std::string& documentId) const {
  // ippeveprinter lower-cases the job name in the file name: <job-id>-<job-name>.pdf
  std::string wanted = "wardprint-" + documentId + "-";
  std::transform(wanted.begin(), wanted.end(), wanted.begin(), [](unsigned char c) { return std::tolower(c); });
  std::vector<fs::path> jobs;
  for (const auto& job : allJobs()) {
    const auto name = job.filename().string();
    if (name.find(wanted) == name.find('-') + 1) jobs.push_back(job);
  }
  return jobs;
}

std::string EmulatedPrinter::jobAttribute(const fs::path& pdf, const std::string& name) const {
  std::ifstream in(pdf.string() + ".env");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + "=", 0) == 0) return line.substr(name.size() + 1);
  }
  return "";
}

FakePrinter::FakePrinter(Mode mode) : mode_(mode) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 64) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "fake printer");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakePrinter::~FakePrinter() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  thread_.join();
  ::close(listener_);
  for (const int held : held_) ::close(held);
}

void FakePrinter::serve() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 100) <= 0) continue;  // wakes to notice stopping_
    const int connection = ::accept(listener_, nullptr, nullptr);
    if (connection < 0) continue;
    connections_++;
    // Read what has come (the request's headers, maybe some of the body) for up to 200 ms.
    char buffer[4096];
    pollfd readable{connection, POLLIN, 0};
    if (::poll(&readable, 1, 200) > 0) (void)::recv(connection, buffer, sizeof buffer, 0);
    switch (mode_) {
      case Mode::kSilent:
        held_.push_back(connection);  // never answered, never closed until the end
        break;
      case Mode::kGarbage: {
        const std::string answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: 26\r\n\r\n"
            "\x7f\x01garbage, not IPP at all!";
        (void)::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(connection);
        break;
      }
      case Mode::kClosesMidJob:
        ::close(connection);
        break;
    }
  }
}

namespace {

// WARDPRINT_TEST_DAEMON, when set, names another wardprintd to test (e.g. one built from an
// older commit, to see which tests fail without a fix), and WARDPRINT_TEST_LAYOUTS the
// layouts it can read; by default, this build's daemon and layouts.
std::string fromEnvironment(const char* name, const std::string& fallback) {
  const char* other = std::getenv(name);
  return other && *other ? other : fallback;
}

}  // namespace

DaemonUnderTest::DaemonUnderTest(const TempDir& dir, const std::map<std::string, const EmulatedPrinter*>& printers,
                                 const std::string& wardsYaml, const std::string& extraYaml)
    : DaemonUnderTest(dir,
                      [&] {
                        std::map<std::string, std::string> uris;
                        for (const auto& [name, printer] : printers) uris[name] = printer->uri();
                        return uris;
                      }(),
                      wardsYaml, extraYaml) {}

DaemonUnderTest::DaemonUnderTest(const TempDir& dir, const std::map<std::string, std::string>& printerUris,
                                 const std::string& wardsYaml, const std::string& extraYaml)
    : dir_(dir.root()), port_(freePort()), configPath_(dir.path("wardprint.yaml")) {
  std::string yaml = "server: { host: 127.0.0.1, port: " + std::to_string(port_) +
                     ", threads: 8 }\n"
                     "store: { path: " + dir.path("wardprint.db") + ", create: true }\n"
                     "site: { name: Test Hospital, layouts_dir: " +
                     fromEnvironment("WARDPRINT_TEST_LAYOUTS", sourceFile("layouts")) + " }\n"
                     "contacts: [ { label: Radiology, phone: \"0114 271 5432\" } ]\n"
                     "printers:\n";
  for (const auto& [name, uri] : printerUris) yaml += "  " + name + ": { uri: \"" + uri + "\" }\n";
  yaml += "wards:\n" + wardsYaml + extraYaml;
  writeFile(configPath_, yaml);
}

void DaemonUnderTest::setStore(const std::string& storeYaml) {
  auto yaml = readFile(configPath_);
  const auto from = yaml.find("store: ");
  const auto to = yaml.find('\n', from);
  if (from == std::string::npos || to == std::string::npos) throw std::runtime_error("no store: line in " + configPath_);
  writeFile(configPath_, yaml.replace(from, to - from, "store: " + storeYaml));
}

void DaemonUnderTest::start() {
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{fromEnvironment("WARDPRINT_TEST_DAEMON", WARDPRINTD), "--config", configPath_}, env_,
                                            (dir_ / "wardprintd.log").string());
  if (!waitUntil([&] { return portOpen(port_); }, std::chrono::seconds(20))) {
    throw std::runtime_error("wardprintd did not start: " + log());
  }
}

void DaemonUnderTest::kill9() {
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(5));
  process_.reset();
}

void DaemonUnderTest::signal(int number) const { process_->signal(number); }

int DaemonUnderTest::terminate() {
  process_->signal(SIGTERM);
  const int code = process_->wait(std::chrono::seconds(30));
  process_.reset();
  return code;
}

std::string DaemonUnderTest::log() const {
  try {
    return readFile(dir_ / "wardprintd.log");
  } catch (const std::exception&) {
    return "";
  }
}

HttpReply DaemonUnderTest::request(const std::string& method, const std::string& path, const std::string& body,
                                   const std::string& contentType, const Headers& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty() || method == "POST") {
    request.setContentType(contentType);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  for (const auto& [name, value] : headers) request.set(name, value);
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  auto& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.contentType = response.getContentType();
  reply.setCookie = response.get("Set-Cookie", "");
  reply.location = response.get("Location", "");
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

HttpReply DaemonUnderTest::get(const std::string& path) const { return request("GET", path, "", ""); }

HttpReply DaemonUnderTest::post(const std::string& path, const std::string& body,
                                const std::string& contentType) const {
  return request("POST", path, body, contentType);
}

bool DaemonUnderTest::waitForState(const std::string& documentId, const std::string& state,
                                   std::chrono::milliseconds timeout) const {
  const std::string wanted = "\"state\":\"" + state + "\"";
  return waitUntil(
      [&] {
        const auto reply = get("/v1/discharges/" + documentId);
        return reply.status == 200 && reply.body.find(wanted) != std::string::npos &&
               reply.body.find(wanted) < reply.body.find("\"print_jobs\"");
      },
      timeout);
}

bool DaemonUnderTest::waitForJobsToEnd(std::chrono::milliseconds timeout) const {
  const auto ended = [](const std::string& state) {
    return state == "printed" || state == "failed" || state == "cancelled";
  };
  return waitUntil(
      [&] {
        const auto reply = get("/v1/discharges");
        if (reply.status != 200) return false;
        const auto discharges = json(reply.body)->getArray("discharges");
        for (std::size_t i = 0; i < discharges->size(); ++i) {
          const auto jobs = discharges->getObject(static_cast<unsigned>(i))->getArray("print_jobs");
          for (std::size_t j = 0; j < jobs->size(); ++j) {
            if (!ended(jobs->getObject(static_cast<unsigned>(j))->getValue<std::string>("state"))) return false;
          }
        }
        return true;
      },
      timeout);
}

std::string twoWardsYaml() {
  return "  ward-7: { name: Ward 7, phone: \"0114 000 0007\", printer: ward-7-laser, "
         "fallback_printer: ward-8-laser }\n"
         "  ward-8: { name: Ward 8, phone: \"0114 000 0008\", printer: ward-8-laser }\n";
}

TwoWards::TwoWards(const std::string& extraYaml)
    : daemon(dir, {{"ward-7-laser", &ward7}, {"ward-8-laser", &ward8}}, twoWardsYaml(), extraYaml) {}

std::string rawExchange(int port, const std::string& bytes, std::chrono::milliseconds wait) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  socket.setReceiveTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(wait).count()));
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buffer[4096];
  try {
    while (true) {
      const int got = socket.receiveBytes(buffer, sizeof buffer);
      if (got <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(got));
    }
  } catch (const Poco::TimeoutException&) {
    answer += "\n(timed out: the connection was left open)";
  }
  return answer;
}

std::vector<std::string> ambiguouslyFramed(const std::string& event, const std::string& smuggled) {
  const auto length = std::to_string(event.size());
  const std::string post = "POST /v1/discharges HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  return {
      post + "Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
      post + "Content-Length: " + length + "\r\nContent-Length: 5\r\n\r\n" + event + smuggled,
      post + "Content-Length: " + length + ", " + length + "\r\n\r\n" + event + smuggled,
      post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + smuggled,
  };
}

SlowClient::SlowClient(const std::string& source, int port) {
  socket.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
}

bool SlowClient::trickle() {
  std::signal(SIGPIPE, SIG_IGN);  // a closed connection must fail the send, not end the test
  static const std::string head = "POST /v1/discharges HTTP/1.1\r\nHost: wardprint\r\nX-Slow: ";
  try {
    const char byte = sent < head.size() ? head[sent] : 'a';
    socket.sendBytes(&byte, 1);
    ++sent;
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string idOf(const HttpReply& reply) { return json(reply.body)->getValue<std::string>("id"); }

std::string sampleEvent(const std::string& eventId, const std::string& ward) {
  auto event = replaceOnce(readFile(sourceFile("tests/data/discharge-vertebroplasty.json")), "ADT-000123", eventId);
  return replaceOnce(event, "\"ward-7\"", "\"" + ward + "\"");
}

}  // namespace wardprint::testsupport
