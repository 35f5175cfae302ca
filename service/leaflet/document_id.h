#pragma once

#include <string>

namespace wardprint::leaflet {

// A short id for one leaflet of one discharge: "WP-" and 13 base-32 characters of a
// SHA-256 of the event id and layout id. The same inputs always give the same id, and the
// id reveals nothing about the patient.
std::string documentIdFor(const std::string& eventId, const std::string& layoutId);

}  // namespace wardprint::leaflet
