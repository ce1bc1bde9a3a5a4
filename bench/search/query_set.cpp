#include "bench/search/query_set.hpp"

#include <google/protobuf/util/time_util.h>

#include <charconv>
#include <cmath>
#include <utility>

#include "indexer/search/query_parser.hpp"

namespace magnetar::bench {
namespace {

using Clock = std::chrono::system_clock;

// The store keeps indexer/classify's ContentType; only kUnknown differs from
// the proto's numbering (0 there, CONTENT_TYPE_UNKNOWN = 12 in the proto).
constexpr int kStoreUnknownType = 0;
// The Search RPC's page size the baseline mirrors (the proto's default).
constexpr int kPageSize = 20;

struct TypeName {
  std::string_view name;
  v1::ContentType type;
};
constexpr TypeName kTypeNames[] = {
    {"movie", v1::CONTENT_TYPE_MOVIE},       {"episode", v1::CONTENT_TYPE_EPISODE},
    {"music", v1::CONTENT_TYPE_MUSIC},       {"audiobook", v1::CONTENT_TYPE_AUDIOBOOK},
    {"ebook", v1::CONTENT_TYPE_EBOOK},       {"comic", v1::CONTENT_TYPE_COMIC},
    {"software", v1::CONTENT_TYPE_SOFTWARE}, {"game", v1::CONTENT_TYPE_GAME},
    {"image", v1::CONTENT_TYPE_IMAGE},       {"archive", v1::CONTENT_TYPE_ARCHIVE},
    {"xxx", v1::CONTENT_TYPE_XXX},           {"unknown", v1::CONTENT_TYPE_UNKNOWN},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "10G" -> 10 << 30.
std::optional<std::int64_t> parse_size(std::string_view s) {
  int shift = 0;
  if (!s.empty()) {
    switch (s.back()) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      default:
        break;
    }
  }
  if (shift) s.remove_suffix(1);
  const auto v = parse_int(s);
  if (!v || *v < 0 || *v > (std::int64_t{1} << (62 - shift))) return std::nullopt;
  return *v << shift;
}

std::optional<double> parse_fraction(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0 && v <= 1)) return std::nullopt;
  return v;
}

template <class T, class F>
bool parse_range(std::string_view value, F parse, std::optional<T>& lo, std::optional<T>& hi) {
  const auto dots = value.find("..");
  if (dots == std::string_view::npos) return false;
  const auto a = value.substr(0, dots), b = value.substr(dots + 2);
  if (a.empty() && b.empty()) return false;
  if (!a.empty() && !(lo = parse(a))) return false;
  if (!b.empty() && !(hi = parse(b))) return false;
  return true;
}

