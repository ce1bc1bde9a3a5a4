// libFuzzer target for the search query parser: any input parses or fails with a
// search query error inside the input, and every query that parses survives
// to_string -> parse unchanged (offsets aside), its canonical text a fixed point
// no longer than the input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "indexer/search/query_parser.hpp"

namespace {

magnetar::search::Query without_offsets(magnetar::search::Query query) {
  for (auto& clause : query.all) {
    for (auto& literal : clause.any) literal.term.offset = 0;
  }
  return query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace search = magnetar::search;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = search::parse_query(input);
  if (!parsed.ok()) {
    const auto& error = parsed.error();
    if (error.code.category() != make_error_code(search::QueryErrc::kTooLong).category()) {
      std::abort();
    }
    if (!error.has_offset() || error.offset > size) std::abort();
    return 0;
  }
  std::size_t terms = 0;
  for (const auto& clause : parsed->all) {
    if (clause.any.empty()) std::abort();
    for (const auto& literal : clause.any) {
      ++terms;
      if (literal.term.text.empty() || literal.term.offset >= size) std::abort();
    }
  }
  if (terms > search::kMaxTerms) std::abort();
  const std::string canonical = search::to_string(*parsed);
  if (canonical.size() > size) std::abort();
  const auto again = search::parse_query(canonical);
  if (!again.ok() || !(without_offsets(*again) == without_offsets(*parsed))) std::abort();
  if (search::to_string(*again) != canonical) std::abort();
  return 0;
}
