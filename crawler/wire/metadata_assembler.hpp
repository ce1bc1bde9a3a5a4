// Assembles BEP 9 metadata from its 16 KiB pieces and verifies it against
// the infohash. Tracks which pieces are missing, requested or received, so
// one assembler can take pieces from one or several peers.
//
// The advertised metadata_size is checked against kMaxMetadataSize before
// anything is allocated, and the buffer itself is allocated only when the
// first piece arrives: a peer that advertises a size and sends nothing costs
// no buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crawler/wire/expected_info_hash.hpp"

namespace magnetar::crawler::wire {

class MetadataAssembler {
 public:
  // kInvalidMetadataSize (<= 0) or kMetadataTooLarge (> kMaxMetadataSize).
  static Result<MetadataAssembler> create(std::int64_t metadata_size, ExpectedInfoHash expected);

  std::size_t size() const { return size_; }
  std::size_t piece_count() const { return state_.size(); }
  const ExpectedInfoHash& expected() const { return expected_; }

  // A piece neither received nor requested, now marked requested (lowest
  // index first); nullopt when there is none.
  std::optional<std::uint32_t> next_request();
  // A requested piece will not arrive (rejected, peer gone): request it again later.
  void release(std::uint32_t piece);

  std::size_t outstanding() const { return outstanding_; }  // requested, not received
  std::size_t received() const { return received_; }
  bool complete() const { return received_ == state_.size(); }

  // Stores one data piece (requested or not). Errors: kPieceOutOfRange,
  // kTotalSizeMismatch (total_size is not the advertised size),
  // kWrongPieceSize (not 16 KiB, or the remainder for the last piece),
  // kDuplicatePiece. An error leaves the assembler unchanged.
  Status add_piece(std::uint32_t piece, std::int64_t total_size, std::string_view data);

  // Once complete(): the verified info dict bytes (moved out; the assembler
  // is then empty), or kHashMismatch, after which every piece is missing
  // again so the metadata can be fetched anew (from other peers).
  Result<std::string> finish();

 private:
  enum class PieceState : std::uint8_t { kMissing, kRequested, kReceived };

  MetadataAssembler(std::size_t size, ExpectedInfoHash expected);
  void reset();

  std::size_t size_;
  ExpectedInfoHash expected_;
  std::vector<PieceState> state_;
  std::string buffer_;  // size_ bytes once the first piece arrived
  std::size_t outstanding_ = 0;
  std::size_t received_ = 0;
};

}  // namespace magnetar::crawler::wire
