// MseInitiator <-> MseResponder in memory, and each against hand-built peers
// that follow (or break) the "Message Stream Encryption" spec byte by byte.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "common/codec.hpp"
#include "common/sha.hpp"
#include "crawler/wire/dh_group.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/mse_initiator.hpp"
#include "crawler/wire/mse_keys.hpp"
#include "crawler/wire/mse_responder.hpp"
#include "crawler/wire/mse_skey_index.hpp"

namespace magnetar::crawler::wire {
namespace {

using P = EncryptionPolicy;

// Deterministic randomness: the same seed gives the same keys and pads.
RandomBytes seeded(std::uint32_t seed) {
  auto engine = std::make_shared<std::mt19937>(seed);
  return [engine](std::span<std::uint8_t> out) {
    for (auto& b : out) b = static_cast<std::uint8_t>((*engine)() & 0xff);
  };
}

const InfoHashV1 kSkey = *InfoHashV1::from_hex("0123456789abcdef0123456789abcdef01234567");
const InfoHashV1 kOtherSkey = *InfoHashV1::from_hex("fedcba9876543210fedcba9876543210fedcba98");

std::string bt_handshake(const InfoHashV1& ih) {
  std::string out =
      "\x13"
      "BitTorrent protocol";
  out.append(8, '\0');
  out += ih.view();
  out += "-MG0001-abcdefghijkl";
  return out;
}

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string chars(const DhKey& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }

// How many of `available` bytes to deliver next, `delivered` having gone already.
using Chunker = std::function<std::size_t(std::size_t delivered, std::size_t available)>;

Chunker chunks_of(std::size_t n) {
  return [n](std::size_t, std::size_t available) { return std::min(n, available); };
}
Chunker split_at(std::size_t at) {
  return [at](std::size_t delivered, std::size_t available) {
    return delivered < at ? std::min(at - delivered, available) : available;
  };
}

// Both ends, the bytes in flight, and what each side's session received
// after its handshake (decrypted).
struct Connection {
  MseStatus initiator = MseStatus::kNeedMore;
  MseStatus responder = MseStatus::kNeedMore;
  std::string initiator_app;      // what the initiator's session read
  std::string responder_app;      // what the responder's session read (IA first)
  std::string wire_to_responder;  // every byte the responder received
  std::string wire_to_initiator;
  std::optional<CryptoMethod> initiator_method, responder_method;
  Error initiator_error, responder_error;
  InfoHashV1 responder_skey;
};

constexpr std::string_view kFromA = "bitfield and extended handshake from A";
constexpr std::string_view kFromB = "metadata piece from B";

// Runs a whole connection: MSE, then each side sends one application message
// through its cipher as soon as it is done (in the same flight as its last
// handshake bytes, to exercise payload already buffered by the peer).
Connection run(MseInitiator& a, MseResponder& b, const Chunker& to_b, const Chunker& to_a) {
  Connection r;
  std::string ab = a.start(), ba;
  std::size_t ab_delivered = 0, ba_delivered = 0;
  bool a_sent_app = false, b_sent_app = false;
  for (int guard = 0; guard < 100000; ++guard) {
    bool progress = false;
    if (ab_delivered < ab.size() && r.responder != MseStatus::kFailed) {
      const std::size_t n = to_b(ab_delivered, ab.size() - ab_delivered);
      std::string chunk = ab.substr(ab_delivered, n);
      ab_delivered += n;
      r.wire_to_responder += chunk;
      progress = true;
      if (r.responder == MseStatus::kDone) {
        b.outcome().cipher.decrypt(std::span<char>(chunk));
        r.responder_app += chunk;
      } else {
        MseStep step = b.feed(chunk);
        r.responder = step.status;
        ba += step.to_send;
        if (step.status == MseStatus::kDone) {
          r.responder_app = b.outcome().payload;
          r.responder_method = b.outcome().method;
          r.responder_skey = b.outcome().skey;
        }
        if (step.status == MseStatus::kFailed) r.responder_error = b.error();
      }
    }
    if (r.responder == MseStatus::kDone && !b_sent_app) {
      std::string app(kFromB);
      b.outcome().cipher.encrypt(std::span<char>(app));
      ba += app;
      b_sent_app = true;
    }
    if (ba_delivered < ba.size() && r.initiator != MseStatus::kFailed) {
      const std::size_t n = to_a(ba_delivered, ba.size() - ba_delivered);
      std::string chunk = ba.substr(ba_delivered, n);
      ba_delivered += n;
      r.wire_to_initiator += chunk;
      progress = true;
      if (r.initiator == MseStatus::kDone) {
        a.outcome().cipher.decrypt(std::span<char>(chunk));
        r.initiator_app += chunk;
      } else {
        MseStep step = a.feed(chunk);
        r.initiator = step.status;
        ab += step.to_send;
        if (step.status == MseStatus::kDone) {
          r.initiator_app = a.outcome().payload;
          r.initiator_method = a.outcome().method;
        }
        if (step.status == MseStatus::kFailed) r.initiator_error = a.error();
      }
    }
    if (r.initiator == MseStatus::kDone && !a_sent_app) {
      std::string app(kFromA);
      a.outcome().cipher.encrypt(std::span<char>(app));
      ab += app;
      a_sent_app = true;
    }
    if (!progress) break;
  }
  return r;
}

struct Ends {
  MseSkeyIndex index;
  MseInitiator a;
  MseResponder b;
  Ends(P pa, P pb, std::uint32_t seed = 1, MseOptions options = {}, const InfoHashV1& skey = kSkey,
       std::string ia = bt_handshake(kSkey))
      : a(skey, pa, seeded(seed), std::move(ia), options),
        b(index.lookup(), pb, seeded(seed + 1000), options) {
    index.add(kSkey);
  }
};

void expect_connected(const Connection& r, CryptoMethod method, const std::string& ia) {
  ASSERT_EQ(r.initiator, MseStatus::kDone) << r.initiator_error.message();
  ASSERT_EQ(r.responder, MseStatus::kDone) << r.responder_error.message();
  EXPECT_EQ(r.initiator_method, method);
  EXPECT_EQ(r.responder_method, method);
  EXPECT_EQ(r.responder_skey, kSkey);
  EXPECT_EQ(r.responder_app, ia + std::string(kFromA));
  EXPECT_EQ(r.initiator_app, std::string(kFromB));
}

TEST(MseHandshake, CompletesWithRc4ForEveryChunkSize) {
  const std::size_t sizes[] = {1, 2, 3, 7, 19, 20, 21, 95, 96, 97, 500, 100000};
  std::uint32_t seed = 0;
  for (std::size_t to_b : sizes) {
    for (std::size_t to_a : sizes) {
      Ends e(P::kPreferEncrypted, P::kPreferEncrypted, ++seed);
      const Connection r = run(e.a, e.b, chunks_of(to_b), chunks_of(to_a));
      SCOPED_TRACE(testing::Message() << "to_b " << to_b << " to_a " << to_a);
      expect_connected(r, CryptoMethod::kRc4, bt_handshake(kSkey));
      // Nothing of the application data crossed the wire in the clear.
      EXPECT_EQ(r.wire_to_responder.find(kFromA), std::string::npos);
      EXPECT_EQ(r.wire_to_initiator.find(kFromB), std::string::npos);
      EXPECT_EQ(r.wire_to_responder.find("BitTorrent protocol"), std::string::npos);
    }
  }
}

TEST(MseHandshake, CompletesForEverySplitOfEitherStream) {
  // Learn the stream lengths once, then cut each stream at every position.
  Ends probe(P::kPreferEncrypted, P::kPreferEncrypted, 7);
  const Connection whole = run(probe.a, probe.b, chunks_of(100000), chunks_of(100000));
  expect_connected(whole, CryptoMethod::kRc4, bt_handshake(kSkey));
  for (std::size_t at = 1; at < whole.wire_to_responder.size(); ++at) {
    Ends e(P::kPreferEncrypted, P::kPreferEncrypted, 7);
    SCOPED_TRACE(testing::Message() << "to_b split at " << at);
    expect_connected(run(e.a, e.b, split_at(at), chunks_of(100000)), CryptoMethod::kRc4,
                     bt_handshake(kSkey));
  }
  for (std::size_t at = 1; at < whole.wire_to_initiator.size(); ++at) {
    Ends e(P::kPreferEncrypted, P::kPreferEncrypted, 7);
    SCOPED_TRACE(testing::Message() << "to_a split at " << at);
    expect_connected(run(e.a, e.b, chunks_of(100000), split_at(at)), CryptoMethod::kRc4,
                     bt_handshake(kSkey));
  }
}

TEST(MseHandshake, CompletesWithManyRandomPads) {
  for (std::uint32_t seed = 100; seed < 160; ++seed) {
    Ends e(P::kRequire, P::kRequire, seed);
    SCOPED_TRACE(seed);
    expect_connected(run(e.a, e.b, chunks_of(1 + seed % 50), chunks_of(1 + seed % 37)),
                     CryptoMethod::kRc4, bt_handshake(kSkey));
  }
}

TEST(MseHandshake, PlaintextSelectionLeavesTheStreamInTheClearButNotTheInitialPayload) {
  Ends e(P::kPreferPlaintext, P::kPreferPlaintext, 3);
  const Connection r = run(e.a, e.b, chunks_of(1), chunks_of(1));
  expect_connected(r, CryptoMethod::kPlaintext, bt_handshake(kSkey));
  EXPECT_FALSE(e.a.outcome().cipher.encrypted());
  EXPECT_FALSE(e.b.outcome().cipher.encrypted());
  // IA is always RC4 (ENCRYPT), the payload after it follows crypto_select (ENCRYPT2).
  EXPECT_EQ(r.wire_to_responder.find("BitTorrent protocol"), std::string::npos);
  EXPECT_NE(r.wire_to_responder.find(kFromA), std::string::npos);
  EXPECT_NE(r.wire_to_initiator.find(kFromB), std::string::npos);
}

TEST(MseHandshake, EmptyInitialPayloadIsAllowed) {
  Ends e(P::kPreferEncrypted, P::kRequire, 5, {}, kSkey, "");
  expect_connected(run(e.a, e.b, chunks_of(13), chunks_of(17)), CryptoMethod::kRc4, "");
}

TEST(MseHandshake, EveryPolicyPairAgreesOnTheExpectedMethod) {
  struct Row {
    P initiator, responder;
    CryptoMethod want;
  };
  const Row rows[] = {
      {P::kPreferPlaintext, P::kPreferPlaintext, CryptoMethod::kPlaintext},
      {P::kPreferPlaintext, P::kPreferEncrypted, CryptoMethod::kRc4},
      {P::kPreferPlaintext, P::kRequire, CryptoMethod::kRc4},
      {P::kPreferEncrypted, P::kPreferPlaintext, CryptoMethod::kPlaintext},
      {P::kPreferEncrypted, P::kPreferEncrypted, CryptoMethod::kRc4},
      {P::kPreferEncrypted, P::kRequire, CryptoMethod::kRc4},
      {P::kRequire, P::kPreferPlaintext, CryptoMethod::kRc4},
      {P::kRequire, P::kPreferEncrypted, CryptoMethod::kRc4},
      {P::kRequire, P::kRequire, CryptoMethod::kRc4},
  };
  for (const Row& row : rows) {
    Ends e(row.initiator, row.responder, 11);
    SCOPED_TRACE(testing::Message()
                 << static_cast<int>(row.initiator) << " -> " << static_cast<int>(row.responder));
    expect_connected(run(e.a, e.b, chunks_of(64), chunks_of(64)), row.want, bt_handshake(kSkey));
  }
}

TEST(MseHandshake, ResponderRejectsAnInfohashItDoesNotServe) {
  Ends e(P::kPreferEncrypted, P::kPreferEncrypted, 9, {}, kOtherSkey);
  const Connection r = run(e.a, e.b, chunks_of(100000), chunks_of(100000));
  ASSERT_EQ(r.responder, MseStatus::kFailed);
  EXPECT_EQ(r.responder_error.code, make_error_code(MseErrc::kUnknownInfohash));
  EXPECT_EQ(r.initiator, MseStatus::kNeedMore);  // the socket loop's deadline ends it
}

TEST(MseHandshake, SkeyOfAV2TorrentIsTheTruncatedSha256) {
  const InfoHashV2 v2 =
      *InfoHashV2::from_hex("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");
  MseSkeyIndex index;
  index.add(InfoHashes{std::nullopt, v2});
  EXPECT_EQ(index.size(), 1u);
  MseInitiator a(truncate(v2), P::kRequire, seeded(1), bt_handshake(truncate(v2)));
  MseResponder b(index.lookup(), P::kRequire, seeded(2));
  const Connection r = run(a, b, chunks_of(33), chunks_of(33));
  ASSERT_EQ(r.responder, MseStatus::kDone) << r.responder_error.message();
  ASSERT_EQ(r.initiator, MseStatus::kDone) << r.initiator_error.message();
  EXPECT_EQ(r.responder_skey, truncate(v2));
  EXPECT_EQ(r.responder_app, bt_handshake(truncate(v2)) + std::string(kFromA));
}

TEST(MseHandshake, HybridTorrentIsFoundByEitherId) {
  const InfoHashV2 v2 =
      *InfoHashV2::from_hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  MseSkeyIndex index;
  index.add(InfoHashes{kSkey, v2});
  EXPECT_EQ(index.size(), 2u);
  for (const InfoHashV1& id : {kSkey, truncate(v2)}) {
    MseInitiator a(id, P::kRequire, seeded(4));
    MseResponder b(index.lookup(), P::kRequire, seeded(5));
    const Connection r = run(a, b, chunks_of(100), chunks_of(100));
    ASSERT_EQ(r.responder, MseStatus::kDone);
    EXPECT_EQ(r.responder_skey, id);
  }
  index.remove(InfoHashes{kSkey, v2});
  EXPECT_EQ(index.size(), 0u);
}

// --- Against hand-built peers ------------------------------------------------

// A peer that plays one side from the spec's formulas, computed here from
// SHA-1 and RC4 directly (not through mse_keys).
struct SpecPeer {
  DhKeyExchange dh;
  DhKey secret{};
  explicit SpecPeer(std::uint8_t seed) : dh(key(seed)) {}
  static DhPrivateKey key(std::uint8_t seed) {
    DhPrivateKey k;
    for (std::size_t n = 0; n < k.size(); ++n)
      k[n] = static_cast<std::uint8_t>(seed * 31 + n * 7 + 1);
    return k;
  }
  void agree(std::string_view remote_key) {
    secret = *dh.shared_secret(bytes(remote_key).first<kDhKeySize>());
  }
  std::string hash(std::string_view tag, std::string_view extra = {}) const {
    const auto d = sha1(std::string(tag) + chars(secret) + std::string(extra));
    return {reinterpret_cast<const char*>(d.data()), d.size()};
  }
  Rc4 rc4(std::string_view tag, const InfoHashV1& skey) const {
    const auto d = sha1(std::string(tag) + chars(secret) + std::string(skey.view()));
    Rc4 r(d);
    r.discard(1024);
    return r;
  }
};

std::string xor20(std::string a, std::string_view b) {
  for (std::size_t n = 0; n < 20; ++n) a[n] = static_cast<char>(a[n] ^ b[n]);
  return a;
}

std::string be(std::uint64_t v, int size) {
  std::string out;
  for (int n = size - 1; n >= 0; --n) out.push_back(static_cast<char>((v >> (8 * n)) & 0xff));
  return out;
}

// Step 3 as an initiator would send it.
struct Step3 {
  std::string vc = std::string(8, '\0');
  std::uint32_t provide = 0x02;
  std::size_t pad_c = 0;
  std::string ia{};
  InfoHashV1 skey = kSkey;
};

std::string step3(const SpecPeer& a, const Step3& s, Rc4* send_out = nullptr) {
  const std::string sha_skey = [&] {
    const auto d = sha1("req2" + std::string(s.skey.view()));
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
  }();
  std::string out = a.hash("req1") + xor20(sha_skey, a.hash("req3"));
  std::string enc = s.vc + be(s.provide, 4) + be(s.pad_c, 2) + std::string(s.pad_c, 'p') +
                    be(s.ia.size(), 2) + s.ia;
  Rc4 rc4 = a.rc4("keyA", s.skey);
  rc4.apply(std::span<char>(enc));
  if (send_out) *send_out = rc4;
  return out + enc;
}

// A responder under test, fed a spec peer's Ya + PadA + step 3.
struct ResponderUnderTest {
  MseSkeyIndex index;
  MseResponder b;
  SpecPeer a{42};
  std::string yb;
  explicit ResponderUnderTest(P policy = P::kPreferEncrypted)
      : b(index.lookup(), policy, seeded(77), MseOptions{0}) {
    index.add(kSkey);
  }
  MseStep hello(std::string_view pad_a = {}) {
    MseStep step = b.feed(chars(a.dh.public_key()) + std::string(pad_a));
    if (step.to_send.size() >= kDhKeySize) {
      yb = step.to_send.substr(0, kDhKeySize);
      a.agree(yb);
    }
    return step;
  }
};

TEST(MseResponder, AnswersYaWithExactlyYbWhenPadsAreDisabled) {
  ResponderUnderTest t;
  const MseStep step = t.hello();
  EXPECT_EQ(step.status, MseStatus::kNeedMore);
  ASSERT_EQ(step.to_send.size(), kDhKeySize);
  // Yb = 2^Xb mod P with Xb the first 20 bytes of its random source.
  DhPrivateKey xb;
  seeded(77)(xb);
  EXPECT_EQ(step.to_send, chars(DhKeyExchange(xb).public_key()));
}

TEST(MseResponder, Step4MatchesTheSpecLayout) {
  ResponderUnderTest t;
  t.hello();
  const MseStep step = t.b.feed(step3(t.a, Step3{.provide = 0x03, .ia = bt_handshake(kSkey)}));
  ASSERT_EQ(step.status, MseStatus::kDone) << t.b.error().message();
  // ENCRYPT(VC, crypto_select = RC4, len(PadD) = 0) with HASH('keyB', S, SKEY).
  std::string plain = step.to_send;
  Rc4 rc4 = t.a.rc4("keyB", kSkey);
  rc4.apply(std::span<char>(plain));
  EXPECT_EQ(to_hex(plain),
            "0000000000000000"
            "00000002"
            "0000");
  EXPECT_EQ(t.b.outcome().payload, bt_handshake(kSkey));
  EXPECT_TRUE(t.b.outcome().mse);
}

TEST(MseResponder, FindsTheSyncHashAfterTheLongestPadA) {
  for (std::size_t pad : {std::size_t{0}, std::size_t{1}, std::size_t{511}, kMsePadMax}) {
    ResponderUnderTest t;
    t.hello(std::string(pad, 'x'));
    const MseStep step = t.b.feed(step3(t.a, Step3{.ia = "IA"}));
    ASSERT_EQ(step.status, MseStatus::kDone) << pad << ": " << t.b.error().message();
    EXPECT_EQ(t.b.outcome().payload, "IA");
  }
}

TEST(MseResponder, GivesUpWhenNoSyncHashStartsWithin512PadBytes) {
  ResponderUnderTest t;
  EXPECT_EQ(t.hello().status, MseStatus::kNeedMore);
  // Garbage where PadA and HASH('req1', S) would be: 512 + 20 bytes is the
  // last point the hash could have ended.
  const std::string garbage(kMsePadMax + 20 - 1, 'g');
  EXPECT_EQ(t.b.feed(garbage).status, MseStatus::kNeedMore);
  EXPECT_EQ(t.b.feed("g").status, MseStatus::kFailed);
  EXPECT_EQ(t.b.error().code, make_error_code(MseErrc::kSyncNotFound));
  EXPECT_EQ(t.b.error().offset, kDhKeySize);  // where PadA would start
  EXPECT_EQ(t.b.error().message(), "mse: sync point not found within the padding limit at byte 96");
}

TEST(MseResponder, RandomBytesAfterARandomKeyEndInSyncNotFound) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::string noise(kDhKeySize + kMseResponderSyncWindow, '\0');
    for (char& c : noise) c = static_cast<char>(rng() & 0xff);
    noise[0] = 0x42;  // below P, so a valid-looking Ya
    MseSkeyIndex index;
    index.add(kSkey);
    MseResponder b(index.lookup(), P::kPreferEncrypted, seeded(seed));
    const MseStep step = b.feed(noise);
    EXPECT_EQ(step.status, MseStatus::kFailed);
    EXPECT_GE(step.to_send.size(), kDhKeySize);  // Yb + PadB went out first
    EXPECT_EQ(b.error().code, make_error_code(MseErrc::kSyncNotFound));
  }
}

