// The BEP 10 extension handshake: the extended message with id 0, a bencoded
// dict. 'm' maps extension names to the ids the SENDER wants to receive them
// under (1..255; 0 disables an extension); BEP 9 adds 'metadata_size'.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace magnetar::crawler::wire {

// Extended message id of the handshake itself (BEP 10).
inline constexpr std::uint8_t kExtensionHandshakeId = 0;

// Largest metadata (info dict) we fetch or serve. BEP 9 sets no limit;
// libtorrent caps metadata at about 4 MiB by default. 10 MiB leaves room for
// the largest real info dicts (many files) and bounds what one fetch costs.
inline constexpr std::int64_t kMaxMetadataSize = std::int64_t{10} << 20;

// Most 'm' entries kept. Real clients advertise about ten; more is junk that
// would only cost memory.
inline constexpr std::size_t kMaxExtensionEntries = 128;

// Extension names (BEP 9, BEP 11).
inline constexpr std::string_view kUtMetadata = "ut_metadata";
inline constexpr std::string_view kUtPex = "ut_pex";

struct ExtensionHandshake {
  // 'm': name -> id in the sender's numbering, in the order received
  // (sorted by name when encoding). id 0 means "disabled".
  std::vector<std::pair<std::string, std::uint8_t>> m;
  std::optional<std::int64_t> metadata_size;  // BEP 9; when present, in 1..kMaxMetadataSize
  std::optional<std::string> client;          // 'v'
  std::optional<std::int64_t> reqq;           // outstanding requests the sender accepts
  std::optional<std::string> yourip;          // our address as the sender sees it: 4 or 16 bytes
  std::optional<std::uint16_t> listen_port;   // 'p', 1..65535

  // The id under which the sender wants to receive extension `name`, or
  // nullopt when absent or disabled (0).
  std::optional<std::uint8_t> id_of(std::string_view name) const;

  friend bool operator==(const ExtensionHandshake&, const ExtensionHandshake&) = default;
};

// Decodes the payload of an extended message with id 0 (after the extended
// id byte). Unknown keys and optional keys of the wrong type are ignored, as
// BEP 10 asks; a malformed 'm' or metadata_size is an error:
// kMalformedExtensionHandshake, kInvalidExtensionId, kTooManyExtensions,
// kInvalidMetadataSize, kMetadataTooLarge.
Result<ExtensionHandshake> decode_extension_handshake(std::string_view payload);

// Canonical bencode of the handshake (keys sorted).
std::string encode_extension_handshake(const ExtensionHandshake& h);

}  // namespace magnetar::crawler::wire
