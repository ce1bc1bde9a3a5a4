#include "app/api_client.hpp"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/terminal_text.hpp"
#include "rpc/api/api_limits.hpp"
#include "rpc/common/bearer_token.hpp"

namespace magnetar::app {
namespace {

// A deadline people may ask for with --timeout: up to an hour.
constexpr double kMaxTimeoutSeconds = 3600;
// A PEM bundle of roots is a few hundred kB at most (Debian's whole
// ca-certificates bundle is about 200 kB).
constexpr std::streamsize kMaxPemBytes = 4 << 20;

std::string read_pem(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read TLS roots " + file);
  std::string pem(static_cast<std::size_t>(kMaxPemBytes) + 1, '\0');
  in.read(pem.data(), kMaxPemBytes + 1);
  pem.resize(static_cast<std::size_t>(in.gcount()));
  if (pem.size() > static_cast<std::size_t>(kMaxPemBytes)) {
    throw std::runtime_error("TLS roots " + file + " are too large for a PEM bundle");
  }
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    throw std::runtime_error("TLS roots " + file + " hold no PEM certificate");
  }
  return pem;
}

std::string seconds_text(std::chrono::milliseconds d) {
  std::ostringstream s;
  s << static_cast<double>(d.count()) / 1000.0 << " s";
  return s.str();
}

}  // namespace

void add_api_flags(CLI::App& command, ApiFlags& flags) {
  command.add_option("--api", flags.api,
                     "address of the API, host:port (default: the api.listen setting)");
  command.add_option("--tls-ca", flags.tls_ca,
                     "PEM file of the roots that sign the server's certificate (TLS)");
  command.add_flag("--tls", flags.tls, "TLS with the system's roots");
  command
      .add_option("--timeout", flags.timeout_seconds,
                  "seconds to wait for the answer (default " +
                      std::to_string(kDefaultCallDeadline.count()) + ")")
      ->check(CLI::Range(0.001, kMaxTimeoutSeconds));
}

std::string known_api_token(const Config& config) {
  if (auto token = config.get("api.token"); !token.empty()) return token;
  std::ifstream in(std::filesystem::path(config.get("data_dir")) / "api-token");
  std::string token;
  if (in) std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return token;
}

ApiClientOptions api_client_options(const Config& config, const ApiFlags& flags) {
  ApiClientOptions o;
  o.address = flags.api;
  if (o.address.empty()) o.address = config.get("api.listen");
  o.token = known_api_token(config);
  o.tls_ca_file = flags.tls_ca;
  if (o.tls_ca_file.empty()) o.tls_ca_file = config.get("api.tls_ca");
  // On the server's own machine its certificate, self-signed, is the root.
  if (o.tls_ca_file.empty() && !flags.tls) o.tls_ca_file = config.get("api.tls_cert");
  o.tls = flags.tls || !o.tls_ca_file.empty();
  if (flags.timeout_seconds > 0) {
    o.deadline = std::chrono::milliseconds(std::llround(flags.timeout_seconds * 1000));
  }
  return o;
}

ApiClient::ApiClient(ApiClientOptions options) : options_(std::move(options)) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls) {
    grpc::SslCredentialsOptions ssl;
    if (!options_.tls_ca_file.empty()) ssl.pem_root_certs = read_pem(options_.tls_ca_file);
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  // A .torrent can be up to the 10 MiB info dict cap: above gRPC's 4 MiB
  // default (pitfalls.md).
  args.SetMaxReceiveMessageSize(rpc::kMaxApiResponseBytes);
  auto channel = grpc::CreateCustomChannel(options_.address, credentials, args);
  stub_ = v1::Magnetar::NewStub(channel);
  pins_stub_ = v1::Pins::NewStub(channel);
}

std::unique_ptr<grpc::ClientContext> ApiClient::context() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + options_.deadline);
  if (!options_.token.empty()) {
    auto [key, value] = rpc::bearer_metadata(options_.token);
    ctx->AddMetadata(key, value);
  }
  return ctx;
}

