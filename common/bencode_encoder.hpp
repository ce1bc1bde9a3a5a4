// Canonical bencode encoder (BEP 3): integers without leading zeros, strings
// as "len:bytes", dict keys sorted by raw bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bencode_value.hpp"

namespace magnetar::bencode {

// Appends bencode to a string. Streaming: the caller writes dict keys in
// ascending order; encode(Value) sorts them itself.
class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}

  Encoder& integer(std::int64_t i);
  Encoder& string(std::string_view s);
  Encoder& list() {
    out_ += 'l';
    return *this;
  }
  Encoder& dict() {
    out_ += 'd';
    return *this;
  }
  Encoder& end() {
    out_ += 'e';
    return *this;
  }
  // Splices an already-encoded value, e.g. an info dict's raw bytes.
  Encoder& raw(std::string_view encoded) {
    out_ += encoded;
    return *this;
  }
  Encoder& value(const Value& v);

 private:
  std::string& out_;
};

std::string encode(const Value& v);

}  // namespace magnetar::bencode