TEST(MseResponder, RejectsAWrongVerificationConstant) {
  ResponderUnderTest t;
  t.hello();
  EXPECT_EQ(t.b.feed(step3(t.a, Step3{.vc = std::string(7, '\0') + "\x01"})).status,
            MseStatus::kFailed);
  EXPECT_EQ(t.b.error().code, make_error_code(MseErrc::kBadVerificationConstant));
}

TEST(MseResponder, RejectsAnInitiatorOfferingNoAcceptableMethod) {
  struct Row {
    P policy;
    std::uint32_t provide;
  };
  for (const Row row :
       {Row{P::kRequire, 0x01}, Row{P::kPreferEncrypted, 0x00}, Row{P::kPreferPlaintext, 0x04}}) {
    ResponderUnderTest t(row.policy);
    t.hello();
    EXPECT_EQ(t.b.feed(step3(t.a, Step3{.provide = row.provide})).status, MseStatus::kFailed);
    EXPECT_EQ(t.b.error().code, make_error_code(MseErrc::kNoCommonCryptoMethod));
  }
}

TEST(MseResponder, AcceptsPadCUpTo512AndRejectsLonger) {
  {
    ResponderUnderTest t;
    t.hello();
    EXPECT_EQ(t.b.feed(step3(t.a, Step3{.pad_c = kMsePadMax, .ia = "x"})).status, MseStatus::kDone);
    EXPECT_EQ(t.b.outcome().payload, "x");
  }
  {
    ResponderUnderTest t;
    t.hello();
    EXPECT_EQ(t.b.feed(step3(t.a, Step3{.pad_c = kMsePadMax + 1})).status, MseStatus::kFailed);
    EXPECT_EQ(t.b.error().code, make_error_code(MseErrc::kPadTooLong));
    EXPECT_EQ(t.b.error().offset, kDhKeySize + 2 * kMseHashSize);  // at ENCRYPT(VC, ...)
  }
}

