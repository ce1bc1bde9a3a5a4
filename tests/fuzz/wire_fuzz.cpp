// libFuzzer target: the peer-wire decoders and both session state machines
// on arbitrary bytes. Checks, beyond "no crash, no leak": the message reader
// never yields more than its cap and never buffers more than it was given;
// every decoded value is within its named bounds and re-encodes to something
// that decodes to the same; a fetch that succeeds has verified its hash; the
// sessions' output stays proportional to their input.
//
// The first input byte picks the chunk size the sessions are fed with, so
// the fuzzer also explores how messages are split.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/sha.hpp"
#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/message_codec.hpp"
#include "crawler/wire/metadata_server_session.hpp"
#include "crawler/wire/metadata_session.hpp"
#include "crawler/wire/metadata_source.hpp"
#include "crawler/wire/pex.hpp"
#include "crawler/wire/ut_metadata.hpp"

using namespace magnetar;
using namespace magnetar::crawler::wire;

namespace {

#define CHECK(cond)            \
  do {                         \
    if (!(cond)) std::abort(); \
  } while (0)

// An info dict whose id the sessions look for: a fuzzer that rebuilds its
// bytes from the ut_metadata pieces reaches the success path.
const std::string kInfo =
    "d6:lengthi1e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae";

InfoHashV1 info_id() { return InfoHashV1(sha1(kInfo)); }

class OneSource final : public MetadataSource {
 public:
  std::shared_ptr<const std::string> find(const InfoHashV1& id) override {
    if (id != info_id()) return nullptr;
    return std::make_shared<const std::string>(kInfo);
  }
};

// One message as (skipped, id, length), payload bytes aside.
struct Seen {
  bool keep_alive, skipped;
  std::uint8_t id;
  std::uint32_t length;
  std::string payload;
};

std::vector<Seen> read_messages(std::string_view data, std::size_t max_buffered,
                                std::size_t chunk) {
  MessageReader reader(kMaxMessageLength, max_buffered);
  std::vector<Seen> out;
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    reader.feed(data.substr(at, chunk));
    while (true) {
      auto m = reader.next();
      if (!m || !*m) break;
      const Message& msg = **m;
      CHECK(msg.payload.size() < kMaxMessageLength);
      if (msg.keep_alive) CHECK(msg.payload.empty() && msg.length == 0);
      if (msg.skipped) CHECK(msg.payload.empty() && msg.length > max_buffered);
      if (!msg.keep_alive && !msg.skipped) CHECK(msg.payload.size() + 1 == msg.length);
      out.push_back({msg.keep_alive, msg.skipped, msg.id, msg.length, std::string(msg.payload)});
    }
    // What is buffered is at most one chunk plus one buffered message.
    CHECK(reader.buffered() <= chunk + max_buffered + kLengthPrefixSize);
  }
  return out;
}

void fuzz_reader(std::string_view data, std::size_t chunk) {
  // Whole and skipping readers agree on every message but the skipped payloads.
  const auto whole = read_messages(data, kMaxMessageLength, data.size() + 1);
  const auto skipping = read_messages(data, 16, chunk);
  // A skipped message is reported at its header, so the skipping reader may
  // report one (skipped) message that the whole reader still waits for.
  CHECK(skipping.size() <= whole.size() + 1);
  if (skipping.size() > whole.size()) CHECK(skipping.back().skipped);
  for (std::size_t i = 0; i < std::min(skipping.size(), whole.size()); ++i) {
    CHECK(skipping[i].id == whole[i].id && skipping[i].length == whole[i].length);
    if (!skipping[i].skipped) CHECK(skipping[i].payload == whole[i].payload);
  }
  std::size_t complete = 0;
  for (const Seen& s : whole) complete += kLengthPrefixSize + s.length;
  CHECK(complete <= data.size());
}

void fuzz_handshake(std::string_view data) {
  auto h = decode_handshake(data);
  if (!h || !*h) return;
  CHECK(data.size() >= kHandshakeSize);
  CHECK(encode_handshake(**h) == data.substr(0, kHandshakeSize));
}

