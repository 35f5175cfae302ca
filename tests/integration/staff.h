#pragma once

// Sign-in for tests of what staff and operators do: one auth: section and a way to sign in.

#include <string>

#include "service_harness.h"

namespace wardprint::testsupport {

inline const std::string kStaffPassword = "correct horse battery";
inline const std::string kFeedToken = "staff-test-feed-token";     // a ward system of every ward
inline const std::string kWard8Token = "staff-test-ward-8-token";  // a ward system of ward 8 only

// The auth: section: the two tokens above, nurse.jones (ward 7) and admin.lee (both wards),
// each with kStaffPassword; sign-in locks out after `maxLoginFailures`.
std::string staffAuthSection(int maxLoginFailures = 5);

// Signs `name` in: the session cookie and the CSRF token, as request headers.
Headers signInAs(const DaemonUnderTest& daemon, const std::string& name);

// The Authorization header of a bearer token.
Headers bearer(const std::string& token);

}  // namespace wardprint::testsupport
