// Everything `magnetar serve` runs on the hub side, started in order and
// stopped in reverse: PostgreSQL (the configured server, or an embedded
// cluster under data_dir), the migrations, the torrent store, the classifier
// and banned filter, the ingest pipeline, and the gRPC server with the hub's
// internal service, and the public API server. Construction throws with a
// one-line reason on failure.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/config.hpp"

namespace magnetar::app {

class HubRuntime {
 public:
  explicit HubRuntime(const Config& config);
  ~HubRuntime();
  HubRuntime(const HubRuntime&) = delete;
  HubRuntime& operator=(const HubRuntime&) = delete;

  // The address the hub's internal gRPC server listens on, with the real port.
  const std::string& listen_address() const;
  // The public API's address, with the real port.
  const std::string& api_address() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// The cluster token: the hub.token setting, or one generated once and kept
// in data_dir/cluster-token (mode 0600) for a single-machine setup.
std::string cluster_token(const Config& config);
// The API token likewise: api.token, or data_dir/api-token.
std::string api_token(const Config& config);

}  // namespace magnetar::app
