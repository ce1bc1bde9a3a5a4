#include "indexer/classify/load_error.hpp"

namespace magnetar::indexer::classify {

std::string LoadError::message() const {
  std::string out = source.empty() ? std::string("<rules>") : source;
  if (line != 0) {
    out += ':';
    out += std::to_string(line);
    if (column != 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  out += ": ";
  out += detail.empty() ? code.message() : detail;
  out += " (";
  out += code.category().name();
  out += ": ";
  out += code.message();
  out += ')';
  return out;
}

}  // namespace magnetar::indexer::classify
