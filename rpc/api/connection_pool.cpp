#include "rpc/api/connection_pool.hpp"

#include <optional>
#include <pqxx/pqxx>

namespace magnetar::rpc {

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection_base> c)
    : pool_(&pool), conn_(std::move(c)) {}

ConnectionPool::Lease::~Lease() {
  if (conn_) pool_->release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::string dsn, std::size_t size)
    : dsn_(std::move(dsn)), size_(size) {}

ConnectionPool::~ConnectionPool() = default;

std::optional<ConnectionPool::Lease> ConnectionPool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lk(mu_);
  if (!cv_.wait_for(lk, wait, [&] { return !idle_.empty() || open_ < size_; })) return std::nullopt;
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++open_;
  lk.unlock();
  try {
    return Lease(*this, std::make_unique<pqxx::connection>(dsn_));
  } catch (...) {
    lk.lock();
    --open_;
    cv_.notify_one();
    throw;
  }
}

void ConnectionPool::release(std::unique_ptr<pqxx::connection_base> c) {
  std::lock_guard lk(mu_);
  if (c->is_open()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;  // broken: the next acquire opens a fresh one
  }
  cv_.notify_one();
}

}  // namespace magnetar::rpc
