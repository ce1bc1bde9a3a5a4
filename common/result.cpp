#include "common/result.hpp"

namespace magnetar {

std::string Error::message() const {
  std::string out = code.category().name();
  out += ": ";
  out += code.message();
  if (has_offset()) {
    out += " at byte ";
    out += std::to_string(offset);
  }
  return out;
}

}  // namespace magnetar
