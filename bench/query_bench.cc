// accord_query_bench: the query shapes of bench/shapes.h, in process,
// answered by Accord's engine and by SQLite over the same generated
// catalogue, as Google Benchmark cases. Each case records every call's
// latency and reports its median (p50_us) and p99 (p99_us).
//
//   accord_query_bench --catalogue=DIR [--sqlite] [benchmark flags]
//
// Without --sqlite only the Accord cases run (the growth runs). With it,
// the SQLite database is built in memory first, and every question is
// checked to give the same page and count in both before timing.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/strip.h"
#include "accord/v1/agreement.pb.h"
#include "bench/shapes.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/field_mask.pb.h"
#include "service/api/resource_methods.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"
#include "service/serving/serving_catalog.h"

namespace accord::bench {
namespace {

using catalog::CollectionId;
using Clock = std::chrono::steady_clock;

std::shared_ptr<const serving::ServingCatalog> g_snapshot;
sqlite3* g_db = nullptr;

const serving::Collection& Agreements() {
  return g_snapshot->collection(CollectionId::kAgreements);
}

// What a List answers: the page's names and the total.
struct Answer {
  std::vector<std::string> names;
  size_t total = 0;
  int64_t last_position = -1;
  bool operator==(const Answer& o) const { return names == o.names && total == o.total; }
};

// Accord: compile the filter and order (as every request does), execute.
Answer AccordList(const Question& q, int64_t after = -1) {
  const serving::Collection& c = Agreements();
  absl::StatusOr<query::CheckedExpr> filter = query::CompileFilter(q.filter, c.schema());
  absl::StatusOr<std::vector<query::OrderKey>> order = query::ParseOrderBy(q.order_by, c.schema());
  if (!filter.ok() || !order.ok()) std::abort();
  engine::ListQuery lq;
  lq.end = c.size();
  lq.filter = &*filter;
  lq.order = &*order;
  lq.after = after;
  lq.limit = q.count_only ? 0 : kPageSize;
  absl::StatusOr<engine::ListPage> page = engine::ExecuteList(c, lq);
  if (!page.ok()) std::abort();
  Answer a;
  a.total = page->total_size;
  for (uint32_t p : page->positions) a.names.emplace_back(c.name(p));
  if (!page->positions.empty()) a.last_position = page->positions.back();
  return a;
}

// ---------------------------------------------------------------------------
// SQLite: the schema a careful user would design for these questions.
//  agreement(id = position in name order, name)
//  party(agreement, country, kind, sk, nagr, sign_first), one row per party:
//    denormalised so that each question reads one covering index; sk packs
//    the signing date (first*1e8 + last) and nagr = -agreement, so that
//    "newest first, then by name" is one descending index order and pages
//    resume with a row-value keyset.
//  area(agreement, area, sign_first, sign_last), one row per area.
// Countries and areas are small integers.
// ---------------------------------------------------------------------------
absl::flat_hash_map<std::string, int> g_ids;  // country/area name -> id

int IdOf(const std::string& name) {
  auto [it, inserted] = g_ids.try_emplace(name, static_cast<int>(g_ids.size()) + 1);
  return it->second;
}

void Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(g_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n  in %s\n", err, sql);
    std::exit(1);
  }
}

sqlite3_stmt* Prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(g_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n  in %s\n", sqlite3_errmsg(g_db), sql);
    std::exit(1);
  }
  return s;
}

struct Date2 {
  int first = 0, last = 0;
};
Date2 DateOf(const accord::v1::Date& d) {
  if (d.year() == 0) return {};
  if (d.month() == 0) return {d.year() * 10000 + 101, d.year() * 10000 + 1231};
  const int ym = d.year() * 10000 + d.month() * 100;
  if (d.day() == 0) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int days = kDays[d.month() - 1];
    if (d.month() == 2) {
      const int y = d.year();
      days = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
    }
    return {ym + 1, ym + days};
  }
  return {ym + d.day(), ym + d.day()};
}

