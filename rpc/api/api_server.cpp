#include "rpc/api/api_server.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "rpc/api/api_limits.hpp"

namespace magnetar::rpc {
namespace {

// How long a stopping server lets calls in flight finish.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read the TLS ") + what + " " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<grpc::ServerCredentials> credentials(const ApiServerOptions& o) {
  if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return grpc::InsecureServerCredentials();
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    throw std::runtime_error("TLS needs both api.tls_cert and api.tls_key");
  }
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back(
      {read_file(o.tls_key_file, "key"), read_file(o.tls_cert_file, "certificate")});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

ApiServer::ApiServer(ApiServerOptions options, indexer::store::TorrentStore& store) {
  if (options.service.token.empty()) throw std::runtime_error("the API token must not be empty");
  tls_ = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  const auto creds = credentials(options);
  service_ = std::make_unique<ApiService>(options.service, store);
  // Both are process-wide switches of gRPC, read when a server is built.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, creds, &port_);
  builder.SetMaxReceiveMessageSize(kMaxApiRequestBytes);
  builder.SetMaxSendMessageSize(kMaxApiResponseBytes);
  builder.RegisterService(service_.get());
  for (auto* extra : options.extra_services) builder.RegisterService(extra);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) throw std::runtime_error("cannot listen on " + options.listen);
  address_ = options.listen.substr(0, options.listen.rfind(':') + 1) + std::to_string(port_);
}

ApiServer::~ApiServer() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
}

}  // namespace magnetar::rpc
