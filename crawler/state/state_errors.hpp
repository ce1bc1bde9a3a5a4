// Error codes of the crawler node's state (crawler/state): returned, not
// thrown, where the caller is expected to act on them (a full outbox), or
// where stored bytes fail to decode (a damaged record is never a crash).
#pragma once

#include <system_error>

namespace magnetar::crawler::state {

enum class Errc {
  kOutboxFull = 1,  // the outbox is at its item or byte limit: keep the item, retry later
  kItemTooLarge,    // one item larger than the whole outbox byte limit: it can never fit
  kCorruptRecord,   // stored bytes of the wrong size or version
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::crawler::state

template <>
struct std::is_error_code_enum<magnetar::crawler::state::Errc> : std::true_type {};
