// The ids a torrent goes by in the DHT, from its verified info dict: the v1
// infohash (SHA-1) when the dict has v1 "pieces", the truncated v2 infohash
// (first 20 bytes of the SHA-256, BEP 52) when it has "meta version" 2. A
// hybrid torrent has both, and a crawler may come across either (nodes sample
// both): once fetched under one, the node marks the other fetched too.
#pragma once

#include <string_view>
#include <vector>

#include "common/infohash.hpp"

namespace magnetar::crawler::pipeline {

// v1 first, then the truncated v2; empty when the bytes are no bencoded dict
// (the fetcher verified them against an id, so this does not happen for
// fetched dicts). Reads only the two keys: the hub parses the rest.
std::vector<InfoHashV1> dht_ids(std::string_view info_dict);

}  // namespace magnetar::crawler::pipeline
