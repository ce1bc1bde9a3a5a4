#include "crawler/wire/tcp_endpoint.hpp"

#include <algorithm>

namespace magnetar::crawler::wire {

boost::asio::ip::tcp::endpoint to_tcp(const PeerEndpoint& p) {
  namespace ip = boost::asio::ip;
  if (p.v6) {
    ip::address_v6::bytes_type b{};
    std::copy(p.address.begin(), p.address.end(), b.begin());
    return {ip::address_v6(b), p.port};
  }
  ip::address_v4::bytes_type b{};
  std::copy_n(p.address.begin(), b.size(), b.begin());
  return {ip::address_v4(b), p.port};
}

}  // namespace magnetar::crawler::wire