TEST(MseResponder, RejectsDegenerateYaWithoutAnswering) {
  for (const DhKey& bad : {DhKey{}, [] {
                             DhKey one{};
                             one.back() = 1;
                             return one;
                           }()}) {
    MseSkeyIndex index;
    MseResponder b(index.lookup(), P::kPreferEncrypted, seeded(1));
    const MseStep step = b.feed(chars(bad));
    EXPECT_EQ(step.status, MseStatus::kFailed);
    EXPECT_TRUE(step.to_send.empty());
    EXPECT_EQ(b.error().code, make_error_code(MseErrc::kBadPublicKey));
  }
}

TEST(MseResponder, WaitsOnATruncatedPublicKey) {
  MseSkeyIndex index;
  MseResponder b(index.lookup(), P::kPreferEncrypted, seeded(1));
  const MseStep step = b.feed(std::string(kDhKeySize - 1, '\x55'));
  EXPECT_EQ(step.status, MseStatus::kNeedMore);
  EXPECT_TRUE(step.to_send.empty());
}

TEST(MseResponder, HandsAPlaintextHandshakeOverWhenThePolicyAllowsIt) {
  MseSkeyIndex index;
  MseResponder b(index.lookup(), P::kPreferEncrypted, seeded(1));
  const std::string hs = bt_handshake(kSkey) + "more";
  EXPECT_EQ(b.feed(hs.substr(0, 19)).status, MseStatus::kNeedMore);
  const MseStep step = b.feed(hs.substr(19));
  ASSERT_EQ(step.status, MseStatus::kDone);
  EXPECT_TRUE(step.to_send.empty());
  EXPECT_FALSE(b.outcome().mse);
  EXPECT_EQ(b.outcome().method, CryptoMethod::kPlaintext);
  EXPECT_EQ(b.outcome().payload, hs);
}

