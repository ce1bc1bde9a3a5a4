// End to end in memory: a MetadataSession (client) talking to a
// MetadataServerSession (server), bytes moved between them in chunks of
// various sizes, as a socket loop would.
#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/metadata_server_session.hpp"
#include "crawler/wire/metadata_session.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace testing;

struct Exchange {
  Result<std::string> result = Error(SessionErrc::kProtocolError);
  std::size_t pieces_served = 0;
  int rounds = 0;
};

// Moves at most `chunk` bytes per step each way until the client finishes
// or nothing moves (a stall).
Exchange exchange(const ExpectedInfoHash& target, MetadataSource& source, std::size_t chunk) {
  MetadataSessionConfig client_config;
  client_config.peer_id = filled_peer_id('c');
  MetadataServerConfig server_config;
  server_config.peer_id = filled_peer_id('s');
  MetadataSession client(target, client_config);
  MetadataServerSession server(source, server_config);
  std::string to_server, to_client;
  Exchange e;
  while (!client.finished() && !server.finished()) {
    to_server += client.take_output();
    to_client += server.take_output();
    if (to_server.empty() && to_client.empty()) break;  // stalled
    const std::size_t a = std::min(chunk, to_server.size());
    server.on_bytes(std::string_view(to_server).substr(0, a));
    to_server.erase(0, a);
    const std::size_t b = std::min(chunk, to_client.size());
    client.on_bytes(std::string_view(to_client).substr(0, b));
    to_client.erase(0, b);
    ++e.rounds;
  }
  if (!client.finished()) client.on_closed();
  e.result = client.take_result();
  e.pieces_served = server.pieces_served();
  return e;
}

TEST(MetadataExchange, ClientFetchesFromServerForEveryKindOfInfohash) {
  const std::string info = make_info_dict(3 * kMetadataPieceSize + 777);
  const auto v1 = v1_of(info);
  const auto v2 = v2_of(info);
  MapSource source;
  source.add(v1, info);
  source.add(truncate(v2), info);  // a hybrid is served under both ids
  struct Case {
    const char* name;
    ExpectedInfoHash target;
  };
  const Case cases[] = {
      {"v1 id", ExpectedInfoHash::from_id(v1)},
      {"v1", ExpectedInfoHash::from_hashes({v1, std::nullopt})},
      {"v2 only", ExpectedInfoHash::from_hashes({std::nullopt, v2})},
      {"truncated v2 id", ExpectedInfoHash::from_id(truncate(v2))},
      {"hybrid", ExpectedInfoHash::from_hashes({v1, v2})},
  };
  for (const Case& c : cases) {
    for (std::size_t chunk :
         {std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{1} << 20}) {
      const Exchange e = exchange(c.target, source, chunk);
      ASSERT_TRUE(e.result.ok()) << c.name << " chunk " << chunk << ": "
                                 << e.result.error().message();
      EXPECT_EQ(*e.result, info) << c.name;
      EXPECT_EQ(e.pieces_served, 4u) << c.name;
    }
  }
}

TEST(MetadataExchange, FetchesOnePieceAndTheLargestAllowedMetadata) {
  for (std::size_t size : {std::size_t{100}, static_cast<std::size_t>(kMaxMetadataSize)}) {
    const std::string info = make_info_dict(size);
    MapSource source;
    source.add(v1_of(info), info);
    const Exchange e = exchange(ExpectedInfoHash::from_id(v1_of(info)), source, 1 << 16);
    ASSERT_TRUE(e.result.ok()) << size;
    EXPECT_EQ(*e.result, info);
    EXPECT_EQ(e.pieces_served, metadata_piece_count(size));
  }
}

TEST(MetadataExchange, AServerWithTheWrongDictEndsInHashMismatch) {
  const std::string info = make_info_dict(20000);
  MapSource source;
  source.add(v1_of(info), make_info_dict(20000, 'z'));
  const Exchange e = exchange(ExpectedInfoHash::from_id(v1_of(info)), source, 4096);
  ASSERT_FALSE(e.result.ok());
  EXPECT_EQ(e.result.error().code, make_error_code(SessionErrc::kHashMismatch));
}

TEST(MetadataExchange, AServerWithoutTheTorrentClosesAndTheClientSeesRefused) {
  MapSource source;
  const Exchange e = exchange(ExpectedInfoHash::from_id(filled_v1('n')), source, 4096);
  ASSERT_FALSE(e.result.ok());
  EXPECT_EQ(e.result.error().code, make_error_code(SessionErrc::kRefused));
  EXPECT_EQ(source.lookups(), 1);
}

}  // namespace
}  // namespace magnetar::crawler::wire
