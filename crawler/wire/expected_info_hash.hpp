// What a metadata fetch knows about the torrent it fetches, and how the
// fetched info dict is checked against it.
//
// From the DHT or a peer handshake we only learn a 20-byte id: the v1 SHA-1
// of the info dict, or the first 20 bytes of its v2 SHA-256 (BEP 52), and
// nothing says which. A magnet link may give the full v1 and/or v2 hash.
#pragma once

#include <optional>
#include <string_view>

#include "common/infohash.hpp"

namespace magnetar::crawler::wire {

class ExpectedInfoHash {
 public:
  // Only the 20-byte id is known: v1, or a truncated v2.
  static ExpectedInfoHash from_id(const InfoHashV1& id);
  // Full hashes (v1, v2 or both); hashes must not be empty.
  static ExpectedInfoHash from_hashes(const InfoHashes& hashes);

  // The id sent and expected in the BEP 3 handshake.
  const InfoHashV1& id() const { return id_; }
  const InfoHashes& hashes() const { return hashes_; }

  // True when `info` is the torrent's info dict: with full hashes known,
  // every one of them must match (a hybrid's dict hashes to both); with only
  // the id, its SHA-1 or its truncated SHA-256 must equal the id.
  bool matches(std::string_view info) const;

 private:
  InfoHashV1 id_;
  InfoHashes hashes_;  // empty when only the id is known
};

}  // namespace magnetar::crawler::wire
