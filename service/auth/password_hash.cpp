#include "auth/password_hash.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <sstream>
#include <stdexcept>
#include <vector>

namespace wardprint::auth {
namespace {

constexpr const char* kScheme = "pbkdf2-sha256";
constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::optional<std::string> unbase64(const std::string& text) {
  try {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    // Read through the stream, not with istreambuf_iterator into a string's constructor:
    // bad base64 throws from inside the stream buffer, and a string under construction
    // then leaked its buffer (LeakSanitizer, in the config loader's fuzzer).
    decoder.exceptions(std::ios::badbit);
    std::string bytes;
    char chunk[256];
    while (decoder.read(chunk, sizeof chunk) || decoder.gcount() > 0) {
      bytes.append(chunk, static_cast<std::size_t>(decoder.gcount()));
    }
    return bytes;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string pbkdf2(const std::string& password, const std::string& salt, int iterations) {
  std::string out(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), kHashBytes, reinterpret_cast<unsigned char*>(out.data())) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  return out;
}

std::string randomBytes(int count) {
  std::string bytes(static_cast<std::size_t>(count), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count) != 1) {
    throw std::runtime_error("no secure random numbers");
  }
  return bytes;
}

std::string lowerHex(const std::string& bytes) {
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes.begin(), bytes.end()));
}

struct ParsedHash {
  int iterations = 0;
  std::string salt;
  std::string hash;
};

std::optional<ParsedHash> parse(const std::string& stored) {
  std::vector<std::string> parts;
  std::istringstream in(stored);
  for (std::string part; std::getline(in, part, '$');) parts.push_back(part);
  if (parts.size() != 4 || parts[0] != kScheme) return std::nullopt;
  ParsedHash parsed;
  try {
    parsed.iterations = std::stoi(parts[1]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto salt = unbase64(parts[2]);
  auto hash = unbase64(parts[3]);
  if (!salt || !hash || salt->empty() || hash->size() != kHashBytes) return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

}  // namespace

std::string hashPassword(const std::string& password, int iterations) {
  const auto salt = randomBytes(kSaltBytes);
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + base64(salt) + "$" +
         base64(pbkdf2(password, salt, iterations));
}

bool verifyPassword(const std::string& password, const std::string& storedHash) {
  const auto parsed = parse(storedHash);
  if (!parsed || parsed->iterations < kMinPasswordIterations) return false;
  const auto computed = pbkdf2(password, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(computed.data(), parsed->hash.data(), kHashBytes) == 0;
}

std::optional<std::string> checkPasswordHash(const std::string& storedHash) {
  const auto parsed = parse(storedHash);
  if (!parsed) return "must be pbkdf2-sha256$ITERATIONS$SALT$HASH (from wardprint hash-password)";
  if (parsed->iterations < kMinPasswordIterations) {
    return "must use at least " + std::to_string(kMinPasswordIterations) + " iterations";
  }
  return std::nullopt;
}

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine sha;
  sha.update(text);
  return Poco::SHA2Engine::digestToHex(sha.digest());
}

std::string hmacSha256Hex(const std::string& key, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), digest, &length);
  return lowerHex(std::string(reinterpret_cast<const char*>(digest), length));
}

std::string randomHex(int bytes) {
  return lowerHex(randomBytes(bytes));
}

}  // namespace wardprint::auth
