#include "crawler/wire/mse_keys.hpp"

#include <string>
#include <string_view>

#include "common/sha.hpp"

namespace magnetar::crawler::wire {
namespace {

std::string_view as_chars(const DhKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

Sha1Digest hash(std::string_view tag, std::string_view a, std::string_view b = {}) {
  std::string input;
  input.reserve(tag.size() + a.size() + b.size());
  input.append(tag).append(a).append(b);
  return Sha1Digest(sha1(input));
}

Rc4 keystream(std::string_view tag, const DhKey& secret, const InfoHashV1& skey) {
  const Sha1Digest key = hash(tag, as_chars(secret), skey.view());
  Rc4 rc4(key.bytes());
  rc4.discard(kMseRc4Discard);
  return rc4;
}

}  // namespace

Sha1Digest mse_req1_hash(const DhKey& secret) { return hash("req1", as_chars(secret)); }
Sha1Digest mse_req2_hash(const InfoHashV1& skey) { return hash("req2", skey.view()); }
Sha1Digest mse_req3_hash(const DhKey& secret) { return hash("req3", as_chars(secret)); }

Rc4 mse_initiator_rc4(const DhKey& secret, const InfoHashV1& skey) {
  return keystream("keyA", secret, skey);
}

Rc4 mse_responder_rc4(const DhKey& secret, const InfoHashV1& skey) {
  return keystream("keyB", secret, skey);
}

Sha1Digest operator^(const Sha1Digest& a, const Sha1Digest& b) {
  std::array<std::uint8_t, 20> out;
  for (std::size_t n = 0; n < out.size(); ++n) out[n] = a.bytes()[n] ^ b.bytes()[n];
  return Sha1Digest(out);
}

}  // namespace magnetar::crawler::wire
