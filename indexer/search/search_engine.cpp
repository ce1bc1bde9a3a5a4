#include "indexer/search/search_engine.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <map>
#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "indexer/search/correlated_estimate.hpp"
#include "indexer/search/hit_row.hpp"
#include "indexer/search/page_token.hpp"
#include "indexer/search/search_errors.hpp"
#include "indexer/search/search_sql.hpp"

namespace magnetar::search {
namespace {

constexpr std::size_t kContentTypes = 12;  // indexer/classify kContentTypeCount
// Memory for a search's bitmaps: a bitmap over a 10M-torrent table (~400k
// heap pages) needs ~20 MB to stay exact; under the default 4 MB it turns
// lossy and every row of a lossy page is checked again (`the` between 10 and
// 20 GB rechecked 1.9M rows). Memory a bitmap does not need is not taken.
constexpr char kSearchWorkMem[] = "32MB";
// A random page read as priced by the planner against a sequential one (1):
// the default 4 prices a disk seek, but the search indexes are read from
// memory or SSD. Priced at 4, a walk of one content type takes the date
// index, perfectly correlated with the heap, and filters it by type, over
// (content_type, first_seen, id): 5x the rows for a type of a fifth.
constexpr char kSearchRandomPageCost[] = "1.1";

// A row considered for a page: its id, sort key, type and score.
struct Candidate {
  InfoHashV1 id;
  std::int64_t key = 0;  // first_seen in µs, size, or the score's bits
  int content_type = 0;
  float score = 0;
};

std::int64_t score_key(float s) { return std::bit_cast<std::int32_t>(s); }
float key_score(std::int64_t k) { return std::bit_cast<float>(static_cast<std::int32_t>(k)); }

// Total order of a page: key then id, both in the requested direction.
bool before(const Candidate& a, const Candidate& b, bool relevance, bool ascending) {
  if (relevance) {
    if (a.score != b.score) return ascending ? a.score < b.score : a.score > b.score;
  } else if (a.key != b.key) {
    return ascending ? a.key < b.key : a.key > b.key;
  }
  return ascending ? a.id < b.id : b.id < a.id;
}

bool after_position(const Candidate& c, const PagePosition& p, bool relevance, bool ascending) {
  Candidate at{p.id, p.key, 0, relevance ? key_score(p.key) : 0.0f};
  return before(at, c, relevance, ascending);
}

std::int64_t micros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string ts_literal(TimePoint t) {
  return "(timestamptz 'epoch' + " + std::to_string(micros(t)) +
         "::bigint * interval '1 microsecond')";
}

// The plan of one search: its conditions, split by where a walk puts them.
// Values are SQL literals (numbers we format, text quoted by libpq), so that
// each statement takes only the conditions it needs and the planner
// estimates with the real values.
struct Plan {
  std::string tsquery;                 // the tsquery literal, or empty
  std::vector<std::string> conds;      // every condition (all rows of the search)
  std::vector<std::string> key_conds;  // the sort key's range: inside a walk's index scan
  std::vector<std::string> other_conds;
  // conds with the ranges as `key + 0`: a collect that reads the word
  // matches through the GIN bitmap alone and filters them by range, when
  // that is cheaper than also building the range's bitmap from its b-tree
  // (see choose_collect_form).
  std::vector<std::string> collect_conds;
  std::vector<std::string> range_conds;
  bool ranges_filter_rows = false;
  // The planner's estimates of conditions with the facets are multiplied by
  // this (estimate_rows: facets are correlated).
  double facet_damping = 1;
  bool relevance = false;
  bool ascending = false;
  const char* key_column = "first_seen";
  std::string key_sql;  // the key as a bigint expression
};

std::string joined(const std::vector<std::string>& conds) {
  std::string out;
  for (const auto& c : conds) {
    out += out.empty() ? "" : " AND ";
    out += c;
  }
  return out.empty() ? "true" : out;
}

void add_cond(Plan& plan, std::string cond, bool on_key, std::string collect_form = {}) {
  plan.conds.push_back(cond);
  if (!collect_form.empty()) plan.range_conds.push_back(cond);
  plan.collect_conds.push_back(collect_form.empty() ? cond : std::move(collect_form));
  (on_key ? plan.key_conds : plan.other_conds).push_back(std::move(cond));
}

// "(first_seen, id) < (ts, decode('..', 'hex'))" for the page after p.
std::string keyset_cond(Plan& plan, const PagePosition& p) {
  const std::string key = std::string(plan.key_column) == "first_seen"
                              ? ts_literal(from_micros(p.key))
                              : std::to_string(p.key) + "::bigint";
  return std::string("(") + plan.key_column + ", id) " + (plan.ascending ? ">" : "<") + " (" + key +
         ", decode('" + to_hex(p.id.view()) + "', 'hex'))";
}

std::int64_t explain_rows(pqxx::transaction_base& tx, const std::string& sql) {
  const auto r = tx.exec("EXPLAIN (FORMAT JSON) " + sql);
  const std::string json = r[0][0].as<std::string>();
  const auto at = json.find("\"Plan Rows\":");
  if (at == std::string::npos) return 0;
  return std::strtoll(json.c_str() + at + 12, nullptr, 10);
}

// The costs the engine weighs, in heap rows: one row fetched at random and
// checked (~5 us at 10M torrents on a hot cache, bench/search's plans) is 1.
// An index entry read into a bitmap costs about a twelfth of that (a GIN
// posting or a b-tree entry, ~0.4 us). A walk down the date index reads rows
// in the order they were inserted, several to a page: a quarter; down the
// size index its rows are as scattered as a collect's.
constexpr std::int64_t kHeapRowPerIndexEntry = 12;
constexpr std::int64_t kDateWalkRowsPerHeapRow = 4;
// A walk expected to meet this many pages of matches is taken over any
// collect dearer than it (see collect_first).
constexpr std::int64_t kSureWalkPages = 2;

// A collect with words and ranges reads either the word's matches and
// filters them by range (heap rows: the word's estimate), or the
// intersection of the word's bitmap with the range's b-tree bitmap (index
// entries of the range and the word, then the rows of both). The cheaper by
// the planner's estimates wins: `storm` under 100 MB filters 27k rows rather
// than build a 380k-entry size bitmap; `king` in the last tenth of the time
// reads 200 rows through a date bitmap rather than 37k through the word's.
// Returns what the collect would cost, in heap rows.
std::int64_t choose_collect_form(pqxx::transaction_base& tx, Plan& plan, std::int64_t estimate) {
  if (plan.tsquery.empty() || plan.range_conds.empty()) return estimate;
  const auto words = static_cast<std::int64_t>(
      plan.facet_damping *
      static_cast<double>(explain_rows(
          tx, "SELECT 1 FROM torrents WHERE search @@ " + plan.tsquery + "::tsquery")));
  const auto range = explain_rows(tx, "SELECT 1 FROM torrents WHERE " + joined(plan.range_conds));
  const auto intersect = (range + words) / kHeapRowPerIndexEntry + estimate;
  plan.ranges_filter_rows = words <= intersect;
  return std::min(words, intersect);
}

// The planner's estimate of the whole condition, with two or more facet
// groups damped for their correlation (correlated_estimate.hpp): one more
// EXPLAIN per group and one for the table.
// Sets plan.facet_damping to the factor it applied.
std::int64_t estimate_rows(pqxx::transaction_base& tx, Plan& plan,
                           const std::vector<std::string>& facet_terms) {
  const auto planner = explain_rows(tx, "SELECT 1 FROM torrents WHERE " + joined(plan.conds));
  if (facet_terms.size() < 2) return planner;
  const auto table = std::max<std::int64_t>(1, explain_rows(tx, "SELECT 1 FROM torrents"));
  std::vector<double> shares;
  for (const auto& term : facet_terms) {
    const auto rows =
        explain_rows(tx, "SELECT 1 FROM torrents WHERE search @@ " + tx.quote(term) + "::tsquery");
    shares.push_back(static_cast<double>(rows) / static_cast<double>(table));
  }
  const auto damped = correlated_estimate(planner, table, std::move(shares));
  if (planner > 0) plan.facet_damping = static_cast<double>(damped) / static_cast<double>(planner);
  return damped;
}

// Collect or walk first. A collect reads every match (up to the cap) and
// gives exact totals; a walk reads at most walk_rows of the sort index. A
// small match set is collected, unless collecting it costs more than the
// walk would at most and the walk should meet a full page on its way: `the`
// between 10 and 20 GB (11k matches at 10M torrents) collects through two
// bitmaps of 300k and 400k entries (~300 ms) but meets 20 matches within
// its 20k newest rows (~25 ms). Its totals are then the planner's estimate,
// marked as such.
bool collect_first(pqxx::transaction_base& tx, Plan& plan, std::int64_t estimate, int page_size,
                   const EngineLimits& limits) {
  if (estimate > limits.collect_max_estimate) return false;
  const std::int64_t cost = choose_collect_form(tx, plan, estimate);
  if (limits.collect_max_cost) return cost <= *limits.collect_max_cost;
  const bool date_walk = std::string(plan.key_column) == "first_seen";
  const std::int64_t walk_cost =
      date_walk ? limits.walk_rows / kDateWalkRowsPerHeapRow : limits.walk_rows;
  if (cost <= walk_cost) return true;
  // The rows the walk reads: the part of the sort index within its key
  // range (and content type), where the matches are spread.
  const std::int64_t walked_over = std::max<std::int64_t>(
      1, explain_rows(tx, "SELECT 1 FROM torrents WHERE " + joined(plan.key_conds)));
  const std::int64_t expected_matches =
      std::min(limits.walk_rows, walked_over) * estimate / walked_over;
  const std::int64_t page = page_size + 1;
  // A walk expected to meet two pages is a safe bet; one expected to just
  // fill its page may stop short and then collect after all, so it is
  // taken only when the collect is dear (over walk_rows heap rows, ~100 ms).
  if (expected_matches >= kSureWalkPages * page) return false;
  return expected_matches < page || cost <= limits.walk_rows;
}

Candidate read_candidate(const pqxx::row& row, bool with_score) {
  Candidate c;
  c.id = *InfoHashV1::from_hex(row[0].as<std::string>());
  c.key = row[1].as<std::int64_t>();
  c.content_type = row[2].as<int>();
  if (with_score) c.score = row[3].as<float>();
  return c;
}

std::string select_list(const Plan& plan) {
  std::string s = "encode(id, 'hex'), " + plan.key_sql + ", content_type";
  if (plan.relevance) s += ", ts_rank(search, " + plan.tsquery + "::tsquery, 1)";
  return s;
}

std::vector<Candidate> fetch_candidates(pqxx::transaction_base& tx, const std::string& sql,
                                        const Plan& plan) {
  const auto rows = tx.exec(sql);
  std::vector<Candidate> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(read_candidate(row, plan.relevance));
  return out;
}

// Every match, capped at kExactCountLimit + 1: a GIN bitmap (or b-tree range)
// scan that reads at most that many heap rows.
std::vector<Candidate> collect(pqxx::transaction_base& tx, const Plan& plan) {
  return fetch_candidates(tx,
                          "SELECT " + select_list(plan) + " FROM torrents WHERE " +
                              joined(plan.ranges_filter_rows ? plan.collect_conds : plan.conds) +
                              " LIMIT " + std::to_string(kExactCountLimit + 1),
                          plan);
}

std::string walk_order(const Plan& plan) {
  const char* dir = plan.ascending && !plan.relevance ? "ASC" : "DESC";
  return std::string(" ORDER BY ") + plan.key_column + " " + dir + ", id " + dir;
}

// The sort index walked at most limits.walk_rows rows from `from` on; the
// matches among them, at most `want`.
std::vector<Candidate> walk(pqxx::transaction_base& tx, Plan& plan,
                            const std::optional<PagePosition>& from, std::int64_t want,
                            const EngineLimits& limits) {
  auto inner = plan.key_conds;
  if (from) inner.push_back(keyset_cond(plan, *from));
  const auto order = walk_order(plan);
  return fetch_candidates(tx,
                          "SELECT " + select_list(plan) + " FROM (SELECT * FROM torrents WHERE " +
                              joined(inner) + order + " LIMIT " + std::to_string(limits.walk_rows) +
                              ") w WHERE " + joined(plan.other_conds) + order + " LIMIT " +
                              std::to_string(want),
                          plan);
}

// Where a walk from `from` stops when it visits all its rows: the position of
// its last row, or nothing when the index ends before.
std::optional<PagePosition> walk_end(pqxx::transaction_base& tx, Plan& plan,
                                     const std::optional<PagePosition>& from,
                                     const EngineLimits& limits) {
  auto inner = plan.key_conds;
  if (from) inner.push_back(keyset_cond(plan, *from));
  const auto rows = tx.exec("SELECT encode(id, 'hex'), " + plan.key_sql + " FROM torrents WHERE " +
                            joined(inner) + walk_order(plan) + " OFFSET " +
                            std::to_string(limits.walk_rows - 1) + " LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return PagePosition{rows[0][1].as<std::int64_t>(),
                      *InfoHashV1::from_hex(rows[0][0].as<std::string>())};
}

// Exact counts per content type from torrent_counts, for searches that are
// nothing but a content-type filter (or nothing at all).
std::array<std::int64_t, kContentTypes> table_counts(pqxx::transaction_base& tx) {
  std::array<std::int64_t, kContentTypes> out{};
  for (const auto& row : tx.exec("SELECT content_type, count FROM torrent_counts")) {
    const auto t = row[0].as<int>();
    if (t >= 0 && t < static_cast<int>(kContentTypes)) out[t] = row[1].as<std::int64_t>();
  }
  return out;
}

void set_counts(SearchPage& page, const std::array<std::int64_t, kContentTypes>& per_type,
                std::int64_t total, bool estimated) {
  page.total = {total, estimated};
  page.content_types.clear();
  for (std::size_t t = 0; t < kContentTypes; ++t) {
    if (per_type[t] > 0)
      page.content_types.push_back({static_cast<int>(t), {per_type[t], estimated}});
  }
}

// Facets of a sample of the matches, scaled to an estimated total.
void estimate_counts(SearchPage& page, const std::vector<Candidate>& sample, std::int64_t total) {
  std::array<std::int64_t, kContentTypes> per_type{};
  if (!sample.empty()) {
    std::array<std::int64_t, kContentTypes> seen{};
    for (const auto& c : sample) {
      if (c.content_type >= 0 && c.content_type < static_cast<int>(kContentTypes))
        ++seen[c.content_type];
    }
    for (std::size_t t = 0; t < kContentTypes; ++t) {
      per_type[t] = (seen[t] * total + static_cast<std::int64_t>(sample.size()) / 2) /
                    static_cast<std::int64_t>(sample.size());
    }
  }
  set_counts(page, per_type, total, true);
}

void exact_counts(SearchPage& page, const std::vector<Candidate>& all) {
  std::array<std::int64_t, kContentTypes> per_type{};
  for (const auto& c : all) {
    if (c.content_type >= 0 && c.content_type < static_cast<int>(kContentTypes))
      ++per_type[c.content_type];
  }
  set_counts(page, per_type, static_cast<std::int64_t>(all.size()), false);
}

// Sorts the candidates, skips to the page after `from`, and keeps one page;
// returns whether more follow.
bool take_page(std::vector<Candidate>& cands, const Plan& plan,
               const std::optional<PagePosition>& from, int page_size) {
  std::sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    return before(a, b, plan.relevance, plan.ascending);
  });
  if (from) {
    std::erase_if(cands, [&](const Candidate& c) {
      return !after_position(c, *from, plan.relevance, plan.ascending);
    });
  }
  const bool more = cands.size() > static_cast<std::size_t>(page_size);
  if (more) cands.resize(page_size);
  return more;
}

