// Deterministic items shared by node_state_test and its child process.
#pragma once

#include <chrono>
#include <string>

#include "common/bencode_encoder.hpp"
#include "common/infohash.hpp"
#include "common/sha.hpp"
#include "crawler/state/seen_record.hpp"

namespace magnetar::testing {

inline const crawler::state::TimePoint kStateItemTime{std::chrono::seconds(1'700'000'000)};

struct StateItem {
  InfoHashV1 id;
  std::string info_dict;
};

// A small valid v1 single-file info dict (BEP 3) named after i, and its id.
inline StateItem state_item(int i) {
  std::string dict;
  bencode::Encoder(dict)
      .dict()
      .string("length")
      .integer(1000 + i)
      .string("name")
      .string("item-" + std::to_string(i) + ".bin")
      .string("piece length")
      .integer(16384)
      .string("pieces")
      .string(std::string(20, static_cast<char>('a' + i % 26)))
      .end();
  return {InfoHashV1(sha1(dict)), dict};
}

}  // namespace magnetar::testing
