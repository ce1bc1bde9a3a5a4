// libFuzzer target: the bencode decoder on arbitrary bytes. Checks, beyond
// "no crash": every raw span lies inside the input, strict accepts only what
// lenient accepts canonically, and a canonical document re-encodes to itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"

using namespace magnetar::bencode;

namespace {

void check_spans(const Node& n, std::string_view input) {
  const auto raw = n.raw();
  if (raw.data() < input.data() || raw.data() + raw.size() > input.data() + input.size()) {
    std::abort();
  }
  if (n.is_list()) {
    std::size_t count = 0;
    for (auto item : n.items()) {
      check_spans(item, input);
      ++count;
    }
    if (count != n.size()) std::abort();
  } else if (n.is_dict()) {
    for (auto [key, value] : n.entries()) check_spans(value, input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeLimits limits;
  limits.max_tokens = 100'000;
  auto lenient = decode(input, Mode::kLenient, limits);
  auto strict = decode(input, Mode::kStrict, limits);
  if (strict.ok() && !(lenient.ok() && lenient->canonical())) std::abort();
  if (lenient.ok()) {
    check_spans(lenient->root(), input);
    if (lenient->root().raw() != input) std::abort();
    if (lenient->canonical() && encode(to_value(lenient->root())) != input) std::abort();
  }
  auto prefix = decode_prefix(input, Mode::kLenient, limits);
  if (lenient.ok() && (!prefix.ok() || prefix->input().size() != size)) std::abort();
  return 0;
}
