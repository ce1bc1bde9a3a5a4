// Why a metadata fetch as a whole ended without an info dict, when no
// connection's own reason (SessionErrc, MseErrc) applies.
#pragma once

#include <system_error>

namespace magnetar::crawler::wire {

enum class FetchErrc {
  kNoPeers = 1,  // the fetch was given no candidate endpoint
  kCancelled,    // the fetcher stopped before the fetch ended
};

std::error_code make_error_code(FetchErrc e);

}  // namespace magnetar::crawler::wire

template <>
struct std::is_error_code_enum<magnetar::crawler::wire::FetchErrc> : std::true_type {};