PagePosition position_of(const Candidate& c, bool relevance) {
  return {relevance ? score_key(c.score) : c.key, c.id};
}

// The hits of a page, in its order, read by id.
std::vector<Hit> read_hits(pqxx::transaction_base& tx, const std::vector<Candidate>& page) {
  if (page.empty()) return {};
  std::string ids;
  for (const auto& c : page) {
    if (!ids.empty()) ids += ',';
    ids += to_hex(c.id.view());
  }
  const auto rows =
      tx.exec_params(std::string("SELECT ") + kHitColumns +
                         " FROM torrents t WHERE t.id IN"
                         " (SELECT decode(x, 'hex') FROM unnest(string_to_array($1, ',')) x)",
                     ids);
  std::map<InfoHashV1, Hit> by_id;
  for (const auto& row : rows) {
    Hit h = read_hit(row);
    by_id.emplace(h.id, std::move(h));
  }
  std::vector<Hit> out;
  for (const auto& c : page) {
    auto it = by_id.find(c.id);
    if (it == by_id.end()) continue;  // deleted since the candidates were read
    it->second.score = c.score;
    out.push_back(std::move(it->second));
  }
  return out;
}

Status validate(const SearchSpec& spec) {
  if (spec.page_size < 1 || spec.page_size > kMaxPageSize) return SearchErrc::kBadPageSize;
  if (spec.min_size && spec.max_size && *spec.min_size > *spec.max_size)
    return SearchErrc::kBadRange;
  if (spec.first_seen_after && spec.first_seen_before &&
      *spec.first_seen_after > *spec.first_seen_before) {
    return SearchErrc::kBadRange;
  }
  return Ok{};
}