TEST(MseResponder, RefusesAPlaintextHandshakeWhenEncryptionIsRequired) {
  MseSkeyIndex index;
  MseResponder b(index.lookup(), P::kRequire, seeded(1));
  EXPECT_EQ(b.feed(bt_handshake(kSkey)).status, MseStatus::kFailed);
  EXPECT_EQ(b.error().code, make_error_code(MseErrc::kPlaintextRefused));
}

TEST(MseResponder, IgnoresInputAfterFailing) {
  MseSkeyIndex index;
  MseResponder b(index.lookup(), P::kRequire, seeded(1));
  EXPECT_EQ(b.feed(std::string(kDhKeySize, '\0')).status, MseStatus::kFailed);
  const MseStep again = b.feed(std::string(1000, 'z'));
  EXPECT_EQ(again.status, MseStatus::kFailed);
  EXPECT_TRUE(again.to_send.empty());
}

// An initiator under test against a spec responder.
struct InitiatorUnderTest {
  MseInitiator a;
  SpecPeer b{99};
  std::string ya;
  explicit InitiatorUnderTest(P policy = P::kPreferEncrypted, std::string ia = "IA!")
      : a(kSkey, policy, seeded(55), std::move(ia), MseOptions{0}) {
    ya = a.start();
    b.agree(ya);
  }
  // Yb + PadB, which makes the initiator send step 3.
  MseStep hello(std::string_view pad_b = {}) {
    return a.feed(chars(b.dh.public_key()) + std::string(pad_b));
  }
  // ENCRYPT(VC, crypto_select, len(PadD), PadD) and, RC4 assumed, ENCRYPT2(tail).
  std::string step4(std::uint32_t select, std::size_t pad_d, std::string_view tail = {}) const {
    std::string plain = std::string(8, '\0') + be(select, 4) + be(pad_d, 2) +
                        std::string(pad_d, 'd') + std::string(tail);
    Rc4 rc4 = b.rc4("keyB", kSkey);
    rc4.apply(std::span<char>(plain));
    return plain;
  }
};

