#pragma once

// A certificate authority made for a test with the openssl CLI, and the keys and
// certificates it signs: for the TLS tests of HTTP and MLLP.

#include <string>

#include "../test_support.h"

namespace wardprint::testsupport {

class TestCa {
 public:
  // Makes the CA's key and certificate in `dir` (which must outlive it), named after `name`.
  // A failing openssl command fails the test.
  TestCa(const TempDir& dir, const std::string& name);

  std::string certificate() const { return file("ca.pem"); }

  struct Issued {
    std::string key;
    std::string certificate;
  };
  // A key and a certificate for `commonName`; a server's names 127.0.0.1 and localhost. An
  // expired one was valid for a day in 2020.
  enum class Kind { kServer, kClient, kExpiredClient };
  Issued issue(const std::string& commonName, Kind kind) const;

 private:
  std::string file(const std::string& leaf) const { return dir_.path(name_ + "-" + leaf); }
  const TempDir& dir_;
  std::string name_;
};

}  // namespace wardprint::testsupport
