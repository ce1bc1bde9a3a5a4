// The public API (magnetar.v1.Magnetar) over the search engine, the torrent
// reads and the store's block list. Synchronous handlers on gRPC's thread
// pool, each leasing a PostgreSQL connection for its duration.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "magnetar/v1/magnetar.grpc.pb.h"
#include "rpc/api/connection_pool.hpp"
#include "rpc/hub/keeper_service.hpp"

namespace magnetar::indexer::store {
class TorrentStore;
}

namespace magnetar::rpc {

struct ApiServiceOptions {
  std::string dsn;
  // Mutating RPCs need "authorization: Bearer <token>"; never empty.
  std::string token;
  // Read-only RPCs (Search, GetTorrent, GetTorrentFile, Stats) without a token.
  bool public_reads = true;
  // Concurrent requests that hold a database connection.
  std::size_t db_connections = 16;
  // Stats lists a keeper as live while its last heartbeat is within this:
  // the hub's rule (kKeeperMissedHeartbeats x keeper.heartbeat_interval), so
  // that the keepers Stats calls live are the ones the hub assigns pins to.
  std::chrono::milliseconds keeper_live_window =
      kDefaultKeeperHeartbeatInterval * kKeeperMissedHeartbeats;
};

class ApiService final : public v1::Magnetar::Service {
 public:
  // store: where Delete and Block go (the hub's, so that no write in flight
  // can bring a blocked torrent back).
  ApiService(ApiServiceOptions options, indexer::store::TorrentStore& store);
  ~ApiService() override;

  grpc::Status Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;
  grpc::Status GetTorrent(grpc::ServerContext* context, const v1::GetTorrentRequest* request,
                          v1::Torrent* response) override;
  grpc::Status GetTorrentFile(grpc::ServerContext* context,
                              const v1::GetTorrentFileRequest* request,
                              v1::TorrentFileContent* response) override;
  grpc::Status Stats(grpc::ServerContext* context, const v1::StatsRequest* request,
                     v1::StatsResponse* response) override;
  grpc::Status DeleteTorrent(grpc::ServerContext* context, const v1::DeleteTorrentRequest* request,
                             v1::DeleteTorrentResponse* response) override;
  grpc::Status BlockInfohash(grpc::ServerContext* context, const v1::BlockInfohashRequest* request,
                             v1::BlockInfohashResponse* response) override;

 private:
  grpc::Status check_read(const grpc::ServerContext& context) const;
  grpc::Status check_write(const grpc::ServerContext& context) const;
  grpc::Status block(const grpc::ServerContext& context, const std::string& id_text,
                     const std::string& reason, const char* default_reason, bool& existed);

  const ApiServiceOptions options_;
  indexer::store::TorrentStore& store_;
  ConnectionPool pool_;
};

}  // namespace magnetar::rpc
