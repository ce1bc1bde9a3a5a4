// The CLI's side of the public API (magnetar.v1.Magnetar, rpc/api): a
// channel to `magnetar serve` built from the settings and the subcommand's
// flags, one call at a time under a deadline, and a failed call turned into
// one line for people.
//
// Where it connects: --api, else the api.listen setting. The token (sent when
// known; mutating calls need it): the api.token setting, else the one `serve`
// generated into data_dir/api-token. TLS: with --tls-ca FILE (or the
// api.tls_ca setting) those roots, with --tls the system's; on the machine of
// a `serve` that has api.tls_cert set, that certificate (self-signed, it is
// its own root).
#pragma once

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/config.hpp"
#include "magnetar/v1/magnetar.grpc.pb.h"
#include "magnetar/v1/pins.grpc.pb.h"

namespace magnetar::app {

// Above the server's own cap on a call (rpc/api kMaxApiDeadline, 10 s), with
// room for connecting: a slow search ends with the server's clear
// DEADLINE_EXCEEDED rather than ours.
inline constexpr std::chrono::seconds kDefaultCallDeadline{30};

struct ApiClientOptions {
  std::string address;      // host:port
  std::string token;        // empty: calls carry no authorization
  bool tls = false;         // roots: tls_ca_file, or the system's when empty
  std::string tls_ca_file;  // PEM
  std::chrono::milliseconds deadline = kDefaultCallDeadline;
};

// The flags every API subcommand takes; they win over the settings.
struct ApiFlags {
  std::string api;     // --api host:port
  std::string tls_ca;  // --tls-ca FILE
  bool tls = false;    // --tls
  double timeout_seconds = 0;
};
void add_api_flags(CLI::App& command, ApiFlags& flags);

// The options from the settings and flags above. Throws ConfigError on a bad
// value.
ApiClientOptions api_client_options(const Config& config, const ApiFlags& flags);

// The API token this machine knows: api.token, else data_dir/api-token's
// first line; empty when neither is there (or readable).
std::string known_api_token(const Config& config);

class ApiClient {
 public:
  // Throws std::runtime_error when the TLS roots cannot be read.
  explicit ApiClient(ApiClientOptions options);

  grpc::Status search(const v1::SearchRequest& request, v1::SearchResponse* response);
  grpc::Status get_torrent(const v1::GetTorrentRequest& request, v1::Torrent* response);
  grpc::Status get_torrent_file(const v1::GetTorrentFileRequest& request,
                                v1::TorrentFileContent* response);
  grpc::Status stats(const v1::StatsRequest& request, v1::StatsResponse* response);
  grpc::Status delete_torrent(const v1::DeleteTorrentRequest& request,
                              v1::DeleteTorrentResponse* response);
  grpc::Status block_infohash(const v1::BlockInfohashRequest& request,
                              v1::BlockInfohashResponse* response);
  // magnetar.v1.Pins, on the same channel.
  grpc::Status pin_magnet(const v1::PinMagnetRequest& request, v1::Pin* response);
  grpc::Status unpin_magnet(const v1::UnpinMagnetRequest& request,
                            v1::UnpinMagnetResponse* response);
  grpc::Status get_pin(const v1::GetPinRequest& request, v1::Pin* response);
  grpc::Status list_pins(const v1::ListPinsRequest& request, v1::ListPinsResponse* response);

  const ApiClientOptions& options() const { return options_; }

  // One line saying what went wrong, for people: UNAVAILABLE names the
  // address and asks whether `magnetar serve` runs; UNAUTHENTICATED says
  // where the token comes from; other codes give the server's message.
  std::string describe(const grpc::Status& status) const;

 private:
  // A context with the deadline and, when known, the token.
  std::unique_ptr<grpc::ClientContext> context() const;

  ApiClientOptions options_;
  std::unique_ptr<v1::Magnetar::Stub> stub_;
  std::unique_ptr<v1::Pins::Stub> pins_stub_;
};

// What a subcommand body does with the client: print the result on success.
using ApiCall = std::function<grpc::Status(ApiClient& client)>;

// Builds the client and runs the call. Returns 0, or 1 after one line
// "magnetar <command>: <what went wrong>" on stderr.
int run_api_call(const char* command, const Config& config, const ApiFlags& flags,
                 const ApiCall& call);

// The message as JSON (proto3's JSON mapping: lowerCamelCase names, int64 as
// strings, enums by name, zero values included) with a final newline.
std::string to_json(const google::protobuf::Message& message);

}  // namespace magnetar::app
