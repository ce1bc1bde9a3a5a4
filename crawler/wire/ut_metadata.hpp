// BEP 9 ut_metadata messages, the payload of an extended message sent under
// the receiver's 'ut_metadata' id:
//   request {msg_type: 0, piece: i}
//   data    {msg_type: 1, piece: i, total_size: n} followed by the piece bytes
//   reject  {msg_type: 2, piece: i}
// The metadata (the info dict) is cut into 16 KiB pieces; the last one holds
// the remainder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crawler/wire/extension_handshake.hpp"

namespace magnetar::crawler::wire {

// BEP 9: "The metadata is handled in blocks of 16KiB (16384 Bytes)."
inline constexpr std::size_t kMetadataPieceSize = 16 * 1024;
// Pieces of the largest metadata we accept (kMaxMetadataSize): 640.
inline constexpr std::size_t kMaxMetadataPieces =
    (static_cast<std::size_t>(kMaxMetadataSize) + kMetadataPieceSize - 1) / kMetadataPieceSize;

// msg_type values. Others may appear (BEP 9 asks receivers to ignore them).
enum class UtMetadataType : std::int64_t { kRequest = 0, kData = 1, kReject = 2 };

struct UtMetadataMessage {
  UtMetadataType type = UtMetadataType::kRequest;
  std::uint32_t piece = 0;                 // range-checked by its user
  std::optional<std::int64_t> total_size;  // data messages: 1..kMaxMetadataSize
  std::string_view data;  // data messages: the piece bytes, a view into the payload
};

// Pieces of a metadata of `size` bytes (size in 1..kMaxMetadataSize).
std::size_t metadata_piece_count(std::size_t size);
// Length of piece `piece` (< metadata_piece_count(size)).
std::size_t metadata_piece_length(std::size_t size, std::size_t piece);

// Decodes a ut_metadata payload. Errors: kMalformedUtMetadata (no dict,
// msg_type or piece missing, data without total_size), kPieceOutOfRange
// (piece beyond 32 bits), kInvalidMetadataSize / kMetadataTooLarge
// (total_size). A msg_type other than 0..2 decodes (type holds the value) and
// is for the caller to ignore (BEP 9). Whether the piece fits the metadata at
// hand is for its user to check (the assembler, the server).
Result<UtMetadataMessage> decode_ut_metadata(std::string_view payload);

// Payloads (wrap them with append_extended and the peer's ut_metadata id).
std::string encode_ut_metadata_request(std::uint32_t piece);
std::string encode_ut_metadata_reject(std::uint32_t piece);
std::string encode_ut_metadata_data(std::uint32_t piece, std::int64_t total_size,
                                    std::string_view data);

}  // namespace magnetar::crawler::wire
