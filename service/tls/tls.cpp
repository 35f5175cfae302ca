#include "tls/tls.h"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include "util/problems.h"

namespace wardprint::tls {
namespace {

using Poco::Net::Context;

// OpenSSL's choice among ciphers strong enough for patient data, without the anonymous
// and broken ones.
constexpr const char* kCiphers = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";

Context::Ptr serverContext(const settings::TlsConfig& tls) {
  Poco::Net::initializeSSL();
  Context::Params params;
  params.certificateFile = tls.certificate;
  params.privateKeyFile = tls.privateKey;
  // A client certificate is asked for only where server.tls.client_ca says whose to trust;
  // one that the CA did not sign, or that has expired, fails the handshake.
  params.caLocation = tls.clientCa.value_or("");
  params.verificationMode = tls.clientCa ? Context::VERIFY_RELAXED : Context::VERIFY_NONE;
  params.loadDefaultCAs = false;
  params.cipherList = kCiphers;
  Context::Ptr context = new Context(Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(tls.minVersion == "TLS1.3" ? Context::PROTO_TLSV1_3 : Context::PROTO_TLSV1_2);
  context->enableExtendedCertificateVerification(false);  // a client's certificate names no host of ours
  context->preferServerCiphers();
  if (tls.ca) {
    for (const auto& certificate : Poco::Crypto::X509Certificate::readPEM(*tls.ca)) context->addChainCertificate(certificate);
  }
  return context;
}

}  // namespace

std::vector<std::string> checkFiles(const settings::TlsConfig& tls) {
  try {
    serverContext(tls);
    return {};
  } catch (const Poco::Exception& e) {
    return {"server.tls: the certificate, key or CA files cannot be used together: " + e.displayText()};
  }
}

Poco::Net::ServerSocket listen(const settings::ServerConfig& server) {
  Poco::Net::ServerSocket socket;
  if (server.tls) {
    const auto problems = checkFiles(*server.tls);
    if (!problems.empty()) throw util::ConfigError(problems);
    socket = Poco::Net::SecureServerSocket(serverContext(*server.tls));
  }
  // Not ServerSocket(address): that sets SO_REUSEPORT, and with it a second process could
  // listen on the same port and the kernel would share connections out.
  socket.bind(Poco::Net::SocketAddress(server.host, static_cast<Poco::UInt16>(server.port)), true, false);
  socket.listen(256);
  return socket;
}

bool isTls(const Poco::Net::StreamSocket& socket) {
  return dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) != nullptr;
}

void completeHandshake(Poco::Net::StreamSocket& socket) {
  Poco::Net::SecureStreamSocket(socket).completeHandshake();
}

std::optional<std::string> clientCommonName(const Poco::Net::StreamSocket& socket) {
  if (!isTls(socket)) return std::nullopt;
  const Poco::Net::SecureStreamSocket secure(socket);
  if (!secure.havePeerCertificate()) return std::nullopt;
  return secure.peerCertificate().commonName();
}

}  // namespace wardprint::tls