grpc::Status ApiClient::search(const v1::SearchRequest& request, v1::SearchResponse* response) {
  return stub_->Search(context().get(), request, response);
}

grpc::Status ApiClient::get_torrent(const v1::GetTorrentRequest& request, v1::Torrent* response) {
  return stub_->GetTorrent(context().get(), request, response);
}

grpc::Status ApiClient::get_torrent_file(const v1::GetTorrentFileRequest& request,
                                         v1::TorrentFileContent* response) {
  return stub_->GetTorrentFile(context().get(), request, response);
}

grpc::Status ApiClient::stats(const v1::StatsRequest& request, v1::StatsResponse* response) {
  return stub_->Stats(context().get(), request, response);
}

grpc::Status ApiClient::delete_torrent(const v1::DeleteTorrentRequest& request,
                                       v1::DeleteTorrentResponse* response) {
  return stub_->DeleteTorrent(context().get(), request, response);
}

grpc::Status ApiClient::block_infohash(const v1::BlockInfohashRequest& request,
                                       v1::BlockInfohashResponse* response) {
  return stub_->BlockInfohash(context().get(), request, response);
}

grpc::Status ApiClient::pin_magnet(const v1::PinMagnetRequest& request, v1::Pin* response) {
  return pins_stub_->PinMagnet(context().get(), request, response);
}

grpc::Status ApiClient::unpin_magnet(const v1::UnpinMagnetRequest& request,
                                     v1::UnpinMagnetResponse* response) {
  return pins_stub_->UnpinMagnet(context().get(), request, response);
}

grpc::Status ApiClient::get_pin(const v1::GetPinRequest& request, v1::Pin* response) {
  return pins_stub_->GetPin(context().get(), request, response);
}

grpc::Status ApiClient::list_pins(const v1::ListPinsRequest& request,
                                  v1::ListPinsResponse* response) {
  return pins_stub_->ListPins(context().get(), request, response);
}

std::string ApiClient::describe(const grpc::Status& status) const {
  const auto& message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      // The server says "database unavailable" itself; anything else is the
      // channel failing to connect (refused, no such host, TLS handshake).
      if (message == "database unavailable") {
        return "magnetar at " + options_.address + " cannot reach its database";
      }
      return "cannot reach magnetar at " + options_.address + ": is `magnetar serve` running?";
    case grpc::StatusCode::UNAUTHENTICATED:
      if (options_.token.empty()) {
        return "this needs the API token (" + message +
               "): set api.token (MAGNETAR_API_TOKEN or --api-token), or run where "
               "data_dir/api-token is readable";
      }
      return "the API token was refused (" + message + "): check api.token";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "no answer from magnetar at " + options_.address + " within " +
             seconds_text(options_.deadline) + " (" + message + ")";
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return message;
    case grpc::StatusCode::UNIMPLEMENTED:
      return "the server at " + options_.address + " does not serve this call (" + message +
             "): is it a magnetar of another version?";
    default:
      return "error " + std::to_string(static_cast<int>(status.error_code())) + ": " + message;
  }
}

int run_api_call(const char* command, const Config& config, const ApiFlags& flags,
                 const ApiCall& call) {
  try {
    ApiClient client(api_client_options(config, flags));
    const auto status = call(client);
    if (status.ok()) return 0;
    // The server's messages may quote what it was sent (a query, an id).
    std::cerr << "magnetar " << command << ": " << escape_for_terminal(client.describe(status))
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "magnetar " << command << ": " << escape_for_terminal(e.what()) << "\n";
  }
  return 1;
}

std::string to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  // Only a message with a malformed Any or well-known type fails, which the
  // generated ones never hold.
  if (!status.ok()) throw std::runtime_error("cannot print JSON: " + status.ToString());
  // add_whitespace ends the text with a newline already.
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace magnetar::app
