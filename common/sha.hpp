// SHA-1 and SHA-256 of byte strings (OpenSSL): the v1 and v2 infohashes.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace magnetar {

std::array<std::uint8_t, 20> sha1(std::string_view bytes);
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

}  // namespace magnetar
