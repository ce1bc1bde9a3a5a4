// The public Pins API (rpc/proto/magnetar/v1/pins.proto), served beside
// magnetar.v1.Magnetar on the API server: PinMagnet, UnpinMagnet, GetPin,
// ListPins over the pins' rows (rpc/hub/pg_pin_store.hpp). Mutating calls
// need the API token; reads follow api.public_reads. Synchronous handlers on
// gRPC's thread pool, each leasing a PostgreSQL connection for its duration.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/infohash.hpp"
#include "magnetar/v1/pins.grpc.pb.h"
#include "rpc/api/connection_pool.hpp"
#include "rpc/hub/keeper_service.hpp"

namespace magnetar::rpc {

// ListPins pages: 100 by default, at most 1,000 (pins.proto).
inline constexpr std::size_t kDefaultPinPageSize = 100;
inline constexpr std::size_t kMaxPinPageSize = 1000;
// Extra trackers or web seeds in one PinMagnet request.
inline constexpr std::size_t kMaxExtraUrls = 50;

struct PinServiceOptions {
  std::string dsn;
  std::string token;  // the API token; never empty
  bool public_reads = true;
  std::size_t db_connections = 4;
  // As the keeper service's: GetPin shows the keepers the hub assigns.
  std::size_t replication = kDefaultPinReplication;
  std::chrono::milliseconds heartbeat_interval = kDefaultKeeperHeartbeatInterval;
  // store.raw_info = pinned: the info dict was kept for the pin alone, so
  // unpinning deletes it.
  bool drop_info_on_unpin = true;
  // Told of every pin added or changed, and of every unpin (the keeper
  // service of the same process recomputes at once); may be empty.
  std::function<void(const InfoHashV1&)> on_pinned;
  std::function<void(const InfoHashV1&)> on_unpinned;
};

class PinService final : public v1::Pins::Service {
 public:
  explicit PinService(PinServiceOptions options);
  ~PinService() override;

  grpc::Status PinMagnet(grpc::ServerContext* context, const v1::PinMagnetRequest* request,
                         v1::Pin* response) override;
  grpc::Status UnpinMagnet(grpc::ServerContext* context, const v1::UnpinMagnetRequest* request,
                           v1::UnpinMagnetResponse* response) override;
  grpc::Status GetPin(grpc::ServerContext* context, const v1::GetPinRequest* request,
                      v1::Pin* response) override;
  grpc::Status ListPins(grpc::ServerContext* context, const v1::ListPinsRequest* request,
                        v1::ListPinsResponse* response) override;

 private:
  grpc::Status check_read(const grpc::ServerContext& context) const;

  const PinServiceOptions options_;
  ConnectionPool pool_;
};

}  // namespace magnetar::rpc
