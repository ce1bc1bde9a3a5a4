// What an MSE responder needs to find the torrent a connection is for: the
// initiator sends HASH('req2', SKEY) (masked), never SKEY itself, so the
// server keeps the hash of every infohash it serves (pitfalls.md).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <unordered_map>

#include "common/infohash.hpp"
#include "crawler/wire/mse_keys.hpp"

namespace magnetar::crawler::wire {

// Maps HASH('req2', SKEY) back to SKEY.
using MseSkeyLookup = std::function<std::optional<InfoHashV1>(const Sha1Digest& req2_hash)>;

class MseSkeyIndex {
 public:
  // SKEY is the 20-byte id: the v1 infohash, or the truncated v2 one.
  void add(const InfoHashV1& skey);
  // Every id a torrent is reachable by: v1, truncated v2, or both (hybrid).
  void add(const InfoHashes& hashes);
  void remove(const InfoHashV1& skey);
  void remove(const InfoHashes& hashes);

  std::optional<InfoHashV1> find(const Sha1Digest& req2_hash) const;
  std::size_t size() const { return by_req2_.size(); }

  // A lookup for MseResponder; the index must outlive it.
  MseSkeyLookup lookup() const {
    return [this](const Sha1Digest& req2_hash) { return find(req2_hash); };
  }

 private:
  std::unordered_map<Sha1Digest, InfoHashV1> by_req2_;
};

}  // namespace magnetar::crawler::wire