TEST(MseInitiator, FirstMessageIsYaWhenPadsAreDisabled) {
  InitiatorUnderTest t;
  DhPrivateKey xa;
  seeded(55)(xa);
  EXPECT_EQ(t.ya, chars(DhKeyExchange(xa).public_key()));
}

TEST(MseInitiator, Step3MatchesTheSpecLayout) {
  InitiatorUnderTest t(P::kPreferEncrypted, bt_handshake(kSkey));
  const MseStep step = t.hello();
  EXPECT_EQ(step.status, MseStatus::kNeedMore);
  const std::string& s = step.to_send;
  ASSERT_EQ(s.size(), 20u + 20 + 8 + 4 + 2 + 2 + 68);
  EXPECT_EQ(s.substr(0, 20), t.b.hash("req1"));
  const auto req2 = sha1("req2" + std::string(kSkey.view()));
  EXPECT_EQ(s.substr(20, 20),
            xor20(std::string(reinterpret_cast<const char*>(req2.data()), 20), t.b.hash("req3")));
  std::string rest = s.substr(40);
  Rc4 rc4 = t.b.rc4("keyA", kSkey);
  rc4.apply(std::span<char>(rest));
  // VC, crypto_provide = plaintext | RC4, len(PadC) = 0, len(IA) = 68, IA.
  EXPECT_EQ(to_hex(rest.substr(0, 16)),
            "0000000000000000"
            "00000003"
            "0000"
            "0044");
  EXPECT_EQ(rest.substr(16), bt_handshake(kSkey));
}

