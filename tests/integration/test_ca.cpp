#include "test_ca.h"

#include <doctest/doctest.h>

#include <vector>

namespace wardprint::testsupport {
namespace {

void run(const std::vector<std::string>& argv) {
  const auto result = runProcess(argv);
  REQUIRE_MESSAGE(result.exitCode == 0, argv[0] << " " << argv[1] << ": " << result.err);
}

}  // namespace

TestCa::TestCa(const TempDir& dir, const std::string& name) : dir_(dir), name_(name) {
  run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"),
       "-subj", "/CN=" + name + " test CA", "-days", "2"});
  // `openssl ca`, which can date a certificate in the past, keeps its books in files.
  writeFile(file("index.txt"), "");
  writeFile(file("serial"), "01\n");
  writeFile(file("ca.cnf"), "[ca]\ndefault_ca = test\n[test]\ndatabase = " + file("index.txt") +
                                "\nnew_certs_dir = " + dir.root().string() + "\nserial = " + file("serial") +
                                "\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n");
}

TestCa::Issued TestCa::issue(const std::string& commonName, Kind kind) const {
  const Issued issued{file(commonName + ".key"), file(commonName + ".pem")};
  const auto request = file(commonName + ".csr");
  run({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", issued.key, "-out", request, "-subj",
       "/CN=" + commonName});
  if (kind == Kind::kExpiredClient) {
    run({"openssl", "ca", "-batch", "-config", file("ca.cnf"), "-cert", file("ca.pem"), "-keyfile", file("ca.key"),
         "-in", request, "-out", issued.certificate, "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
         "-notext"});
    return issued;
  }
  std::vector<std::string> sign{"openssl", "x509", "-req", "-in", request, "-CA", file("ca.pem"), "-CAkey",
                                file("ca.key"), "-CAcreateserial", "-out", issued.certificate, "-days", "2"};
  if (kind == Kind::kServer) {
    writeFile(file("server.ext"), "subjectAltName = IP:127.0.0.1, DNS:localhost\n");
    sign.insert(sign.end(), {"-extfile", file("server.ext")});
  }
  run(sign);
  return issued;
}

}  // namespace wardprint::testsupport
