// The info dicts a metadata server serves, in memory: a MetadataSource, and
// the MSE SKEY index kept in step with it (an encrypted connection names its
// torrent only by HASH('req2', SKEY)). The keeper fills it with its pins and
// removes them when unpinned.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/wire/metadata_source.hpp"
#include "crawler/wire/mse_skey_index.hpp"

namespace magnetar::crawler::wire {

class MetadataStore final : public MetadataSource {
 public:
  // Serves `info_dict` under every id of `hashes` (v1, truncated v2).
  // Fails with SessionErrc::kHashMismatch when the dict does not hash to
  // every given hash, or kNoMetadataSize when it is empty or above
  // kMaxMetadataSize (no peer would accept it).
  Status add(const InfoHashes& hashes, std::string info_dict);
  void remove(const InfoHashes& hashes);

  std::shared_ptr<const std::string> find(const InfoHashV1& id) override;
  bool contains(const InfoHashV1& id) const { return by_id_.count(id) != 0; }
  // Ids served (a hybrid counts twice).
  std::size_t size() const { return by_id_.size(); }

  const MseSkeyIndex& skey_index() const { return skey_index_; }

 private:
  std::unordered_map<InfoHashV1, std::shared_ptr<const std::string>> by_id_;
  MseSkeyIndex skey_index_;
};

}  // namespace magnetar::crawler::wire
