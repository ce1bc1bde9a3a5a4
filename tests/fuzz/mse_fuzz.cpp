// libFuzzer target: the MSE/PE handshake state machines on hostile bytes.
// Input: [mode][chunk][bytes...]. The chunk byte splits the bytes into feed()
// calls of that size (0: all at once). Bit 2 of the mode byte makes our side
// compute through a prepared DhGroup (as MetadataFetcher does) instead of
// one-off exponentiations. Modes (mode byte % 4):
//   0 responder, raw bytes from the first byte on (Ya, plaintext detection)
//   1 initiator after start(), raw bytes (Yb, VC scan)
//   2 responder after a valid Ya, HASH('req1', S) and SKEY hash: the bytes are
//     encrypted with the right keyA stream, so the fuzzer drives VC,
//     crypto_provide, PadC, len(IA) and IA
//   3 initiator after a valid Yb: the bytes are encrypted with the right keyB
//     stream, so the fuzzer drives VC, crypto_select and PadD
// Beyond "no crash": a failed machine has an error code, a finished one a
// cipher usable on further bytes, and no step sends more than the handshake
// can.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include "crawler/wire/dh_group.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_initiator.hpp"
#include "crawler/wire/mse_keys.hpp"
#include "crawler/wire/mse_responder.hpp"
#include "crawler/wire/mse_skey_index.hpp"

using namespace magnetar;
using namespace magnetar::crawler::wire;

namespace {

const InfoHashV1 kSkey = *InfoHashV1::from_hex("0123456789abcdef0123456789abcdef01234567");

RandomBytes seeded(std::uint32_t seed) {
  auto engine = std::make_shared<std::minstd_rand>(seed);
  return [engine](std::span<std::uint8_t> out) {
    for (auto& b : out) b = static_cast<std::uint8_t>((*engine)() & 0xff);
  };
}

std::string chars(const DhKey& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }

DhPrivateKey peer_key() {
  DhPrivateKey k;
  for (std::size_t n = 0; n < k.size(); ++n) k[n] = static_cast<std::uint8_t>(n * 13 + 5);
  return k;
}

// Every step's output is bounded by what the protocol lets a side send.
constexpr std::size_t kMaxStepOutput = kDhKeySize + kMsePadMax + 2 * kMseHashSize + kMseVcSize +
                                       kMseCryptoFieldSize + 2 * kMseLengthSize + kMsePadMax +
                                       kMseMaxInitialPayload;

template <class Machine>
void feed_all(Machine& m, std::string_view bytes, std::size_t chunk) {
  if (chunk == 0) chunk = bytes.size() + 1;
  while (!bytes.empty()) {
    const std::string_view piece = bytes.substr(0, chunk);
    bytes.remove_prefix(piece.size());
    if (m.status() == MseStatus::kDone) {
      std::string rest(piece);
      m.outcome().cipher.decrypt(std::span<char>(rest));
      continue;
    }
    const MseStep step = m.feed(piece);
    if (step.to_send.size() > kMaxStepOutput) std::abort();
    if (step.status != m.status()) std::abort();
  }
  if (m.status() == MseStatus::kFailed && !m.error().code) std::abort();
  if (m.status() == MseStatus::kDone) {
    std::string probe = "after the handshake";
    m.outcome().cipher.encrypt(std::span<char>(probe));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int mode = data[0] % 4;
  const std::size_t chunk = data[1];
  std::string bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  MseSkeyIndex index;
  index.add(kSkey);
  MseOptions options;
  options.max_pad = 16;
  if (data[0] & 4) {
    // Built once per process: its table takes 0.25 ms, and its scratch space
    // is only ever used by this single-threaded loop.
    static DhGroup group;
    options.dh_group = &group;
  }

  switch (mode) {
    case 0: {
      MseResponder b(index.lookup(), EncryptionPolicy::kPreferEncrypted, seeded(1), options);
      feed_all(b, bytes, chunk);
      break;
    }
    case 1: {
      MseInitiator a(kSkey, EncryptionPolicy::kPreferEncrypted, seeded(2), "IA", options);
      a.start();
      feed_all(a, bytes, chunk);
      break;
    }
    case 2: {
      MseResponder b(index.lookup(), EncryptionPolicy::kPreferPlaintext, seeded(3), options);
      const DhKeyExchange peer(peer_key());
      const MseStep hello = b.feed(chars(peer.public_key()));
      if (hello.to_send.size() < kDhKeySize) std::abort();
      DhKey yb;
      std::copy_n(hello.to_send.begin(), kDhKeySize, yb.begin());
      const DhKey s = *peer.shared_secret(yb);
      Rc4 key_a = mse_initiator_rc4(s, kSkey);
      key_a.apply(std::span<char>(bytes));
      const std::string prefix = std::string(mse_req1_hash(s).view()) +
                                 std::string((mse_req2_hash(kSkey) ^ mse_req3_hash(s)).view());
      feed_all(b, prefix + bytes, chunk);
      break;
    }
    case 3: {
      MseInitiator a(kSkey, EncryptionPolicy::kPreferEncrypted, seeded(4), "IA", options);
      const std::string ya = a.start();
      DhKey ya_key;
      std::copy_n(ya.begin(), kDhKeySize, ya_key.begin());
      const DhKeyExchange peer(peer_key());
      const DhKey s = *peer.shared_secret(ya_key);
      Rc4 key_b = mse_responder_rc4(s, kSkey);
      key_b.apply(std::span<char>(bytes));
      feed_all(a, chars(peer.public_key()) + bytes, chunk);
      break;
    }
  }
  return 0;
}
