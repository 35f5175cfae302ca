#include "auth/password_hash.h"

#include <doctest/doctest.h>

using namespace wardprint::auth;

TEST_CASE("a password verifies against its own hash only") {
  const auto hash = hashPassword("correct horse", kMinPasswordIterations);
  CHECK(hash.rfind("pbkdf2-sha256$100000$", 0) == 0);
  CHECK(verifyPassword("correct horse", hash));
  CHECK_FALSE(verifyPassword("correct horse ", hash));
  CHECK_FALSE(verifyPassword("", hash));
  CHECK(hashPassword("correct horse", kMinPasswordIterations) != hash);  // a fresh salt each time
}

TEST_CASE("stored hashes of the wrong form or too few iterations are refused") {
  CHECK(checkPasswordHash("plaintext"));
  CHECK(checkPasswordHash("pbkdf2-sha256$1000$c2FsdA==$" + std::string(44, 'A')));
  const auto weak = hashPassword("secret12", 1000);
  CHECK(checkPasswordHash(weak) == std::optional<std::string>("must use at least 100000 iterations"));
  CHECK_FALSE(verifyPassword("secret12", weak));
  CHECK_FALSE(checkPasswordHash(hashPassword("secret12", kMinPasswordIterations)));
}

TEST_CASE("sha256Hex matches the known digest") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(randomHex(16).size() == 32);
  CHECK(randomHex(16) != randomHex(16));
}
