// The hub's internal gRPC service (rpc/proto/magnetar/v1/hub.proto), called by
// crawler nodes with the cluster token: Triage answers which infohashes the
// index still wants; Ingest takes verified info dicts and acks each sequence
// number once its outcome is durable in PostgreSQL; Report keeps a node's
// counters (NodeReportStore) for Stats.
#pragma once

#include <cstddef>
#include <string>

#include "indexer/ingest/ingest_pipeline.hpp"
#include "magnetar/v1/hub.grpc.pb.h"
#include "rpc/common/hub_limits.hpp"
#include "rpc/hub/node_report_store.hpp"

namespace magnetar::rpc {

class HubService final : public v1::Hub::CallbackService {
 public:
  // cluster_token must not be empty (checked by the caller at start).
  // Without a report store, Report answers UNIMPLEMENTED.
  HubService(indexer::ingest::IngestPipeline& pipeline, std::string cluster_token,
             NodeReportStore* reports = nullptr)
      : pipeline_(pipeline), token_(std::move(cluster_token)), reports_(reports) {}

  grpc::ServerUnaryReactor* Triage(grpc::CallbackServerContext* context,
                                   const v1::TriageRequest* request,
                                   v1::TriageResponse* response) override;

  grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse>* Ingest(
      grpc::CallbackServerContext* context) override;

  grpc::ServerUnaryReactor* Report(grpc::CallbackServerContext* context,
                                   const v1::NodeReport* request,
                                   v1::ReportResponse* response) override;

 private:
  indexer::ingest::IngestPipeline& pipeline_;
  const std::string token_;
  NodeReportStore* const reports_;
};

}  // namespace magnetar::rpc
