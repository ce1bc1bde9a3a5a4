#include "rpc/common/bearer_token.hpp"

#include <openssl/crypto.h>

#include "common/sha.hpp"

namespace magnetar::rpc {

bool token_equals(std::string_view expected, std::string_view given) {
  const auto a = sha256(expected);
  const auto b = sha256(given);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

grpc::Status check_bearer(const grpc::ServerContextBase& context, std::string_view expected) {
  static constexpr std::string_view kPrefix = "Bearer ";
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return {grpc::StatusCode::UNAUTHENTICATED, "missing authorization metadata (Bearer token)"};
  }
  const std::string_view value(it->second.data(), it->second.size());
  if (value.substr(0, kPrefix.size()) != kPrefix ||
      !token_equals(expected, value.substr(kPrefix.size()))) {
    return {grpc::StatusCode::UNAUTHENTICATED, "invalid token"};
  }
  return grpc::Status::OK;
}

std::pair<std::string, std::string> bearer_metadata(std::string_view token) {
  return {"authorization", "Bearer " + std::string(token)};
}

}  // namespace magnetar::rpc
