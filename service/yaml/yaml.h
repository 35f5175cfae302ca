#pragma once

// wardprint's one door to yaml-cpp: the only module that includes it. Node mirrors the
// part of yaml-cpp's API that the configuration and layout readers use, under the same
// names and with the same reference semantics, so those readers read as they always did
// (`namespace YAML = wardprint::yaml;`) while yaml-cpp stays behind this header. Every
// yaml-cpp error comes out as yaml::Exception.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace wardprint::yaml {

struct Mark {
  int line = -1;  // from 0; -1 when unknown
};

// A YAML error: what is wrong (msg) and where (mark).
class Exception : public std::runtime_error {
 public:
  Exception(std::string msg, Mark mark) : std::runtime_error(msg), msg(std::move(msg)), mark(mark) {}
  std::string msg;
  Mark mark;
};

// A file that cannot be opened.
class BadFile : public Exception {
 public:
  using Exception::Exception;
};

class Entry;

// A node of a YAML document: a map, a sequence, a scalar, or nothing (a missing key). Copies
// refer to the same node, and assigning to a node found by operator[] changes the document,
// as in yaml-cpp. Not thread-safe.
class Node {
 public:
  Node();
  ~Node();
  Node(const Node& other);
  Node& operator=(const Node& other);

  explicit operator bool() const;
  bool IsMap() const;
  bool IsSequence() const;
  bool IsScalar() const;
  std::size_t size() const;
  ::wardprint::yaml::Mark Mark() const;

  // The scalar's value; throws Exception when it is not a T. T: std::string, int, double, bool.
  template <typename T>
  T as() const;

  // A map's value for `key` (a node that is false when there is none), or a sequence's item.
  // On a non-const node, a place in the document that assigning to fills in.
  Node operator[](const std::string& key) const;
  Node operator[](const char* key) const;
  Node operator[](std::size_t index) const;
  Node operator[](int index) const;
  Node operator[](const std::string& key);
  Node operator[](const char* key);
  Node operator[](std::size_t index);
  Node operator[](int index);
  void remove(const std::string& key);

  // A map's entries (first: key, second: value) or a sequence's items, in order.
  std::vector<Entry>::const_iterator begin() const;
  std::vector<Entry>::const_iterator end() const;

 private:
  struct Impl;  // yaml-cpp's node
  friend Node Clone(const Node& node);
  friend Node LoadFile(const std::string& path);
  explicit Node(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  mutable std::shared_ptr<const std::vector<Entry>> entries_;  // made by begin()
};

// One step of iterating a node: for a map, first and second; for a sequence, the item itself.
class Entry : public Node {
 public:
  Entry(const Node& item, const Node& first, const Node& second) : Node(item), first(first), second(second) {}
  Node first;
  Node second;
};

// A deep copy.
Node Clone(const Node& node);
// The document in a file. Throws BadFile when it cannot be read, Exception when it is not YAML.
Node LoadFile(const std::string& path);

}  // namespace wardprint::yaml
