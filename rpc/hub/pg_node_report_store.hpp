// PgNodeReportStore: crawler nodes' reports in PostgreSQL's crawler_nodes
// table (schema/migrations/0004_crawler_nodes.sql), one upsert per report
// that also computes the rates from the row it replaces.
//
// Reports are small and rare (one per node every 30 s), so one connection,
// opened on first use and reopened after a failure, serialised by a mutex.
// Called on gRPC's threads: a report blocks its handler for one statement.
#pragma once

#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>

#include "rpc/hub/node_report_store.hpp"

namespace magnetar::rpc {

class PgNodeReportStore final : public NodeReportStore {
 public:
  explicit PgNodeReportStore(std::string dsn);
  ~PgNodeReportStore() override;

  // Throws pqxx's exceptions when PostgreSQL cannot take it (the connection
  // is dropped and reopened by the next call).
  void record(const NodeReportRecord& report) override;

 private:
  const std::string dsn_;
  std::mutex mu_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace magnetar::rpc
