#pragma once

#include <string>

namespace wardprint::store {

// An exclusive lock on a store, held for as long as the object lives: one daemon per store.
// Two daemons on one store would both print its jobs (leaflets printed twice) and split
// the staff's sessions between them.
class StoreLock {
 public:
  // Locks `storePath` + ".lock" (made if missing) and writes this process's id into it.
  // Throws StoreError naming the process that holds it when another process does.
  explicit StoreLock(const std::string& storePath);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace wardprint::store
