// Counts by group and full-text search at scale, beside SQLite (GROUP BY on
// indexed tables; FTS5 with bm25), on the synthetic catalogue of
// bench/catgen. Checks that both sides give the same counts, then prints a
// Markdown table of median times for bench/README.md.
//
//   build/accord_features_bench [AGREEMENTS=1000000] [REPEATS=5]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/catgen/catgen.h"
#include "service/counts/group_count.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/search/search_index.h"
#include "service/serving/serving_catalog.h"

namespace {

using accord::catalog::CollectionId;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double MedianMs(int repeats, const std::function<void()>& f) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    auto t = Clock::now();
    f();
    ms.push_back(Seconds(t) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n%s\n", err, sql.c_str());
    std::exit(1);
  }
}

// "key|key" -> count from a GROUP BY query whose last column is the count.
std::map<std::string, uint64_t> SqliteGroups(sqlite3* db, const std::string& sql) {
  std::map<std::string, uint64_t> out;
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), db, "prepare");
  int cols = sqlite3_column_count(st);
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string key;
    for (int c = 0; c + 1 < cols; ++c) {
      if (c) key += "|";
      key += reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    }
    out[key] = sqlite3_column_int64(st, cols - 1);
  }
  sqlite3_finalize(st);
  return out;
}

std::map<std::string, uint64_t> Flatten(const std::vector<accord::counts::GroupCount>& groups) {
  std::map<std::string, uint64_t> out;
  for (const auto& g : groups) {
    std::string key;
    for (size_t i = 0; i < g.key.size(); ++i) {
      if (i) key += "|";
      key += g.key[i].type == accord::query::Type::kString ? std::string(g.key[i].str)
                                                           : std::to_string(g.key[i].num);
    }
    out[key] = g.count;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;

  auto t = Clock::now();
  accord::catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  accord::catgen::Spec spec{1, n};
  accord::catgen::GenerateTaxonomy(spec, raw.catalog);
  accord::catgen::GenerateAgreements(spec, 0, n, raw.catalog);
  raw.version = "bench";
  auto stored = accord::catalog::Snapshot::Build(std::move(raw), "bench");
  if (!stored.ok()) {
    std::fprintf(stderr, "%s\n", std::string(stored.status().message()).c_str());
    return 1;
  }
  std::shared_ptr<const accord::serving::ServingCatalog> snapshot =
      accord::serving::ServingCatalog::Build(*stored);
  const accord::serving::Collection& c = snapshot->collection(CollectionId::kAgreements);
  std::fprintf(stderr, "catalogue: %zu agreements in %.1f s\n", c.size(), Seconds(t));

  // --- SQLite tables for GROUP BY, and FTS5 for search.
  t = Clock::now();
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  Exec(db,
       "CREATE TABLE agreements(pos INTEGER PRIMARY KEY, kind INTEGER, state INTEGER, "
       "sign_year INTEGER, sign_first INTEGER);"
       "CREATE TABLE agreement_areas(pos INTEGER, area TEXT);"
       "CREATE TABLE agreement_parties(pos INTEGER, party TEXT);"
       "CREATE VIRTUAL TABLE agreement_text USING fts5(titles, body, tokenize='porter');");
  Exec(db, "BEGIN");
  sqlite3_stmt *ins_a, *ins_area, *ins_party, *ins_text;
  sqlite3_prepare_v2(db, "INSERT INTO agreements VALUES(?,?,?,?,?)", -1, &ins_a, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO agreement_areas VALUES(?,?)", -1, &ins_area, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO agreement_parties VALUES(?,?)", -1, &ins_party, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO agreement_text(rowid, titles, body) VALUES(?,?,?)", -1,
                     &ins_text, nullptr);
  for (size_t i = 0; i < c.size(); ++i) {
    google::protobuf::Arena arena;
    const auto& a = static_cast<const accord::v1::Agreement&>(*c.Parse(i, &arena));
    sqlite3_bind_int64(ins_a, 1, i);
    sqlite3_bind_int(ins_a, 2, a.kind());
    sqlite3_bind_int(ins_a, 3, a.state());
    if (a.sign_date().year() > 0) {
      sqlite3_bind_int(ins_a, 4, a.sign_date().year());
      sqlite3_bind_int(ins_a, 5,
                       a.sign_date().year() * 10000 + std::max(1, a.sign_date().month()) * 100 +
                           std::max(1, a.sign_date().day()));
    } else {
      sqlite3_bind_null(ins_a, 4);
      sqlite3_bind_null(ins_a, 5);
    }
    Check(sqlite3_step(ins_a), db, "insert");
    sqlite3_reset(ins_a);
    for (const auto& area : a.cooperation_areas()) {
      sqlite3_bind_int64(ins_area, 1, i);
      sqlite3_bind_text(ins_area, 2, area.c_str(), -1, SQLITE_STATIC);
      Check(sqlite3_step(ins_area), db, "insert area");
      sqlite3_reset(ins_area);
    }
    for (const auto& party : a.parties()) {
      sqlite3_bind_int64(ins_party, 1, i);
      sqlite3_bind_text(ins_party, 2, party.c_str(), -1, SQLITE_STATIC);
      Check(sqlite3_step(ins_party), db, "insert party");
      sqlite3_reset(ins_party);
    }
    accord::search::RecordText text = accord::search::SearchableText(a);
    sqlite3_bind_int64(ins_text, 1, i + 1);
    sqlite3_bind_text(ins_text, 2, text.titles.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_text, 3, text.body.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(ins_text), db, "insert text");
    sqlite3_reset(ins_text);
  }
  Exec(db, "COMMIT");
  Exec(db,
       "CREATE INDEX a_kind ON agreements(kind); CREATE INDEX a_first ON agreements(sign_first);"
       "CREATE INDEX a_state ON agreements(state);"
       "CREATE INDEX area_pos ON agreement_areas(pos, area); CREATE INDEX area_area ON "
       "agreement_areas(area, pos);"
       "CREATE INDEX party_pos ON agreement_parties(pos, party); CREATE INDEX party_party ON "
       "agreement_parties(party, pos);");
  const double sqlite_load = Seconds(t);
  std::fprintf(stderr, "sqlite tables + fts5: %.1f s\n", sqlite_load);

  // --- Counts.
  auto field = [&](const char* path, accord::counts::Bucket b = accord::counts::Bucket::kValue) {
    return accord::counts::GroupField{c.index().field(c.schema().Find(path)), b};
  };
  auto matches = [&](const std::string& filter) {
    accord::engine::ListQuery q;
    q.begin = 0;
    q.end = c.size();
    std::optional<accord::query::CheckedExpr> expr;
    if (!filter.empty()) expr = *accord::query::CompileFilter(filter, c.schema());
    q.filter = expr ? &*expr : nullptr;
    q.limit = c.size();
    auto page = accord::engine::ExecuteList(c, q);
    Roaring r;
    r.addMany(page->positions.size(), page->positions.data());
    return r;
  };
  const std::string top = accord::catgen::CountryName(0);
  struct CountCase {
    std::string label, filter;
    std::vector<accord::counts::GroupField> fields;
    std::string sql;
  };
  std::vector<CountCase> cases = {
      {"by kind, all", "", {field("kind")}, "SELECT kind, COUNT(*) FROM agreements GROUP BY kind"},
      {"by state, signed since 2000",
       "sign_date >= \"2000\"",
       {field("state")},
       "SELECT state, COUNT(*) FROM agreements WHERE sign_first >= 20000101 GROUP BY state"},
      {"by year x area, since 2000",
       "sign_date >= \"2000\"",
       {field("sign_date", accord::counts::Bucket::kYear), field("cooperation_areas")},
       "SELECT a.sign_year, x.area, COUNT(*) FROM agreements a JOIN agreement_areas x ON "
       "x.pos = a.pos WHERE a.sign_first >= 20000101 GROUP BY 1, 2"},
      {"by area x kind, one party",
       "parties:\"" + top + "\"",
       {field("cooperation_areas"), field("kind")},
       "SELECT x.area, a.kind, COUNT(*) FROM agreement_parties p JOIN agreements a ON a.pos = "
       "p.pos JOIN agreement_areas x ON x.pos = a.pos WHERE p.party = '" +
           top + "' GROUP BY 1, 2"},
  };
  std::printf(
      "| counts at %zu agreements | Accord (filter + groups) | SQLite GROUP BY | groups "
      "|\n|---|---|---|---|\n",
      n);
  for (const CountCase& k : cases) {
    std::map<std::string, uint64_t> ours, theirs;
    double accord_ms = MedianMs(repeats, [&] {
      Roaring m = matches(k.filter);
      ours = Flatten(*accord::counts::CountByGroups(m, k.fields));
    });
    double sqlite_ms = MedianMs(repeats, [&] { theirs = SqliteGroups(db, k.sql); });
    if (ours != theirs) {
      std::fprintf(stderr, "MISMATCH in %s: %zu vs %zu groups\n", k.label.c_str(), ours.size(),
                   theirs.size());
      return 1;
    }
    std::printf("| %s | %.1f ms | %.1f ms | %zu |\n", k.label.c_str(), accord_ms, sqlite_ms,
                ours.size());
  }

  // --- Search.
  t = Clock::now();
  std::vector<accord::search::CollectionRecords> collections(1);
  collections[0].collection = "agreements";
  collections[0].records = &c.records();
  auto index = accord::search::SearchIndex::Build(std::move(collections));
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", std::string(index.status().message()).c_str());
    return 1;
  }
  const double xapian_build = Seconds(t);
  std::fprintf(stderr, "xapian index: %.1f s\n", xapian_build);
  std::printf(
      "\n| search at %zu agreements (top 20 + exact total) | Accord (Xapian) | SQLite FTS5 | "
      "matches |\n|---|---|---|---|\n",
      n);
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"critical minerals", "critical minerals"},
      {"\"clean energy\"", "\"clean energy\""},
      {"semiconductor treaty", "semiconductor treaty"},
      {"cyber resilience memorandum", "cyber resilience memorandum"},
  };
  for (const auto& [xq, fq] : queries) {
    uint64_t total = 0;
    accord::search::SearchRequest r;
    r.query = xq;
    r.limit = 20;
    double accord_ms = MedianMs(repeats, [&] { total = (*index)->Search(r)->total; });
    int64_t fts_total = 0;
    double sqlite_ms = MedianMs(repeats, [&] {
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(db,
                         "SELECT rowid, bm25(agreement_text, 3.0, 1.0) AS s FROM agreement_text "
                         "WHERE agreement_text MATCH ? ORDER BY s LIMIT 20",
                         -1, &st, nullptr);
      sqlite3_bind_text(st, 1, fq.c_str(), -1, SQLITE_STATIC);
      while (sqlite3_step(st) == SQLITE_ROW) {
      }
      sqlite3_finalize(st);
      sqlite3_prepare_v2(db, "SELECT count(*) FROM agreement_text WHERE agreement_text MATCH ?", -1,
                         &st, nullptr);
      sqlite3_bind_text(st, 1, fq.c_str(), -1, SQLITE_STATIC);
      if (sqlite3_step(st) == SQLITE_ROW) fts_total = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
    });
    std::printf("| `%s` | %.1f ms | %.1f ms | %llu (FTS5: %lld) |\n", xq.c_str(), accord_ms,
                sqlite_ms, static_cast<unsigned long long>(total),
                static_cast<long long>(fts_total));
  }
  std::printf("\nBuild: Xapian index %.1f s; SQLite tables, indexes and FTS5 %.1f s.\n",
              xapian_build, sqlite_load);
  sqlite3_close(db);
  return 0;
}
