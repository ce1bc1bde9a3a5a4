#include "crawler/wire/metadata_assembler.hpp"

#include <cassert>
#include <cstring>
#include <utility>

#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {

Result<MetadataAssembler> MetadataAssembler::create(std::int64_t metadata_size,
                                                    ExpectedInfoHash expected) {
  if (metadata_size <= 0) return WireErrc::kInvalidMetadataSize;
  if (metadata_size > kMaxMetadataSize) return WireErrc::kMetadataTooLarge;
  return MetadataAssembler(static_cast<std::size_t>(metadata_size), std::move(expected));
}

MetadataAssembler::MetadataAssembler(std::size_t size, ExpectedInfoHash expected)
    : size_(size),
      expected_(std::move(expected)),
      state_(metadata_piece_count(size), PieceState::kMissing) {}

std::optional<std::uint32_t> MetadataAssembler::next_request() {
  for (std::size_t i = 0; i < state_.size(); ++i) {
    if (state_[i] == PieceState::kMissing) {
      state_[i] = PieceState::kRequested;
      ++outstanding_;
      return static_cast<std::uint32_t>(i);
    }
  }
  return std::nullopt;
}

void MetadataAssembler::release(std::uint32_t piece) {
  if (piece < state_.size() && state_[piece] == PieceState::kRequested) {
    state_[piece] = PieceState::kMissing;
    --outstanding_;
  }
}

Status MetadataAssembler::add_piece(std::uint32_t piece, std::int64_t total_size,
                                    std::string_view data) {
  if (piece >= state_.size()) return WireErrc::kPieceOutOfRange;
  if (total_size < 0 || static_cast<std::uint64_t>(total_size) != size_) {
    return WireErrc::kTotalSizeMismatch;
  }
  if (data.size() != metadata_piece_length(size_, piece)) return WireErrc::kWrongPieceSize;
  if (state_[piece] == PieceState::kReceived) return WireErrc::kDuplicatePiece;
  if (buffer_.empty()) buffer_.resize(size_);  // size_ passed its bound in create()
  std::memcpy(buffer_.data() + std::size_t{piece} * kMetadataPieceSize, data.data(), data.size());
  if (state_[piece] == PieceState::kRequested) --outstanding_;
  state_[piece] = PieceState::kReceived;
  ++received_;
  return Ok{};
}

Result<std::string> MetadataAssembler::finish() {
  assert(complete());
  if (!expected_.matches(buffer_)) {
    reset();
    return WireErrc::kHashMismatch;
  }
  std::string out = std::move(buffer_);
  reset();
  return out;
}

void MetadataAssembler::reset() {
  buffer_.clear();
  buffer_.shrink_to_fit();
  state_.assign(state_.size(), PieceState::kMissing);
  outstanding_ = 0;
  received_ = 0;
}

}  // namespace magnetar::crawler::wire
