#include "common/bencode_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::bencode {
namespace {

constexpr char kName[] = "bencode";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kUnexpectedEnd:
      return "unexpected end of input";
    case Errc::kExpectedValue:
      return "expected a value ('i', 'l', 'd' or a digit)";
    case Errc::kInvalidInteger:
      return "invalid integer";
    case Errc::kIntegerOverflow:
      return "integer does not fit in 64 bits";
    case Errc::kInvalidStringLength:
      return "invalid string length";
    case Errc::kExpectedStringKey:
      return "dictionary key is not a string";
    case Errc::kDepthLimit:
      return "nesting depth limit exceeded";
    case Errc::kTokenLimit:
      return "value count limit exceeded";
    case Errc::kSizeLimit:
      return "input size limit exceeded";
    case Errc::kTrailingData:
      return "trailing data after the value";
    case Errc::kUnsortedKeys:
      return "dictionary keys not sorted";
    case Errc::kDuplicateKey:
      return "duplicate dictionary key";
    case Errc::kLeadingZero:
      return "number with a leading zero";
    case Errc::kNegativeZero:
      return "negative zero";
  }
  return "unknown bencode error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::bencode