TEST(MseInitiator, RequirePolicyProvidesOnlyRc4) {
  InitiatorUnderTest t(P::kRequire);
  std::string rest = t.hello().to_send.substr(40);
  Rc4 rc4 = t.b.rc4("keyA", kSkey);
  rc4.apply(std::span<char>(rest));
  EXPECT_EQ(to_hex(rest.substr(8, 4)), "00000002");
}

TEST(MseInitiator, FindsTheVerificationConstantAfterTheLongestPadB) {
  for (std::size_t pad : {std::size_t{0}, std::size_t{3}, kMsePadMax}) {
    InitiatorUnderTest t;
    t.hello(std::string(pad, 'q'));
    const MseStep step = t.a.feed(t.step4(0x02, 5, "payload after PadD"));
    ASSERT_EQ(step.status, MseStatus::kDone) << pad << ": " << t.a.error().message();
    EXPECT_EQ(t.a.outcome().method, CryptoMethod::kRc4);
    EXPECT_EQ(t.a.outcome().payload, "payload after PadD");
  }
}

TEST(MseInitiator, GivesUpWhenNoVerificationConstantStartsWithin512PadBytes) {
  InitiatorUnderTest t;
  EXPECT_EQ(t.hello().status, MseStatus::kNeedMore);
  EXPECT_EQ(t.a.feed(std::string(kMsePadMax + 8 - 1, 'v')).status, MseStatus::kNeedMore);
  EXPECT_EQ(t.a.feed("v").status, MseStatus::kFailed);
  EXPECT_EQ(t.a.error().code, make_error_code(MseErrc::kSyncNotFound));
}