bool only_content_types(const SearchSpec& spec, bool has_words) {
  return !has_words && !spec.min_size && !spec.max_size && !spec.first_seen_after &&
         !spec.first_seen_before && spec.years.empty() && spec.resolutions.empty() &&
         !spec.season && !spec.episode && spec.extensions.empty();
}

}  // namespace

Result<SearchPage> run_search(pqxx::connection_base& conn, const SearchSpec& spec,
                              std::chrono::milliseconds timeout, const EngineLimits& limits) {
  if (auto ok = validate(spec); !ok) return ok.error();
  const auto fingerprint = request_fingerprint(spec);
  std::optional<PagePosition> from;
  if (!spec.page_token.empty()) {
    auto p = decode_page_token(spec.page_token, fingerprint);
    if (!p) return p.error();
    from = *p;
  }
  const auto facet_terms = facet_tsquery_terms(spec);
  if (!facet_terms) return facet_terms.error();
  std::string facets;
  for (const auto& term : *facet_terms) facets = and_tsquery_text(facets, term);

  pqxx::read_transaction tx(conn);
  // One round trip for the transaction's settings.
  tx.exec(local_timeout_sql(timeout) + "; SET LOCAL work_mem = '" + kSearchWorkMem +
          "'; SET LOCAL random_page_cost = " + kSearchRandomPageCost);

  // The words as tsquery text, normalized by PostgreSQL (one round trip), so
  // that the planner sees the real lexemes when it estimates.
  std::string words;
  const bool has_words = !spec.query.empty();
  if (has_words) {
    SqlParams p;
    const auto expr = words_tsquery_sql(spec.query, p);
    const auto r = tx.exec_params("SELECT (" + expr + ")::text",
                                  pqxx::prepare::make_dynamic_params(p.values()));
    words = r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    // Words that normalize to no lexeme at all (only separators to the
    // parser) can match nothing.
    if (words.empty()) return SearchPage{};
  }

  Plan plan;
  plan.relevance = has_words && spec.sort == SortKey::kRelevance;
  plan.ascending = spec.ascending;
  if (spec.sort == SortKey::kSize) plan.key_column = "total_size";
  plan.key_sql = spec.sort == SortKey::kSize
                     ? std::string("total_size")
                     : std::string("(extract(epoch FROM first_seen) * 1000000)::bigint");
  const bool size_key = spec.sort == SortKey::kSize;
  const auto tsq = and_tsquery_text(words, facets);
  if (!tsq.empty()) {
    plan.tsquery = tx.quote(tsq);
    add_cond(plan, "search @@ " + plan.tsquery + "::tsquery", false);
  }
  const auto range = [&](const std::string& column, const char* op, const std::string& value,
                         bool on_key) {
    const char* zero = column == "total_size" ? " + 0 " : " + interval '0' ";
    add_cond(plan, column + " " + op + " " + value, on_key, column + zero + op + " " + value);
  };
  if (spec.min_size) range("total_size", ">=", std::to_string(*spec.min_size), size_key);
  if (spec.max_size) range("total_size", "<=", std::to_string(*spec.max_size), size_key);
  if (spec.first_seen_after)
    range("first_seen", ">=", ts_literal(*spec.first_seen_after), !size_key);
  if (spec.first_seen_before)
    range("first_seen", "<", ts_literal(*spec.first_seen_before), !size_key);
  // One content type: the walk reads that type's part of the sort index
  // (content_type, key, id), where every row has the type: ebooks sorted by
  // size are found at once, not after every larger video.
  if (spec.content_types.size() == 1) {
    plan.key_conds.push_back("content_type = " + std::to_string(spec.content_types.front()));
  }

  SearchPage page;
  std::optional<std::int64_t> exact_total;
  if (only_content_types(spec, has_words)) {
    const auto counts = table_counts(tx);
    std::array<std::int64_t, kContentTypes> chosen{};
    std::int64_t total = 0;
    for (std::size_t t = 0; t < kContentTypes; ++t) {
      const bool wanted = spec.content_types.empty() ||
                          std::find(spec.content_types.begin(), spec.content_types.end(),
                                    static_cast<int>(t)) != spec.content_types.end();
      if (wanted) {
        chosen[t] = counts[t];
        total += counts[t];
      }
    }
    set_counts(page, chosen, total, false);
    exact_total = total;
  }
  const std::int64_t estimate = exact_total ? *exact_total : estimate_rows(tx, plan, *facet_terms);
  const bool collect_whole = collect_first(tx, plan, estimate, spec.page_size, limits);

  std::vector<Candidate> cands;
  bool more = false;
  std::optional<PagePosition> resume;  // a walk that stopped early continues here
  const auto over_cap = [&] { return static_cast<std::int64_t>(cands.size()) > kExactCountLimit; };
  const auto counts_from = [&](const std::vector<Candidate>& sample, std::int64_t total) {
    if (!exact_total) estimate_counts(page, sample, total);
  };
  bool done = false;
  if (collect_whole) {
    cands = collect(tx, plan);
    if (!over_cap()) {
      if (!exact_total) exact_counts(page, cands);
      done = true;
    } else {
      counts_from(cands, std::max(estimate, kExactCountLimit + 1));
      // Relevance ranks the capped set it has; a sort key needs a walk.
      done = plan.relevance;
    }
  } else if (plan.relevance) {
    // A large match set: rank the newest matches. When those are too few
    // (the matches are old), a capped collect gives the candidates instead.
    cands = walk(tx, plan, std::nullopt, limits.rank_candidates, limits);
    // Fewer than a page among the newest rows: the matches are old, and a
    // capped collect finds them. Otherwise rank what the walk met.
    if (static_cast<std::int64_t>(cands.size()) <= spec.page_size &&
        walk_end(tx, plan, std::nullopt, limits)) {
      cands = collect(tx, plan);
      if (!over_cap() && !exact_total) {
        exact_counts(page, cands);
      } else {
        counts_from(cands, std::max(estimate, kExactCountLimit + 1));
      }
    } else {
      counts_from(cands, estimate);
    }
    done = true;
  }
  if (done) {
    more = take_page(cands, plan, from, spec.page_size);
  } else {
    // Walk the sort index from the page position, a bounded distance.
    const bool collected = !cands.empty();  // and over the cap: counts are set
    const bool need_sample = !exact_total && !collected;
    const auto want =
        std::max<std::int64_t>(spec.page_size + 1, need_sample ? limits.facet_sample : 0);
    cands = walk(tx, plan, from, want, limits);
    if (need_sample) counts_from(cands, estimate);
    more = static_cast<std::int64_t>(cands.size()) > spec.page_size;
    if (!more) {
      if (auto end = walk_end(tx, plan, from, limits)) {
        // The walk stopped at its bound with the page not full: the estimate
        // was high, or the matches are old. A collect settles it when the set
        // is small; else the page ends here and its token continues the walk.
        auto all = collected ? std::vector<Candidate>{} : collect(tx, plan);
        if (!collected && static_cast<std::int64_t>(all.size()) <= kExactCountLimit) {
          if (!exact_total) exact_counts(page, all);
          cands = std::move(all);
          more = take_page(cands, plan, from, spec.page_size);
        } else {
          // The collected rows (a capped set) sample the facets better than
          // the few the walk met.
          if (!collected) counts_from(all, std::max(estimate, kExactCountLimit + 1));
          resume = end;
        }
      }
    }
    if (cands.size() > static_cast<std::size_t>(spec.page_size)) cands.resize(spec.page_size);
  }

  if (more && !cands.empty()) {
    page.next_page_token =
        encode_page_token(fingerprint, position_of(cands.back(), plan.relevance));
  } else if (resume) {
    page.next_page_token = encode_page_token(fingerprint, *resume);
  }
  page.hits = read_hits(tx, cands);
  return page;
}

}  // namespace magnetar::search