bool parse_ints(std::string_view value, std::vector<int>& out) {
  for (auto part : split(value, ',')) {
    const auto v = parse_int(part);
    if (!v || *v < 0 || *v > 100'000) return false;
    out.push_back(static_cast<int>(*v));
  }
  return true;
}

// One `key=value` option into q; false when it is not one we know.
bool apply_option(std::string_view opt, BenchQuery& q) {
  const auto eq = opt.find('=');
  if (eq == std::string_view::npos) return false;
  const auto key = opt.substr(0, eq), value = opt.substr(eq + 1);
  if (value.empty()) return false;
  if (key == "type") {
    for (auto part : split(value, ',')) {
      bool found = false;
      for (const auto& t : kTypeNames) {
        if (t.name == part) {
          q.types.push_back(t.type);
          found = true;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  if (key == "size") return parse_range<std::int64_t>(value, parse_size, q.min_size, q.max_size);
  if (key == "seen") return parse_range<double>(value, parse_fraction, q.seen_from, q.seen_to);
  if (key == "year") return parse_ints(value, q.years);
  if (key == "res") return parse_ints(value, q.resolutions);
  if (key == "season" || key == "episode") {
    const auto v = parse_int(value);
    if (!v || *v < 0 || *v > 10'000) return false;
    (key == "season" ? q.season : q.episode) = static_cast<int>(*v);
    return true;
  }
  if (key == "ext") {
    for (auto part : split(value, ',')) {
      if (part.empty()) return false;
      q.extensions.emplace_back(part);
    }
    return true;
  }
  if (key == "sort") {
    auto field = value;
    std::string_view dir;
    if (const auto dash = value.rfind('-'); dash != std::string_view::npos) {
      field = value.substr(0, dash);
      dir = value.substr(dash + 1);
      if (dir != "asc" && dir != "desc") return false;
    }
    if (field != "relevance" && field != "first_seen" && field != "size") return false;
    q.order_by = std::string(field) + (dir.empty() ? "" : " " + std::string(dir));
    return true;
  }
  return false;
}

Clock::time_point at_fraction(const CorpusSpan& span, double f) {
  const auto width = span.newest - span.oldest;
  return span.oldest +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, Clock::period>(
             std::floor(static_cast<double>(width.count()) * f)));
}

std::int64_t micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string ts_sql(Clock::time_point t) {
  return "(timestamptz 'epoch' + " + std::to_string(micros(t)) +
         "::bigint * interval '1 microsecond')";
}

bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The LIKE pattern of a term: its words (the index splits on everything
// else) joined by '_', one character, as names separate them by one.
// Words hold only letters, digits and non-ASCII bytes: nothing to escape.
std::string like_pattern(const search::Term& t) {
  std::string out = "'%";
  bool in_word = false, any = false;
  for (char c : t.text) {
    if (word_char(c)) {
      if (!in_word && any) out.push_back('_');
      out.push_back(c);
      in_word = any = true;
    } else {
      in_word = false;
    }
  }
  return out + "%'";
}

template <class T, class F>
std::string in_list(const char* column, const std::vector<T>& values, F format) {
  std::string out = std::string(column) + " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += format(values[i]);
  }
  return out + ")";
}

}  // namespace

Result<std::vector<BenchQuery>, QuerySetError> parse_query_set(std::string_view text) {
  std::vector<BenchQuery> out;
  int line_no = 0;
  for (auto line : split(text, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto fields = split(line, '|');
    const auto fail = [&](const std::string& why) {
      return QuerySetError{"line " + std::to_string(line_no) + ": " + why};
    };
    if (fields.size() < 2 || fields.size() > 3) return fail("expected class | query | options");
    BenchQuery q;
    q.line = line_no;
    q.query_class = std::string(trim(fields[0]));
    q.text = std::string(trim(fields[1]));
    if (q.query_class.empty()) return fail("no class");
    if (q.text != kUniquePlaceholder) {
      if (auto parsed = search::parse_query(q.text); !parsed)
        return fail("query \"" + q.text + "\": " + parsed.error().message());
    }
    if (fields.size() == 3) {
      q.options = std::string(trim(fields[2]));
      for (auto opt : split(trim(fields[2]), ' ')) {
        if (opt.empty()) continue;
        if (!apply_option(opt, q)) return fail("bad option \"" + std::string(opt) + "\"");
      }
    }
    out.push_back(std::move(q));
  }
  if (out.empty()) return QuerySetError{"no queries"};
  return out;
}

std::size_t unique_placeholders(const std::vector<BenchQuery>& queries) {
  std::size_t n = 0;
  for (const auto& q : queries) n += q.text == kUniquePlaceholder;
  return n;
}

Result<Ok, QuerySetError> bind_unique_words(std::vector<BenchQuery>& queries,
                                            const std::vector<std::string>& words) {
  const auto needed = unique_placeholders(queries);
  if (words.size() < needed) {
    return QuerySetError{"the corpus has " + std::to_string(words.size()) +
                         " words that match exactly one torrent, the query set needs " +
                         std::to_string(needed)};
  }
  std::size_t next = 0;
  for (auto& q : queries) {
    if (q.text == kUniquePlaceholder) q.text = words[next++];
  }
  return Ok{};
}

v1::SearchRequest to_request(const BenchQuery& q, const CorpusSpan& span) {
  using google::protobuf::util::TimeUtil;
  v1::SearchRequest r;
  r.set_query(q.text);
  for (auto t : q.types) r.add_content_types(t);
  if (q.min_size) r.set_min_size_bytes(*q.min_size);
  if (q.max_size) r.set_max_size_bytes(*q.max_size);
  if (q.seen_from) {
    *r.mutable_first_seen_after() =
        TimeUtil::MicrosecondsToTimestamp(micros(at_fraction(span, *q.seen_from)));
  }
  if (q.seen_to) {
    *r.mutable_first_seen_before() =
        TimeUtil::MicrosecondsToTimestamp(micros(at_fraction(span, *q.seen_to)));
  }
  for (int y : q.years) r.add_years(y);
  for (int x : q.resolutions) r.add_resolutions(x);
  if (q.season) r.set_season(*q.season);
  if (q.episode) r.set_episode(*q.episode);
  for (const auto& x : q.extensions) r.add_file_extensions(x);
  r.set_order_by(q.order_by);
  r.set_page_size(kPageSize);
  return r;
}

Result<std::string, QuerySetError> baseline_sql(const BenchQuery& q, const CorpusSpan& span) {
  auto parsed = search::parse_query(q.text);
  if (!parsed) return QuerySetError{"query \"" + q.text + "\": " + parsed.error().message()};
  if (parsed->empty()) return std::string();
  std::vector<std::string> conds;
  for (const auto& clause : parsed->all) {
    std::string c;
    for (const auto& lit : clause.any) {
      if (!c.empty()) c += " OR ";
      c += std::string("name ") + (lit.excluded ? "NOT ILIKE " : "ILIKE ") + like_pattern(lit.term);
    }
    conds.push_back(clause.any.size() > 1 ? "(" + c + ")" : c);
  }
  const auto number = [](int v) { return std::to_string(v); };
  if (!q.types.empty()) {
    conds.push_back(in_list("content_type", q.types, [](v1::ContentType t) {
      return std::to_string(t == v1::CONTENT_TYPE_UNKNOWN ? kStoreUnknownType
                                                          : static_cast<int>(t));
    }));
  }
  if (q.min_size) conds.push_back("total_size >= " + std::to_string(*q.min_size));
  if (q.max_size) conds.push_back("total_size <= " + std::to_string(*q.max_size));
  if (q.seen_from) conds.push_back("first_seen >= " + ts_sql(at_fraction(span, *q.seen_from)));
  if (q.seen_to) conds.push_back("first_seen < " + ts_sql(at_fraction(span, *q.seen_to)));
  if (!q.years.empty()) conds.push_back(in_list("year", q.years, number));
  if (!q.resolutions.empty()) conds.push_back(in_list("resolution", q.resolutions, number));
  if (q.season) conds.push_back("season = " + std::to_string(*q.season));
  if (q.episode) conds.push_back("episode = " + std::to_string(*q.episode));
  if (!q.extensions.empty()) {
    std::string arr;
    for (const auto& x : q.extensions) {
      for (char ch : x) {
        if (!word_char(ch))
          return QuerySetError{"extension \"" + x + "\": letters and digits only"};
      }
      arr += (arr.empty() ? "'" : ", '") + x + "'";
    }
    conds.push_back("extensions && ARRAY[" + arr + "]::text[]");
  }
  std::string sql = "SELECT encode(id, 'hex'), name, total_size, first_seen FROM torrents WHERE ";
  for (std::size_t i = 0; i < conds.size(); ++i) {
    if (i) sql += " AND ";
    sql += conds[i];
  }
  return sql + " ORDER BY first_seen DESC LIMIT " + std::to_string(kPageSize);
}

}  // namespace magnetar::bench
