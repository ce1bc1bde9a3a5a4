#include "crawler/wire/metadata_store.hpp"

#include <utility>

#include "crawler/wire/expected_info_hash.hpp"
#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/session_errors.hpp"

namespace magnetar::crawler::wire {

Status MetadataStore::add(const InfoHashes& hashes, std::string info_dict) {
  if (hashes.empty()) return Error(SessionErrc::kHashMismatch);
  if (info_dict.empty() || info_dict.size() > static_cast<std::size_t>(kMaxMetadataSize)) {
    return Error(SessionErrc::kNoMetadataSize);
  }
  if (!ExpectedInfoHash::from_hashes(hashes).matches(info_dict)) {
    return Error(SessionErrc::kHashMismatch);
  }
  auto shared = std::make_shared<const std::string>(std::move(info_dict));
  if (hashes.v1) by_id_.insert_or_assign(*hashes.v1, shared);
  if (hashes.v2) by_id_.insert_or_assign(truncate(*hashes.v2), shared);
  skey_index_.add(hashes);
  return Ok{};
}

void MetadataStore::remove(const InfoHashes& hashes) {
  if (hashes.v1) by_id_.erase(*hashes.v1);
  if (hashes.v2) by_id_.erase(truncate(*hashes.v2));
  skey_index_.remove(hashes);
}

std::shared_ptr<const std::string> MetadataStore::find(const InfoHashV1& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  return it->second;
}

}  // namespace magnetar::crawler::wire
