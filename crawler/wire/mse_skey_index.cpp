#include "crawler/wire/mse_skey_index.hpp"

namespace magnetar::crawler::wire {

void MseSkeyIndex::add(const InfoHashV1& skey) {
  by_req2_.insert_or_assign(mse_req2_hash(skey), skey);
}

void MseSkeyIndex::add(const InfoHashes& hashes) {
  if (hashes.v1) add(*hashes.v1);
  if (hashes.v2) add(truncate(*hashes.v2));
}

void MseSkeyIndex::remove(const InfoHashV1& skey) { by_req2_.erase(mse_req2_hash(skey)); }

void MseSkeyIndex::remove(const InfoHashes& hashes) {
  if (hashes.v1) remove(*hashes.v1);
  if (hashes.v2) remove(truncate(*hashes.v2));
}

std::optional<InfoHashV1> MseSkeyIndex::find(const Sha1Digest& req2_hash) const {
  const auto it = by_req2_.find(req2_hash);
  if (it == by_req2_.end()) return std::nullopt;
  return it->second;
}

}  // namespace magnetar::crawler::wire