TEST(MseInitiator, RejectsASelectItDidNotProvide) {
  struct Row {
    P policy;
    std::uint32_t select;
  };
  for (const Row row : {Row{P::kRequire, 0x01}, Row{P::kPreferEncrypted, 0x03},
                        Row{P::kPreferEncrypted, 0x00}, Row{P::kPreferPlaintext, 0x08}}) {
    InitiatorUnderTest t(row.policy);
    t.hello();
    EXPECT_EQ(t.a.feed(t.step4(row.select, 0)).status, MseStatus::kFailed);
    EXPECT_EQ(t.a.error().code, make_error_code(MseErrc::kInvalidCryptoSelect));
  }
}

TEST(MseInitiator, RejectsPadDLongerThan512) {
  InitiatorUnderTest t;
  t.hello();
  EXPECT_EQ(t.a.feed(t.step4(0x02, kMsePadMax + 1)).status, MseStatus::kFailed);
  EXPECT_EQ(t.a.error().code, make_error_code(MseErrc::kPadTooLong));
  EXPECT_EQ(t.a.error().offset, kDhKeySize + kMseVcSize);  // at crypto_select
}

TEST(MseInitiator, RejectsADegenerateYb) {
  MseInitiator a(kSkey, P::kRequire, seeded(1));
  a.start();
  DhKey p_minus_1 = dh_prime();
  p_minus_1.back() -= 1;
  const MseStep step = a.feed(chars(p_minus_1));
  EXPECT_EQ(step.status, MseStatus::kFailed);
  EXPECT_TRUE(step.to_send.empty());
  EXPECT_EQ(a.error().code, make_error_code(MseErrc::kBadPublicKey));
}

