// Internal to crawler/ship: the gRPC channel and stub shared by HubClient and
// OutboxShipper, and the token they put on every call.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "magnetar/v1/hub.grpc.pb.h"

namespace magnetar::crawler::ship {

struct HubConnection {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Hub::Stub> stub;
  std::string authorization;  // "Bearer <token>"

  // Adds "authorization: Bearer <token>" (rpc/common/bearer_token.hpp's form).
  void authorize(grpc::ClientContext& context) const {
    context.AddMetadata("authorization", authorization);
  }
};

}  // namespace magnetar::crawler::ship
