#include "indexer/search/query_errors.hpp"

#include <string>

#include "common/error_category.hpp"
#include "indexer/search/query_parser.hpp"

namespace magnetar::search {
namespace {

constexpr char kName[] = "search query";

std::string describe(int ev) {
  switch (static_cast<QueryErrc>(ev)) {
    case QueryErrc::kTooLong:
      return "query longer than " + std::to_string(kMaxQueryBytes) + " bytes";
    case QueryErrc::kTooManyTerms:
      return "more than " + std::to_string(kMaxTerms) + " search terms";
    case QueryErrc::kInvalidUtf8:
      return "invalid UTF-8";
    case QueryErrc::kControlCharacter:
      return "control character";
    case QueryErrc::kUnterminatedPhrase:
      return "phrase without a closing quote";
    case QueryErrc::kEmptyPhrase:
      return "empty phrase";
    case QueryErrc::kStrayQuote:
      return "quote inside a word (a phrase starts with a quote after whitespace)";
    case QueryErrc::kTextAfterPhrase:
      return "closing quote not followed by whitespace";
    case QueryErrc::kDanglingOr:
      return "OR without a term on both sides";
    case QueryErrc::kDanglingExclusion:
      return "'-' not directly followed by a term to exclude";
    case QueryErrc::kPrefixTooShort:
      return "prefix shorter than " + std::to_string(kMinPrefixChars) + " characters before '*'";
    case QueryErrc::kPrefixNotAWord:
      return "'*' only ends a prefix of letters and digits";
    case QueryErrc::kNothingSearchable:
      return "term without a letter or digit";
  }
  return "unknown search query error";
}

}  // namespace

std::error_code make_error_code(QueryErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::search