void BuildSqlite() {
  if (sqlite3_open(":memory:", &g_db) != SQLITE_OK) std::exit(1);
  Exec(
      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000;"
      "PRAGMA temp_store=MEMORY;");
  Exec(
      "CREATE TABLE agreement(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
      "CREATE TABLE party(agreement INT, country INT, kind INT, sk INT, nagr INT, "
      "  sign_first INT, PRIMARY KEY(agreement, country)) WITHOUT ROWID;"
      "CREATE TABLE area(agreement INT, area INT, sign_first INT, sign_last INT, "
      "  PRIMARY KEY(agreement, area)) WITHOUT ROWID;");
  Exec("BEGIN");
  sqlite3_stmt* ins_a = Prepare("INSERT INTO agreement VALUES(?1, ?2)");
  sqlite3_stmt* ins_p = Prepare("INSERT OR IGNORE INTO party VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  sqlite3_stmt* ins_r = Prepare("INSERT OR IGNORE INTO area VALUES(?1, ?2, ?3, ?4)");
  const serving::Collection& c = Agreements();
  for (size_t i = 0; i < c.size(); ++i) {
    google::protobuf::Arena arena;
    const auto& a = static_cast<const accord::v1::Agreement&>(*c.Parse(i, &arena));
    const Date2 d = DateOf(a.sign_date());
    sqlite3_bind_int64(ins_a, 1, static_cast<int64_t>(i));
    sqlite3_bind_text(ins_a, 2, a.name().data(), static_cast<int>(a.name().size()), SQLITE_STATIC);
    sqlite3_step(ins_a);
    sqlite3_reset(ins_a);
    for (const std::string& p : a.parties()) {
      sqlite3_bind_int64(ins_p, 1, static_cast<int64_t>(i));
      sqlite3_bind_int(ins_p, 2, IdOf(p));
      sqlite3_bind_int(ins_p, 3, a.kind());
      sqlite3_bind_int64(ins_p, 4, int64_t{d.first} * 100000000 + d.last);
      sqlite3_bind_int64(ins_p, 5, -static_cast<int64_t>(i));
      if (d.first != 0)
        sqlite3_bind_int(ins_p, 6, d.first);
      else
        sqlite3_bind_null(ins_p, 6);
      sqlite3_step(ins_p);
      sqlite3_reset(ins_p);
    }
    for (const std::string& r : a.cooperation_areas()) {
      sqlite3_bind_int64(ins_r, 1, static_cast<int64_t>(i));
      sqlite3_bind_int(ins_r, 2, IdOf(r));
      if (d.first != 0) {
        sqlite3_bind_int(ins_r, 3, d.first);
        sqlite3_bind_int(ins_r, 4, d.last);
      } else {
        sqlite3_bind_null(ins_r, 3);
        sqlite3_bind_null(ins_r, 4);
      }
      sqlite3_step(ins_r);
      sqlite3_reset(ins_r);
    }
  }
  sqlite3_finalize(ins_a);
  sqlite3_finalize(ins_p);
  sqlite3_finalize(ins_r);
  Exec("COMMIT");
  Exec(
      "CREATE INDEX party_kind_newest ON party(country, kind, sk, nagr);"
      "CREATE INDEX party_by_agreement ON party(country, agreement);"
      "CREATE INDEX party_signed ON party(country, sign_first);"
      "CREATE INDEX area_dates ON area(area, sign_first, sign_last);"
      "CREATE INDEX area_by_agreement ON area(area, agreement);"
      "ANALYZE;");
}

struct SqlShape {
  sqlite3_stmt* page = nullptr;
  sqlite3_stmt* count = nullptr;
};
SqlShape g_sql[5];
enum { kPartyKind, kTwoParties, kAreaDates, kCount, kDeep };

void PrepareShapes() {
  g_sql[kPartyKind].page = Prepare(
      "SELECT a.name FROM party p JOIN agreement a ON a.id = p.agreement "
      "WHERE p.country = ?1 AND p.kind = ?2 ORDER BY p.sk DESC, p.nagr DESC LIMIT 50");
  g_sql[kPartyKind].count = Prepare("SELECT count(*) FROM party WHERE country = ?1 AND kind = ?2");
  g_sql[kDeep].page = Prepare(
      "SELECT a.name FROM party p JOIN agreement a ON a.id = p.agreement "
      "WHERE p.country = ?1 AND p.kind = ?2 AND (p.sk, p.nagr) < (?3, ?4) "
      "ORDER BY p.sk DESC, p.nagr DESC LIMIT 50");
  g_sql[kDeep].count = g_sql[kPartyKind].count;
  g_sql[kTwoParties].page = Prepare(
      "SELECT a.name FROM party p1 "
      "JOIN party p2 ON p2.agreement = p1.agreement AND p2.country = ?2 "
      "JOIN area r ON r.agreement = p1.agreement AND r.area = ?3 "
      "JOIN agreement a ON a.id = p1.agreement "
      "WHERE p1.country = ?1 ORDER BY p1.agreement LIMIT 50");
  g_sql[kTwoParties].count = Prepare(
      "SELECT count(*) FROM party p1 "
      "JOIN party p2 ON p2.agreement = p1.agreement AND p2.country = ?2 "
      "JOIN area r ON r.agreement = p1.agreement AND r.area = ?3 "
      "WHERE p1.country = ?1");
  g_sql[kAreaDates].page = Prepare(
      "SELECT a.name FROM area r JOIN agreement a ON a.id = r.agreement "
      "WHERE r.area = ?1 AND r.sign_first >= ?2 AND r.sign_last <= ?3 "
      "ORDER BY r.agreement LIMIT 50");
  g_sql[kAreaDates].count =
      Prepare("SELECT count(*) FROM area WHERE area = ?1 AND sign_first >= ?2 AND sign_last <= ?3");
  g_sql[kCount].count =
      Prepare("SELECT count(*) FROM party WHERE country = ?1 AND sign_first >= ?2");
}

void Bind(sqlite3_stmt* s, int shape, const Question& q, int64_t after) {
  switch (shape) {
    case kPartyKind:
    case kDeep:
      sqlite3_bind_int(s, 1, IdOf(q.country_a));
      sqlite3_bind_int(s, 2, q.kind);
      if (shape == kDeep && sqlite3_bind_parameter_count(s) >= 4) {
        google::protobuf::Arena arena;
        const auto& a =
            static_cast<const accord::v1::Agreement&>(*Agreements().Parse(after, &arena));
        const Date2 d = DateOf(a.sign_date());
        sqlite3_bind_int64(s, 3, int64_t{d.first} * 100000000 + d.last);
        sqlite3_bind_int64(s, 4, -after);
      }
      break;
    case kTwoParties:
      sqlite3_bind_int(s, 1, IdOf(q.country_a));
      sqlite3_bind_int(s, 2, IdOf(q.country_b));
      sqlite3_bind_int(s, 3, IdOf(q.area));
      break;
    case kAreaDates:
      sqlite3_bind_int(s, 1, IdOf(q.area));
      sqlite3_bind_int(s, 2, q.date_first);
      sqlite3_bind_int(s, 3, q.date_last);
      break;
    case kCount:
      sqlite3_bind_int(s, 1, IdOf(q.country_a));
      sqlite3_bind_int(s, 2, q.date_first);
      break;
  }
}

Answer SqliteList(int shape, const Question& q, int64_t after = -1) {
  Answer a;
  SqlShape& s = g_sql[shape];
  if (s.page != nullptr) {
    Bind(s.page, shape, q, after);
    while (sqlite3_step(s.page) == SQLITE_ROW) {
      a.names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s.page, 0)),
                           sqlite3_column_bytes(s.page, 0));
    }
    sqlite3_reset(s.page);
  }
  Bind(s.count, shape, q, after);
  if (sqlite3_step(s.count) == SQLITE_ROW) a.total = sqlite3_column_int64(s.count, 0);
  sqlite3_reset(s.count);
  return a;
}

