#include "indexer/search/search_sql.hpp"

#include <algorithm>
#include <cstdint>

#include "indexer/search/search_errors.hpp"

namespace magnetar::search {
namespace {

// The text search configuration of migration 0003, schema-qualified so that
// no search_path can swap it.
constexpr const char* kConfig = "'public.magnetar'::regconfig";

std::string term_sql(const Term& t, SqlParams& params) {
  if (t.kind == TermKind::kPrefix) {
    // The parser allows only letters and digits in a prefix, but quote it as a
    // tsquery literal anyway: the text is the user's.
    std::string literal = "'";
    for (char c : t.text) {
      if (c == '\'' || c == '\\') literal.push_back('\\');
      literal.push_back(c);
    }
    literal += "':*";
    return std::string("to_tsquery(") + kConfig + ", " + params.add(std::move(literal)) + ")";
  }
  return std::string("phraseto_tsquery(") + kConfig + ", magnetar_search_text(" +
         params.add(t.text) + "))";
}

bool valid_extension(const std::string& x) {
  if (x.empty() || x.size() > kMaxExtensionBytes) return false;
  for (char c : x) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// ('~t1' | '~t2'), or '~t1' alone.
template <class T, class F>
std::string any_of(const std::vector<T>& values, F lexeme) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += " | ";
    out += "'" + lexeme(v) + "'";
  }
  return values.size() > 1 ? "(" + out + ")" : out;
}

}  // namespace

std::string SqlParams::add(std::string v) {
  values_.push_back(std::move(v));
  return "$" + std::to_string(values_.size());
}

std::string words_tsquery_sql(const Query& q, SqlParams& params) {
  std::string out;
  for (const auto& clause : q.all) {
    std::string c;
    for (const auto& lit : clause.any) {
      if (!c.empty()) c += " || ";
      std::string t = term_sql(lit.term, params);
      c += lit.excluded ? "!!" + t : t;
    }
    if (clause.any.size() > 1) c = "(" + c + ")";
    if (!out.empty()) out += " && ";
    out += c;
  }
  return out;
}

Result<std::vector<std::string>> facet_tsquery_terms(const SearchSpec& spec) {
  for (const auto* list : {&spec.content_types, &spec.years, &spec.resolutions}) {
    if (list->size() > kMaxFilterValues) return SearchErrc::kTooManyFilterValues;
  }
  if (spec.extensions.size() > kMaxFilterValues) return SearchErrc::kTooManyFilterValues;
  for (const auto& x : spec.extensions) {
    if (!valid_extension(x)) return SearchErrc::kBadExtension;
  }
  const auto number = [](const char* prefix) {
    return [prefix](int v) { return prefix + std::to_string(v); };
  };
  std::vector<std::string> out;
  if (!spec.content_types.empty()) out.push_back(any_of(spec.content_types, number("~t")));
  if (!spec.years.empty()) out.push_back(any_of(spec.years, number("~y")));
  if (!spec.resolutions.empty()) out.push_back(any_of(spec.resolutions, number("~r")));
  if (spec.season) out.push_back("'~s" + std::to_string(*spec.season) + "'");
  if (spec.episode) out.push_back("'~e" + std::to_string(*spec.episode) + "'");
  if (!spec.extensions.empty()) {
    out.push_back(any_of(spec.extensions, [](const std::string& x) { return "~x" + x; }));
  }
  return out;
}

std::string local_timeout_sql(std::chrono::milliseconds timeout) {
  return "SET LOCAL statement_timeout = " +
         std::to_string(std::max<std::int64_t>(1, timeout.count()));
}

std::string and_tsquery_text(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return "(" + a + ") & (" + b + ")";
}

}  // namespace magnetar::search
