#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "store/job_store.h"

namespace wardprint::store {

StoreLock::StoreLock(const std::string& storePath) : path_(storePath + ".lock") {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw StoreError(path_ + ": cannot open the store's lock file: " + std::strerror(errno));
  // flock: released by the kernel when the process ends, however it ends (kill -9 too).
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const auto got = ::pread(fd_, holder, sizeof holder - 1, 0);
    std::string pid = got > 0 ? std::string(holder, static_cast<std::size_t>(got)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw StoreError(storePath + ": the store is in use by another wardprintd" +
                       (pid.empty() ? std::string() : " (pid " + pid + ")") + "; only one may run per store");
    }
    throw StoreError(path_ + ": cannot lock the store: " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock holds even if the pid could not be written; a second daemon just cannot name us.
  }
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace wardprint::store
