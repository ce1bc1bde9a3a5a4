// A stand-in for the hub's side of the Keep stream (magnetar.v1.Keeper), for
// the keeper's loopback tests until the real hub is there: an in-process
// gRPC server on 127.0.0.1 that records hellos and heartbeats and sends the
// KeeperDown messages a test queues.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "magnetar/v1/keeper.grpc.pb.h"

namespace magnetar::crawler::keeper::testing {

class FakeKeeperHub final : public v1::Keeper::Service {
 public:
  FakeKeeperHub() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    builder.SetMaxReceiveMessageSize(12 << 20);
    builder.SetMaxSendMessageSize(12 << 20);
    server_ = builder.BuildAndStart();
  }
  ~FakeKeeperHub() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Sent on the open stream (or the next one).
  void send(v1::KeeperDown down) {
    {
      std::lock_guard lock(mu_);
      outgoing_.push_back(std::move(down));
    }
    cv_.notify_all();
  }

  std::vector<v1::KeeperHello> hellos() const {
    std::lock_guard lock(mu_);
    return hellos_;
  }
  std::vector<v1::KeeperHeartbeat> heartbeats() const {
    std::lock_guard lock(mu_);
    return heartbeats_;
  }
  std::vector<std::string> authorizations() const {
    std::lock_guard lock(mu_);
    return authorizations_;
  }

  grpc::Status Keep(grpc::ServerContext* context,
                    grpc::ServerReaderWriter<v1::KeeperDown, v1::KeeperUp>* stream) override {
    {
      std::lock_guard lock(mu_);
      const auto& md = context->client_metadata();
      const auto it = md.find("authorization");
      authorizations_.emplace_back(
          it == md.end() ? "" : std::string(it->second.data(), it->second.size()));
    }
    v1::KeeperUp up;
    if (!stream->Read(&up) || !up.has_hello()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "hello first");
    }
    {
      std::lock_guard lock(mu_);
      hellos_.push_back(up.hello());
    }
    bool reader_done = false;
    std::thread reader([&] {
      v1::KeeperUp in;
      while (stream->Read(&in)) {
        std::lock_guard lock(mu_);
        if (in.has_heartbeat()) heartbeats_.push_back(in.heartbeat());
      }
      std::lock_guard lock(mu_);
      reader_done = true;
      cv_.notify_all();
    });
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait_for(lock, std::chrono::milliseconds(50),
                   [&] { return stopping_ || reader_done || !outgoing_.empty(); });
      if (stopping_ || reader_done || context->IsCancelled()) break;
      while (!outgoing_.empty()) {
        v1::KeeperDown down = std::move(outgoing_.front());
        outgoing_.pop_front();
        lock.unlock();
        stream->Write(down);
        lock.lock();
      }
    }
    lock.unlock();
    context->TryCancel();
    reader.join();
    return grpc::Status::OK;
  }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::deque<v1::KeeperDown> outgoing_;
  std::vector<v1::KeeperHello> hellos_;
  std::vector<v1::KeeperHeartbeat> heartbeats_;
  std::vector<std::string> authorizations_;
};

}  // namespace magnetar::crawler::keeper::testing
