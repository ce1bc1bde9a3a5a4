#include "crawler/wire/message_codec.hpp"

#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

// Compaction threshold: consumed bytes are dropped from the front of the
// buffer once they exceed this and half the buffer, keeping feed() amortised
// O(1) without holding on to consumed bytes.
constexpr std::size_t kCompactThreshold = 4096;

std::uint32_t read_be32(const char* p) {
  return (std::uint32_t{static_cast<std::uint8_t>(p[0])} << 24) |
         (std::uint32_t{static_cast<std::uint8_t>(p[1])} << 16) |
         (std::uint32_t{static_cast<std::uint8_t>(p[2])} << 8) |
         std::uint32_t{static_cast<std::uint8_t>(p[3])};
}

void append_be32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

}  // namespace

void MessageReader::compact() {
  // Runs at the start of each call, never after returning a message, so the
  // payload returned by the last next() stays valid until the next call.
  if (read_ == buffer_.size() || (read_ > kCompactThreshold && read_ * 2 > buffer_.size())) {
    buffer_.erase(0, read_);
    stream_offset_ += read_;
    read_ = 0;
  }
}

void MessageReader::skip_buffered() {
  const std::size_t n = std::min(skip_remaining_, buffer_.size() - read_);
  read_ += n;
  skip_remaining_ -= n;
}

void MessageReader::feed(std::string_view bytes) {
  if (error_) return;  // the stream is dead; keep nothing
  compact();
  if (skip_remaining_ > 0 && read_ == buffer_.size()) {
    // Inside a skipped payload with nothing buffered: drop without copying.
    const std::size_t n = std::min(skip_remaining_, bytes.size());
    bytes.remove_prefix(n);
    skip_remaining_ -= n;
    stream_offset_ += n;
  }
  buffer_.append(bytes);
}

Result<std::optional<Message>> MessageReader::next() {
  if (error_) return *error_;
  compact();
  if (skip_remaining_ > 0) {
    skip_buffered();
    if (skip_remaining_ > 0) return std::optional<Message>();
  }
  const std::size_t available = buffer_.size() - read_;
  if (available < kLengthPrefixSize) return std::optional<Message>();
  const std::uint32_t length = read_be32(buffer_.data() + read_);
  if (length > max_length_) {
    error_ = Error(WireErrc::kMessageTooLarge, stream_offset_ + read_);
    buffer_.clear();
    buffer_.shrink_to_fit();
    read_ = 0;
    return *error_;
  }
  Message m;
  m.length = length;
  if (length > max_buffered_) {
    if (available < kLengthPrefixSize + 1) return std::optional<Message>();  // need the id
    m.skipped = true;
    m.id = static_cast<std::uint8_t>(buffer_[read_ + kLengthPrefixSize]);
    read_ += kLengthPrefixSize + 1;
    skip_remaining_ = length - 1;
    skip_buffered();
    return std::optional<Message>(m);
  }
  if (available - kLengthPrefixSize < length) return std::optional<Message>();
  if (length == 0) {
    m.keep_alive = true;
  } else {
    m.id = static_cast<std::uint8_t>(buffer_[read_ + kLengthPrefixSize]);
    m.payload = std::string_view(buffer_).substr(read_ + kLengthPrefixSize + 1, length - 1);
  }
  read_ += kLengthPrefixSize + length;
  return std::optional<Message>(m);
}

void append_message(std::string& out, MessageId id, std::string_view payload) {
  append_be32(out, static_cast<std::uint32_t>(payload.size() + 1));
  out += static_cast<char>(id);
  out += payload;
}

void append_keep_alive(std::string& out) { append_be32(out, 0); }
void append_interested(std::string& out) { append_message(out, MessageId::kInterested); }
void append_not_interested(std::string& out) { append_message(out, MessageId::kNotInterested); }
void append_have_none(std::string& out) { append_message(out, MessageId::kHaveNone); }

void append_extended(std::string& out, std::uint8_t extended_id, std::string_view payload) {
  append_be32(out, static_cast<std::uint32_t>(payload.size() + 2));
  out += static_cast<char>(MessageId::kExtended);
  out += static_cast<char>(extended_id);
  out += payload;
}

}  // namespace magnetar::crawler::wire
