// The error of the embedded cluster: infrastructure, so an exception (STYLE.md,
// errors 3). what() is one line a caller can print before exiting: the reason,
// then the tail of the server or tool output where there is one.
#pragma once

#include <stdexcept>
#include <string>

namespace magnetar::indexer::postgres {

class ClusterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace magnetar::indexer::postgres
