#pragma once

// Small helpers for the integration tests: running programs, temporary folders, files
// and text. Nothing here knows about wardprint itself.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wardprint::testsupport {

// What a finished program left behind. exitCode is 128 + the signal number if it was killed.
struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) with the other arguments as they are: no shell, so
// nothing needs quoting. stdin is /dev/null. Waits for it to finish. Throws
// std::runtime_error if the process cannot be started; a program that is not found
// exits 127.
ProcessResult runProcess(const std::vector<std::string>& argv);

// A fresh folder under the system's temporary folder, removed with everything in it when
// the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& root() const { return root_; }
  // root()/name, as a string for command lines.
  std::string path(const std::string& name) const;

 private:
  std::filesystem::path root_;
};

// Whole-file I/O in binary mode. Both throw std::runtime_error naming the path on failure.
void writeFile(const std::filesystem::path& path, std::string_view bytes);
std::string readFile(const std::filesystem::path& path);

// Overwrites the 4096-byte block in the middle of the file with 0x55 bytes, as a failing
// disk or a bad copy would (a database page, for SQLite's usual page size).
void damageMiddleBlock(const std::filesystem::path& path);

// A TCP port on 127.0.0.1 that nothing listens on right now.
int freePort();

// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// A file of the source tree: WARDPRINT_SOURCE_DIR + "/" + relative.
std::string sourceFile(const std::string& relative);

// How many times `needle` (not empty) occurs in `text`, counting overlapping matches.
std::size_t countOccurrences(std::string_view text, std::string_view needle);

// Every run of spaces, tabs and line breaks becomes one space; leading and trailing ones go.
// pdftotext breaks lines where the leaflet wraps them, so phrases are searched in this form.
std::string collapseWhitespace(std::string_view text);

// pdftotext ends every page with a form feed: the text of each page, in order.
std::vector<std::string> splitPages(const std::string& text);

// `text` with the first `from` replaced by `to`. Throws std::runtime_error if `from` is absent.
std::string replaceOnce(std::string text, std::string_view from, std::string_view to);

}  // namespace wardprint::testsupport