// ---------------------------------------------------------------------------
// Benchmarks.
// ---------------------------------------------------------------------------
Question Shape(int shape, int v) {
  switch (shape) {
    case kPartyKind:
      return PartyKindNewest(v);
    case kTwoParties:
      return TwoPartiesArea(v);
    case kAreaDates:
      return AreaDateRange(v);
    case kCount:
      return FilteredCount(v);
    default: {
      // Deep pages need at least kDeepPage pages: the most active countries
      // and the commonest kinds.
      Question q = PartyKindNewest(v);
      static const int kCommon[] = {1, 2, 5};
      q.country_a = catgen::CountryName(v % 4);
      q.kind = kCommon[v % 3];
      q.filter = absl::StrCat("parties:\"", q.country_a, "\" AND kind = ", KindName(q.kind));
      return q;
    }
  }
}

// The cursor before page kDeepPage of each deep variant (-1 if too few).
std::vector<int64_t> g_deep_cursor;

void ComputeDeepCursors() {
  for (int v = 0; v < kVariants; ++v) {
    const Question q = Shape(kDeep, v);
    int64_t after = -1;
    for (int page = 1; page < kDeepPage; ++page) {
      Answer a = AccordList(q, after);
      if (a.names.size() < static_cast<size_t>(kPageSize)) {
        after = -1;
        break;
      }
      after = a.last_position;
    }
    g_deep_cursor.push_back(after);
  }
}

void Report(benchmark::State& state, std::vector<double>& us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}

template <typename F>
void Timed(benchmark::State& state, F call) {
  std::vector<double> us;
  us.reserve(1 << 16);
  int v = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    call(v);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    v = (v + 1) % kVariants;
  }
  Report(state, us);
}

void BM_Accord(benchmark::State& state, int shape) {
  Timed(state, [&](int v) {
    const Question q = Shape(shape, v);
    if (shape == kDeep) {
      if (g_deep_cursor[v] < 0) return;
      benchmark::DoNotOptimize(AccordList(q, g_deep_cursor[v]));
      return;
    }
    benchmark::DoNotOptimize(AccordList(q));
  });
}

