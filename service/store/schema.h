#pragma once

#include <array>
#include <cstddef>

namespace wardprint::store {

// The store's schema, one SQL script per version. Internal to the store.
inline constexpr std::size_t kSchemaVersion = 9;
extern const std::array<const char*, kSchemaVersion> kSchemaMigrations;

}  // namespace wardprint::store
