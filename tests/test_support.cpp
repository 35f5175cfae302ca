#include "test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace wardprint::testsupport {
namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

File temporaryFile() {
  File file(std::tmpfile(), &std::fclose);
  if (!file) throw std::system_error(errno, std::generic_category(), "tmpfile");
  return file;
}

std::string readAll(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
  return text;
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("runProcess: no program given");
  // The child writes straight into unlinked temporary files, so a chatty program can never
  // block on a full pipe.
  const auto out = temporaryFile();
  const auto err = temporaryFile();
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull < 0 || ::dup2(devNull, STDIN_FILENO) < 0 ||
        ::dup2(::fileno(out.get()), STDOUT_FILENO) < 0 ||
        ::dup2(::fileno(err.get()), STDERR_FILENO) < 0) {
      ::_exit(126);
    }
    ::execvp(args[0], args.data());
    ::_exit(127);
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  ProcessResult result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = readAll(out.get());
  result.err = readAll(err.get());
  return result;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "wardprint-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  root_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

std::string TempDir::path(const std::string& name) const { return (root_ / name).string(); }

void writeFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error(path.string() + ": cannot be written");
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const int error = errno;
  ::close(fd);
  if (!bound) throw std::system_error(error, std::generic_category(), "bind to a free port");
  return ntohs(address.sin_port);
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval
  }
}

std::string sourceFile(const std::string& relative) {
  return std::string(WARDPRINT_SOURCE_DIR) + "/" + relative;
}

std::size_t countOccurrences(std::string_view text, std::string_view needle) {
  if (needle.empty()) throw std::invalid_argument("countOccurrences: empty needle");
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

std::string collapseWhitespace(std::string_view text) {
  std::string out;
  bool pendingSpace = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

std::vector<std::string> splitPages(const std::string& text) {
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (auto end = text.find('\f'); end != std::string::npos; end = text.find('\f', start)) {
    pages.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (start < text.size()) pages.push_back(text.substr(start));  // text after the last form feed
  return pages;
}

std::string replaceOnce(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos)
    throw std::runtime_error("replaceOnce: '" + std::string(from) + "' not found");
  return text.replace(at, from.size(), to);
}

}  // namespace wardprint::testsupport

namespace wardprint::testsupport {

void damageMiddleBlock(const std::filesystem::path& path) {
  constexpr std::uintmax_t kBlock = 4096;
  const auto size = std::filesystem::file_size(path);
  if (size < 2 * kBlock) throw std::runtime_error(path.string() + ": too small to damage in the middle");
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(size / 2 / kBlock * kBlock));
  const std::string garbage(kBlock, '\x55');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  if (!file) throw std::runtime_error(path.string() + ": cannot be damaged");
}

}  // namespace wardprint::testsupport
