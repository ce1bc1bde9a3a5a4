// libFuzzer target for the magnet URI parser: any input parses or fails with a
// magnet error, and every magnet that parses survives format -> parse unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/magnet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace magnet = magnetar::magnet;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = magnet::parse_magnet(input);
  if (!parsed.ok()) {
    const auto& error = parsed.error();
    if (error.code.category() != make_error_code(magnet::Errc::kNotMagnet).category()) std::abort();
    if (error.has_offset() && error.offset > size) std::abort();
    return 0;
  }
  if (parsed->hashes.empty()) std::abort();
  const std::string formatted = magnet::format_magnet(*parsed);
  const auto again = magnet::parse_magnet(formatted);
  if (!again.ok() || !(*again == *parsed)) std::abort();
  // The canonical form is a fixed point.
  if (magnet::format_magnet(*again) != formatted) std::abort();
  return 0;
}
