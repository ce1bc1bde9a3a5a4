// Big-endian fields and byte views used by the MSE state machines (internal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace magnetar::crawler::wire::mse_bytes {

inline std::string_view as_chars(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// s[from, from + size) as a mutable span, for in-place RC4.
inline std::span<char> range(std::string& s, std::size_t from, std::size_t size) {
  return std::span<char>(s).subspan(from, size);
}

inline void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

inline void put_u16(std::string& out, std::size_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

// The caller checked that 4 (2) bytes are there.
inline std::uint32_t get_u32(std::string_view in) {
  std::uint32_t v = 0;
  for (std::size_t n = 0; n < 4; ++n) v = (v << 8) | static_cast<std::uint8_t>(in[n]);
  return v;
}

inline std::size_t get_u16(std::string_view in) {
  return (std::size_t{static_cast<std::uint8_t>(in[0])} << 8) | static_cast<std::uint8_t>(in[1]);
}

}  // namespace magnetar::crawler::wire::mse_bytes
