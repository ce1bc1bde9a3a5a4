// BEP 3 message framing: <4-byte big-endian length><1-byte id><payload>,
// where length counts the id and the payload; length 0 is a keep-alive.
//
// MessageReader takes the byte stream in chunks of any size and yields
// complete messages. A length above its cap is an error before anything is
// allocated for it. Messages longer than a second, smaller limit (a large
// bitfield we have no use for) are reported without their payload, which is
// discarded as it arrives: what a connection buffers stays small however
// large the messages a peer may legitimately send.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace magnetar::crawler::wire {

// BEP 3 ids, BEP 6 (fast extension) ids, and BEP 10's extended message.
enum class MessageId : std::uint8_t {
  kChoke = 0,
  kUnchoke = 1,
  kInterested = 2,
  kNotInterested = 3,
  kHave = 4,
  kBitfield = 5,
  kRequest = 6,
  kPiece = 7,
  kCancel = 8,
  kPort = 9,              // BEP 5
  kSuggestPiece = 0x0D,   // BEP 6
  kHaveAll = 0x0E,        // BEP 6
  kHaveNone = 0x0F,       // BEP 6
  kRejectRequest = 0x10,  // BEP 6
  kAllowedFast = 0x11,    // BEP 6
  kExtended = 20,         // BEP 10
};

// The size of the length prefix.
inline constexpr std::size_t kLengthPrefixSize = 4;

// Largest accepted message (id + payload). What this peer wire needs is a
// BEP 9 data message: 16 KiB of metadata plus its small dict; a 'piece'
// message is 16 KiB plus 9 bytes. 1 MiB also fits the bitfield of a torrent
// with 8 million pieces, so no real peer's message is refused, and a hostile
// length prefix costs at most this much buffer.
inline constexpr std::size_t kMaxMessageLength = std::size_t{1} << 20;

// Largest message a metadata exchange buffers whole: a BEP 9 data message is
// 16 KiB of metadata plus a dict of a few dozen bytes; extension handshakes
// and ut_pex messages are far smaller. Longer messages are skipped.
inline constexpr std::size_t kMaxBufferedMessageLength = 64 * 1024;

struct Message {
  bool keep_alive = false;  // length 0: no id, no payload
  // Longer than the reader's max_buffered: payload is empty and the
  // payload bytes are discarded.
  bool skipped = false;
  std::uint8_t id = 0;
  std::uint32_t length = 0;  // id + payload, as on the wire
  // Valid until the next call to the reader that produced it.
  std::string_view payload;
};

class MessageReader {
 public:
  // Messages up to max_buffered are returned whole, longer ones up to
  // max_length as skipped, longer ones still are an error.
  explicit MessageReader(std::size_t max_length = kMaxMessageLength,
                         std::size_t max_buffered = kMaxMessageLength)
      : max_length_(max_length), max_buffered_(std::min(max_buffered, max_length)) {}

  // Appends received bytes.
  void feed(std::string_view bytes);

  // The next complete message, nullopt when more bytes are needed, or
  // WireErrc::kMessageTooLarge (then every later call returns the same error).
  Result<std::optional<Message>> next();

  // Bytes received but not yet returned as messages.
  std::size_t buffered() const { return buffer_.size() - read_; }

 private:
  void compact();

  void skip_buffered();

  std::size_t max_length_;
  std::size_t max_buffered_;
  std::size_t skip_remaining_ = 0;  // payload bytes of a skipped message still to discard
  std::string buffer_;
  std::size_t read_ = 0;             // offset of the first unconsumed byte of buffer_
  std::uint64_t stream_offset_ = 0;  // offset of buffer_[0] in the whole stream, for errors
  std::optional<Error> error_;
};

// Encoders: each appends one framed message to out.
void append_message(std::string& out, MessageId id, std::string_view payload = {});
void append_keep_alive(std::string& out);
void append_interested(std::string& out);
void append_not_interested(std::string& out);
void append_have_none(std::string& out);  // BEP 6, only to a peer that set the fast bit
// BEP 10: <len><20><extended id><payload>. extended_id 0 is the extension
// handshake; any other id must come from the receiving peer's 'm' dict.
void append_extended(std::string& out, std::uint8_t extended_id, std::string_view payload);

}  // namespace magnetar::crawler::wire