void BM_Sqlite(benchmark::State& state, int shape) {
  Timed(state, [&](int v) {
    const Question q = Shape(shape, v);
    if (shape == kDeep && g_deep_cursor[v] < 0) return;
    benchmark::DoNotOptimize(SqliteList(shape, q, shape == kDeep ? g_deep_cursor[v] : -1));
  });
}

// Only parsing and checking the filter and order_by of the first shape:
// the fixed cost of every List call before any index is touched.
void BM_AccordCompile(benchmark::State& state) {
  const serving::Collection& c = Agreements();
  Timed(state, [&](int v) {
    const Question q = Shape(kPartyKind, v);
    benchmark::DoNotOptimize(query::CompileFilter(q.filter, c.schema()));
    benchmark::DoNotOptimize(query::ParseOrderBy(q.order_by, c.schema()));
  });
}

void BM_AccordGet(benchmark::State& state) {
  const serving::Collection& c = Agreements();
  std::vector<std::string> names;
  for (size_t i = 0; i < 1024; ++i) names.emplace_back(c.name((i * 7919) % c.size()));
  google::protobuf::FieldMask mask;
  std::vector<double> us;
  size_t i = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    accord::v1::Agreement out;
    absl::Status s =
        api::GetResource(*g_snapshot, CollectionId::kAgreements, names[i++ % 1024], mask, &out);
    benchmark::DoNotOptimize(s);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  Report(state, us);
}

const char* const kShapeNames[] = {"party_kind_newest", "two_parties_area", "area_date_range",
                                   "filtered_count", "deep_page_100"};

// Every question must get the same answer from both; returns mismatches.
int Verify() {
  int bad = 0;
  for (int shape = 0; shape < 5; ++shape) {
    for (int v = 0; v < kVariants; ++v) {
      const Question q = Shape(shape, v);
      if (shape == kDeep && g_deep_cursor[v] < 0) continue;
      const int64_t after = shape == kDeep ? g_deep_cursor[v] : -1;
      Answer a = AccordList(q, after), b = SqliteList(shape, q, after);
      if (!(a == b)) {
        ++bad;
        std::fprintf(stderr,
                     "MISMATCH %s v=%d: accord total=%zu page=%zu, sqlite total=%zu page=%zu\n",
                     kShapeNames[shape], v, a.total, a.names.size(), b.total, b.names.size());
      }
    }
  }
  return bad;
}

}  // namespace
}  // namespace accord::bench

int main(int argc, char** argv) {
  using namespace accord::bench;
  std::string dir;
  bool sqlite = false;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--catalogue=")) {
      dir = std::string(arg);
    } else if (arg == "--sqlite") {
      sqlite = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  auto t0 = Clock::now();
  // Benchmark catalogues are far above the server's default load limit.
  accord::catalog::LoadLimits limits;
  limits.max_total_bytes = int64_t{1} << 40;
  auto loaded = accord::serving::ServingCatalog::Load(dir, limits);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  g_snapshot = *loaded;
  std::fprintf(stderr, "loaded %zu agreements in %.1f s\n", Agreements().size(),
               std::chrono::duration<double>(Clock::now() - t0).count());
  const size_t index_bytes_loaded = Agreements().index().MemoryBytes();
  ComputeDeepCursors();
  benchmark::RegisterBenchmark("accord/get_by_name", BM_AccordGet);
  benchmark::RegisterBenchmark("accord/compile_only", BM_AccordCompile);
  for (int shape = 0; shape < 5; ++shape) {
    benchmark::RegisterBenchmark((std::string("accord/") + kShapeNames[shape]).c_str(), BM_Accord,
                                 shape);
  }
  if (sqlite) {
    t0 = Clock::now();
    BuildSqlite();
    PrepareShapes();
    std::fprintf(stderr, "sqlite built in %.1f s\n",
                 std::chrono::duration<double>(Clock::now() - t0).count());
    const int bad = Verify();
    std::fprintf(stderr, "verify: %d mismatches between Accord and SQLite\n", bad);
    if (bad > 0) return 3;
    for (int shape = 0; shape < 5; ++shape) {
      benchmark::RegisterBenchmark((std::string("sqlite/") + kShapeNames[shape]).c_str(), BM_Sqlite,
                                   shape);
    }
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // The agreements' indexes as loaded, and after the queries above built
  // what they use on first use (rank-space postings, lazy columns).
  std::printf("index_bytes loaded=%zu after=%zu\n", index_bytes_loaded,
              Agreements().index().MemoryBytes());
  return 0;
}
