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

Context::Ptr serverContext(const settings::TlsConfig& tls, bool requireClientCertificate) {
  Poco::Net::initializeSSL();
  Context::Params params;
  params.certificateFile = tls.certificate;
  params.privateKeyFile = tls.privateKey;
  // A client certificate is asked for only where tls.client_ca says whose to trust; one
  // that the CA did not sign, or that has expired, fails the handshake (and so does none,
  // where one is required).
  params.caLocation = tls.clientCa.value_or("");
  params.verificationMode = !tls.clientCa            ? Context::VERIFY_NONE
                            : requireClientCertificate ? Context::VERIFY_STRICT
                                                       : Context::VERIFY_RELAXED;
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

std::vector<std::string> checkFiles(const settings::TlsConfig& tls, const std::string& key) {
  try {
    serverContext(tls, false);
    return {};
  } catch (const Poco::Exception& e) {
    return {key + ": the certificate, key or CA files cannot be used together: " + e.displayText()};
  }
}

Poco::Net::ServerSocket listen(const Listening& listening) {
  Poco::Net::ServerSocket socket;
  if (listening.tls) {
    const auto problems = checkFiles(*listening.tls, listening.key);
    if (!problems.empty()) throw util::ConfigError(problems);
    socket = Poco::Net::SecureServerSocket(serverContext(*listening.tls, listening.requireClientCertificate));
  }
  // Not ServerSocket(address): that sets SO_REUSEPORT, and with it a second process could
  // listen on the same port and the kernel would share connections out.
  socket.bind(Poco::Net::SocketAddress(listening.host, static_cast<Poco::UInt16>(listening.port)), true, false);
  socket.listen(256);
  return socket;
}

Poco::Net::ServerSocket listen(const settings::ServerConfig& server) {
  return listen({server.host, server.port, server.tls, "server.tls", false});
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
