// The query shapes the benchmarks measure, with the parameters each call
// cycles through, shared by the Accord and SQLite benchmarks so that both
// answer exactly the same questions.
#ifndef ACCORD_BENCH_SHAPES_H_
#define ACCORD_BENCH_SHAPES_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/catgen/catgen.h"

namespace accord::bench {

inline constexpr int kPageSize = 50;
inline constexpr int kVariants = 16;
// The deep page: page 100 of the first shape.
inline constexpr int kDeepPage = 100;

// One concrete question.
struct Question {
  std::string filter;    // AIP-160, for Accord
  std::string order_by;  // AIP-132, for Accord
  bool count_only = false;
  // The same question's parameters, for SQL.
  std::string country_a, country_b, area;
  int kind = 0;
  int date_first = 0, date_last = 0;  // yyyymmdd bounds
};

inline const char* KindName(int kind) {
  static const char* const kNames[] = {"KIND_UNSPECIFIED",
                                       "TRADE_AGREEMENT",
                                       "MEMORANDUM_OF_UNDERSTANDING",
                                       "DEFENCE_ARRANGEMENT",
                                       "PARTNERSHIP_STATEMENT",
                                       "JOINT_STATEMENT",
                                       "TREATY",
                                       "INVESTMENT_AGREEMENT"};
  return kNames[kind];
}

// "one party and one kind, newest first"
inline Question PartyKindNewest(int v) {
  Question q;
  q.country_a = catgen::CountryName(v % 16);
  q.kind = 1 + (v * 5) % 7;
  q.filter = absl::StrCat("parties:\"", q.country_a, "\" AND kind = ", KindName(q.kind));
  q.order_by = "sign_date desc";
  return q;
}

// "two parties and one cooperation area"
inline Question TwoPartiesArea(int v) {
  Question q;
  q.country_a = catgen::CountryName(v % 8);
  q.country_b = catgen::CountryName(8 + (v * 3) % 8);
  q.area = catgen::AreaName(v % 4);
  q.filter = absl::StrCat("parties:\"", q.country_a, "\" AND parties:\"", q.country_b,
                          "\" AND cooperation_areas:\"", q.area, "\"");
  return q;
}

// "one area in a date range" (two calendar years)
inline Question AreaDateRange(int v) {
  Question q;
  q.area = catgen::AreaName(v % 16);
  const int year = 2000 + (v * 7) % 20;
  q.date_first = year * 10000 + 101;
  q.date_last = (year + 1) * 10000 + 1231;
  q.filter = absl::StrCat("cooperation_areas:\"", q.area, "\" AND sign_date >= \"", year,
                          "-01-01\" AND sign_date <= \"", year + 1, "-12-31\"");
  return q;
}

// "a filtered count": agreements of one party signed since 2015
inline Question FilteredCount(int v) {
  Question q;
  q.country_a = catgen::CountryName(v % 16);
  q.date_first = 20150101;
  q.filter = absl::StrCat("parties:\"", q.country_a, "\" AND sign_date >= \"2015\"");
  q.count_only = true;
  return q;
}

}  // namespace accord::bench

#endif  // ACCORD_BENCH_SHAPES_H_
