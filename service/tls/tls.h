#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <optional>
#include <string>

#include "settings/config.h"

// The one module that includes POCO NetSSL (and so OpenSSL's TLS): the daemon's listening
// sockets (HTTP and MLLP), and what their connections need to know of TLS.
namespace wardprint::tls {

// Where a door listens, and with what TLS.
struct Listening {
  std::string host;
  int port = 0;  // 0: any free port
  std::optional<settings::TlsConfig> tls;  // absent: plain TCP
  std::string key;  // the TLS section in messages: "server.tls", "hl7.mllp.tls"
  // With tls.clientCa: true refuses, in the handshake, a client that presents no
  // certificate (MLLP has no other way to sign in); false lets it sign in another way.
  bool requireClientCertificate = false;
};

// A socket listening as `listening` says: TLS when its tls is set (the handshake is left to
// each connection: see completeHandshake, or it happens at the first read), plain TCP
// otherwise. Bound without SO_REUSEPORT, so a second daemon cannot share the port. Throws
// util::ConfigError naming the key when a certificate or key cannot be used, and
// Poco::Exception when the address cannot be bound.
Poco::Net::ServerSocket listen(const Listening& listening);
// The HTTP server's: server.host:server.port with server.tls, client certificates optional.
Poco::Net::ServerSocket listen(const settings::ServerConfig& server);

// Every problem with the TLS files of section `key` (a certificate that does not load, a
// key that does not match it), each naming the key; empty when they can be used.
std::vector<std::string> checkFiles(const settings::TlsConfig& tls, const std::string& key = "server.tls");

// Whether `socket` is a TLS connection accepted from a socket of listen().
bool isTls(const Poco::Net::StreamSocket& socket);

// Performs the server's side of the TLS handshake, blocking. Throws Poco::Exception when
// it fails (a client that does not speak TLS, offers too old a version, or presents a
// client certificate that the client CA did not sign or that has expired) or when the
// socket's reading side is shut meanwhile (how the caller bounds its time).
void completeHandshake(Poco::Net::StreamSocket& socket);

// The common name (CN) of the client certificate the peer presented and server.tls.client_ca
// verified, or nullopt when it presented none (or the socket is not TLS).
std::optional<std::string> clientCommonName(const Poco::Net::StreamSocket& socket);

}  // namespace wardprint::tls
