#include "crawler/wire/expected_info_hash.hpp"

#include <cassert>

#include "common/sha.hpp"

namespace magnetar::crawler::wire {

ExpectedInfoHash ExpectedInfoHash::from_id(const InfoHashV1& id) {
  ExpectedInfoHash e;
  e.id_ = id;
  return e;
}

ExpectedInfoHash ExpectedInfoHash::from_hashes(const InfoHashes& hashes) {
  assert(!hashes.empty());
  ExpectedInfoHash e;
  e.id_ = hashes.id();
  e.hashes_ = hashes;
  return e;
}

bool ExpectedInfoHash::matches(std::string_view info) const {
  if (hashes_.empty()) {
    if (InfoHashV1(sha1(info)) == id_) return true;
    return truncate(InfoHashV2(sha256(info))) == id_;
  }
  if (hashes_.v1 && InfoHashV1(sha1(info)) != *hashes_.v1) return false;
  if (hashes_.v2 && InfoHashV2(sha256(info)) != *hashes_.v2) return false;
  return true;
}

}  // namespace magnetar::crawler::wire
