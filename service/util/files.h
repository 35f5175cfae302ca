#pragma once

#include <string>

namespace wardprint::util {

// The whole file as bytes. Throws std::runtime_error naming the file when it cannot be read.
std::string readFile(const std::string& path);

// Whether `path` names a regular file, or a folder. Never throw: a name too long, a
// permission problem or an odd path all simply answer false.
bool isRegularFile(const std::string& path);
bool isDirectory(const std::string& path);

// Writes through a temporary file beside `path` and a rename, so a failure never leaves
// half a file. Throws std::runtime_error naming the file.
void writeFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace wardprint::util
