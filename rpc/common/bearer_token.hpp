// Bearer-token checks for gRPC calls ("authorization: Bearer <token>").
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <string_view>

namespace magnetar::rpc {

// Compares in time independent of where the strings differ and of their
// lengths (both are hashed first), so the token cannot be guessed byte by
// byte from response times.
bool token_equals(std::string_view expected, std::string_view given);

// OK when the call carries "authorization: Bearer <expected>", else
// UNAUTHENTICATED saying what is missing. An empty expected token is a
// configuration error caught at start, never "anyone may call".
grpc::Status check_bearer(const grpc::ServerContextBase& context, std::string_view expected);

// The metadata pair a client adds: {"authorization", "Bearer <token>"}.
std::pair<std::string, std::string> bearer_metadata(std::string_view token);

}  // namespace magnetar::rpc
