// Error codes of the crawler's DHT side: BEP 51 fields that do not parse.
#pragma once

#include <system_error>

namespace magnetar::crawler::dht {

enum class Errc {
  kSamplesLength = 1,  // BEP 51 "samples" is not a whole number of 20-byte hashes
  kTooManySamples,     // more samples than kMaxSamplesPerReply
  kNodesLength,        // compact node info not a whole number of 26/38-byte entries
  kSnapshotFormat,     // a saved DHT snapshot that is not what encode_snapshot wrote
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::crawler::dht

template <>
struct std::is_error_code_enum<magnetar::crawler::dht::Errc> : std::true_type {};
