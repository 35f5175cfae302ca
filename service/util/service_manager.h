#pragma once

#include <string>

namespace wardprint::util {

// Tells the service manager that started this process (systemd, Type=notify) about its
// state: "READY=1" once it serves, "STOPPING=1" when it begins to stop. Sends one datagram
// to the socket named in NOTIFY_SOCKET (sd_notify's protocol). Returns false, doing
// nothing, when there is no such socket (not started by systemd) or the send fails.
bool notifyServiceManager(const std::string& state);

}  // namespace wardprint::util
