// Fixed-width integers in stored keys and values. Keys are big-endian so
// RocksDB's bytewise order is numeric order (outbox sequence numbers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace magnetar::crawler::state {

inline void put_be64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

inline void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// Reads 8 (or 4) bytes at `at`; the caller has checked the size.
inline std::uint64_t get_be64(std::string_view in, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
  return v;
}

inline std::uint32_t get_be32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
  return v;
}

}  // namespace magnetar::crawler::state