TEST(MseInitiator, FlagsASharedSecretStartingWithAZeroByte) {
  // libtorrent before 2.0.13 drops such exchanges (see the header); about 1
  // initiator key in 256 gives one against a fixed peer.
  DhGroup group;
  const SpecPeer b{99};
  int flagged = 0;
  int clear = 0;
  for (std::uint32_t seed = 0; seed < 4096 && flagged < 2; ++seed) {
    MseInitiator a(kSkey, P::kRequire, seeded(seed), {}, MseOptions{0, &group});
    SpecPeer peer = b;
    peer.agree(a.start());
    EXPECT_FALSE(a.secret_has_leading_zero());  // unknown before Yb
    ASSERT_EQ(a.feed(chars(peer.dh.public_key())).status, MseStatus::kNeedMore);
    EXPECT_EQ(a.secret_has_leading_zero(), peer.secret[0] == 0) << seed;
    (peer.secret[0] == 0 ? flagged : clear) += 1;
  }
  EXPECT_EQ(flagged, 2);
  EXPECT_GT(clear, 100);
}

TEST(MseHandshake, CompletesWithAPreparedDhGroupOnBothSides) {
  DhGroup group;
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    Ends e(P::kRequire, P::kRequire, seed, MseOptions{kMsePadMax, &group});
    expect_connected(run(e.a, e.b, chunks_of(1000), chunks_of(1000)), CryptoMethod::kRc4,
                     bt_handshake(kSkey));
  }
}

TEST(MseInitiator, GarbageAfterAPlausibleYbEndsInSyncNotFound) {
  MseInitiator a(kSkey, P::kPreferEncrypted, seeded(3));
  a.start();
  std::mt19937 rng(5);
  std::string garbage(kDhKeySize + kMseInitiatorSyncWindow, '\0');
  for (char& c : garbage) c = static_cast<char>(rng() & 0xff);
  garbage[0] = 0x10;  // keep the "key" below P
  const MseStep step = a.feed(garbage);
  EXPECT_EQ(step.status, MseStatus::kFailed);
  EXPECT_FALSE(step.to_send.empty());  // step 3 went out before the scan failed
  EXPECT_EQ(a.error().code, make_error_code(MseErrc::kSyncNotFound));
}

}  // namespace
}  // namespace magnetar::crawler::wire
