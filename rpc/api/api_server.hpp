// The public API's gRPC server: the Magnetar service, standard health
// checking (grpc.health.v1) and server reflection, request size limits, and
// TLS when a certificate and key are configured.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rpc/api/api_service.hpp"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace magnetar::rpc {

struct ApiServerOptions {
  std::string listen = "127.0.0.1:7880";  // host:port; port 0 picks a free one
  std::string tls_cert_file;              // PEM; TLS when both files are set
  std::string tls_key_file;
  ApiServiceOptions service;
  // More services on the same port (magnetar.v1.Pins), owned by the caller
  // and outliving the server.
  std::vector<grpc::Service*> extra_services;
};

class ApiServer {
 public:
  // Throws std::runtime_error with a one-line reason (unreadable TLS files,
  // address in use).
  ApiServer(ApiServerOptions options, indexer::store::TorrentStore& store);
  ~ApiServer();  // shuts down, letting calls in flight finish for a moment
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // host:port with the real port.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  bool tls() const { return tls_; }

 private:
  std::unique_ptr<ApiService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int port_ = 0;
  bool tls_ = false;
};

}  // namespace magnetar::rpc
