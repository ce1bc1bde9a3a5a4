// A bounded pool of PostgreSQL connections for the API's request threads:
// a request leases one for its duration; at most `size` exist, opened lazily,
// and one that broke is dropped instead of being handed out again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace magnetar::rpc {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection_base> c);
    ~Lease();
    Lease(Lease&&) = default;
    pqxx::connection_base& operator*() const { return *conn_; }
    pqxx::connection_base* operator->() const { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection_base> conn_;
  };

  ConnectionPool(std::string dsn, std::size_t size);
  ~ConnectionPool();

  // Waits up to `wait` for a free connection; nothing when none came free.
  // Throws pqxx exceptions when a new connection cannot be opened.
  std::optional<Lease> acquire(std::chrono::milliseconds wait);

 private:
  void release(std::unique_ptr<pqxx::connection_base> c);

  const std::string dsn_;
  const std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection_base>> idle_;
  std::size_t open_ = 0;  // leased + idle
};

}  // namespace magnetar::rpc