void fuzz_extension_handshake(std::string_view data) {
  auto h = decode_extension_handshake(data);
  if (!h) return;
  if (h->metadata_size) CHECK(*h->metadata_size > 0 && *h->metadata_size <= kMaxMetadataSize);
  CHECK(h->m.size() <= kMaxExtensionEntries);
  if (h->yourip) CHECK(h->yourip->size() == 4 || h->yourip->size() == 16);
  if (h->listen_port) CHECK(*h->listen_port != 0);
  const std::string once = encode_extension_handshake(*h);
  auto again = decode_extension_handshake(once);
  CHECK(again.ok());
  CHECK(encode_extension_handshake(*again) == once);
}

void fuzz_ut_metadata(std::string_view data) {
  auto m = decode_ut_metadata(data);
  if (!m) return;
  if (m->type == UtMetadataType::kData) {
    CHECK(m->total_size && *m->total_size > 0 && *m->total_size <= kMaxMetadataSize);
    CHECK(m->data.data() >= data.data() &&
          m->data.data() + m->data.size() == data.data() + data.size());
    const std::string encoded = encode_ut_metadata_data(m->piece, *m->total_size, m->data);
    auto again = decode_ut_metadata(encoded);  // views into `encoded`
    CHECK(again.ok() && again->piece == m->piece && again->data == m->data);
  } else if (m->type == UtMetadataType::kRequest) {
    auto again = decode_ut_metadata(encode_ut_metadata_request(m->piece));
    CHECK(again.ok() && again->piece == m->piece && again->type == m->type);
  }
}

void fuzz_pex(std::string_view data) {
  auto m = decode_pex(data);
  if (!m) return;
  CHECK(m->added.size() + m->dropped.size() <= kMaxPexEntries);
  auto again = decode_pex(encode_pex(*m));
  CHECK(again.ok() && *again == *m);
}

// Feeds `data` to `feed` in chunks of `chunk` bytes.
template <class F>
void in_chunks(std::string_view data, std::size_t chunk, F&& feed) {
  for (std::size_t at = 0; at < data.size(); at += chunk) feed(data.substr(at, chunk));
}

void fuzz_client(std::string_view data, std::size_t chunk, bool extensions_done) {
  MetadataSessionConfig config;
  MetadataSession s(ExpectedInfoHash::from_id(info_id()), config);
  std::size_t output = s.take_output().size();
  ReservedBits bits;
  bits.set_extension_protocol();
  std::string prefix = encode_handshake(Handshake{bits, info_id(), PeerId()});
  if (extensions_done) {
    ExtensionHandshake h;
    h.m = {{"ut_metadata", 3}, {"ut_pex", 4}};
    h.metadata_size = static_cast<std::int64_t>(kInfo.size());
    append_extended(prefix, kExtensionHandshakeId, encode_extension_handshake(h));
  }
  s.on_bytes(prefix);
  output += s.take_output().size();
  in_chunks(data, chunk, [&](std::string_view part) {
    s.on_bytes(part);
    output += s.take_output().size();
    (void)s.take_peers();
  });
  // Requests and rejects answer what came in: output stays proportional.
  CHECK(output <= 4 * data.size() + 4096);
  s.on_deadline();
  CHECK(s.finished());
  auto result = s.take_result();
  if (result.ok()) CHECK(*result == kInfo);
}

void fuzz_server(std::string_view data, std::size_t chunk) {
  OneSource source;
  MetadataServerSession s(source, MetadataServerConfig{});
  ReservedBits bits;
  bits.set_extension_protocol().set_fast_extension();
  s.on_bytes(encode_handshake(Handshake{bits, info_id(), PeerId()}));
  CHECK(!s.finished());
  std::size_t output = s.take_output().size();
  in_chunks(data, chunk, [&](std::string_view part) {
    s.on_bytes(part);
    output += s.take_output().size();
  });
  CHECK(s.pieces_served() + s.requests_rejected() <= kMaxServedRequests);
  // Each served piece costs at least a 20-byte request and yields kInfo plus a header.
  CHECK(output <= 4096 + (s.pieces_served() + s.requests_rejected()) * (kInfo.size() + 128));
  s.on_closed();
  CHECK(s.finished());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  fuzz_handshake(data);
  fuzz_extension_handshake(data);
  fuzz_ut_metadata(data);
  fuzz_pex(data);
  const std::size_t chunk = size == 0 ? 1 : 1 + static_cast<std::uint8_t>(data[0]) % 64;
  const std::string_view rest = size == 0 ? data : data.substr(1);
  fuzz_reader(rest, chunk);
  fuzz_client(rest, chunk, false);
  fuzz_client(rest, chunk, true);
  fuzz_server(rest, chunk);
  return 0;
}
