// What the metadata server asks about an infohash: the info dict bytes we
// hold for it, if any. The keeper implements it over its pin cache.
#pragma once

#include <memory>
#include <string>

#include "common/infohash.hpp"

namespace magnetar::crawler::wire {

class MetadataSource {
 public:
  virtual ~MetadataSource() = default;
  // The info dict of the torrent whose handshake id (v1, or truncated v2,
  // BEP 52) is `id`, or null when we do not serve it. Shared so a session
  // can keep serving it while the source drops it.
  virtual std::shared_ptr<const std::string> find(const InfoHashV1& id) = 0;
};

}  // namespace magnetar::crawler::wire
