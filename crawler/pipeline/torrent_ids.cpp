#include "crawler/pipeline/torrent_ids.hpp"

#include "common/bencode_decoder.hpp"
#include "common/sha.hpp"

namespace magnetar::crawler::pipeline {

std::vector<InfoHashV1> dht_ids(std::string_view info_dict) {
  std::vector<InfoHashV1> ids;
  auto doc = bencode::decode(info_dict);
  if (!doc || !doc->root().is_dict()) return ids;
  const auto root = doc->root();
  if (root.find_string("pieces")) ids.emplace_back(sha1(info_dict));
  // BEP 52: "meta version" 2 marks a v2 (or hybrid) info dict.
  if (root.find_int("meta version") == 2) ids.push_back(truncate(InfoHashV2(sha256(info_dict))));
  return ids;
}

}  // namespace magnetar::crawler::pipeline
