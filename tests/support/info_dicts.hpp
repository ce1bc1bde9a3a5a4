// Small valid info dicts for tests that need real ones to ingest or ship.
#pragma once

#include <cstdint>
#include <string>

#include "common/bencode_encoder.hpp"

namespace magnetar::testing {

// A v1 single-file info dict (BEP 3) whose piece hashes match its length
// in count (their bytes are filler).
inline std::string single_file_info_dict(const std::string& name, std::int64_t length) {
  constexpr std::int64_t kPiece = 16384;
  const auto pieces = (length + kPiece - 1) / kPiece;
  std::string out;
  bencode::Encoder(out)
      .dict()
      .string("length")
      .integer(length)
      .string("name")
      .string(name)
      .string("piece length")
      .integer(kPiece)
      .string("pieces")
      .string(std::string(static_cast<std::size_t>(pieces) * 20, 'p'))
      .end();
  return out;
}

}  // namespace magnetar::testing
