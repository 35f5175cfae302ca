#pragma once

#include <optional>
#include <string>

namespace wardprint::auth {

// Password hashes as stored in the configuration:
// "pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>".
inline constexpr int kPasswordIterations = 210000;
inline constexpr int kMinPasswordIterations = 100000;

// A new hash of `password` with a random salt.
std::string hashPassword(const std::string& password, int iterations = kPasswordIterations);

// Whether `password` matches `storedHash`, compared in constant time. False for a hash
// that is not of the form above.
bool verifyPassword(const std::string& password, const std::string& storedHash);

// Why a stored hash is unusable ("iterations below 100000"), or nullopt if it is fine.
std::optional<std::string> checkPasswordHash(const std::string& storedHash);

// Lower-case hex SHA-256 of `text`: how API tokens are stored.
std::string sha256Hex(const std::string& text);

// Lower-case hex HMAC-SHA-256 of `text` under `key`.
std::string hmacSha256Hex(const std::string& key, const std::string& text);

// `bytes` random bytes from the system's secure generator, as lower-case hex.
std::string randomHex(int bytes);

}  // namespace wardprint::auth
