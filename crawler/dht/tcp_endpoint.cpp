#include "crawler/dht/tcp_endpoint.hpp"

#include <algorithm>

namespace magnetar::crawler::dht {

boost::asio::ip::tcp::endpoint to_tcp(const Endpoint& e) {
  namespace ip = boost::asio::ip;
  if (e.ip.v6) return {ip::address_v6(e.ip.bytes), e.port};
  ip::address_v4::bytes_type b{};
  std::copy_n(e.ip.bytes.begin(), b.size(), b.begin());
  return {ip::address_v4(b), e.port};
}

}  // namespace magnetar::crawler::dht
