// How a public API handler runs against PostgreSQL: within the call's time
// budget (the client's deadline capped by kMaxApiDeadline), on a connection
// leased from the pool whose statement_timeout is that budget, with every
// failure turned into a status: a statement timeout is DEADLINE_EXCEEDED, a
// lost database UNAVAILABLE, no free connection in time RESOURCE_EXHAUSTED.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>

#include "common/log.hpp"
#include "rpc/api/api_limits.hpp"
#include "rpc/api/connection_pool.hpp"

namespace magnetar::rpc {

inline std::chrono::milliseconds call_budget(const grpc::ServerContext& context) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      context.deadline() - std::chrono::system_clock::now());
  return std::min(left, kMaxApiDeadline);
}

// body(connection, budget) returns the call's status.
template <class F>
grpc::Status with_connection(ConnectionPool& pool, const grpc::ServerContext& context, F body) {
  const auto time = call_budget(context);
  if (time.count() <= 0) return {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded"};
  try {
    auto lease = pool.acquire(time);
    if (!lease) {
      return {grpc::StatusCode::RESOURCE_EXHAUSTED,
              "server busy: no database connection came free in time"};
    }
    {
      pqxx::nontransaction tx(**lease);
      tx.exec("SET statement_timeout = " + std::to_string(time.count()));
    }
    return body(**lease, time);
  } catch (const pqxx::broken_connection& e) {
    logger("api")->warn("database connection lost: {}", e.what());
    return {grpc::StatusCode::UNAVAILABLE, "database unavailable"};
  } catch (const pqxx::sql_error& e) {
    // 57014 query_canceled: our statement_timeout, i.e. the call's budget.
    if (e.sqlstate() == "57014") return {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded"};
    logger("api")->error("query failed: {}", e.what());
    return {grpc::StatusCode::INTERNAL, "query failed"};
  } catch (const std::exception& e) {
    logger("api")->error("request failed: {}", e.what());
    return {grpc::StatusCode::INTERNAL, "request failed"};
  }
}

}  // namespace magnetar::rpc
