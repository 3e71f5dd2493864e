// Random AIP-160 filters and orderings over the agreements of a catgen
// catalogue (bench/catgen), for the tests that compare executors or
// indexes: atoms on every kind of field (indexed, unindexed, computed from
// children, nested), nested AND/OR/NOT, and order_by strings.
#ifndef ACCORD_TESTS_ENGINE_FILTER_MAKER_H_
#define ACCORD_TESTS_ENGINE_FILTER_MAKER_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/catgen/catgen.h"
#include "service/serving/serving_catalog.h"

namespace accord::engine {

class FilterMaker {
 public:
  explicit FilterMaker(uint32_t seed, const serving::Collection& agreements)
      : rng_(seed), agreements_(agreements) {}

  std::string Country() { return catgen::CountryName(Zipfish(catgen::kCountries)); }
  std::string Area() { return catgen::AreaName(Zipfish(40)); }
  std::string Date() {
    const int year = 1945 + Below(84);
    switch (Below(3)) {
      case 0:
        return absl::StrCat(year);
      case 1:
        return absl::StrCat(year, "-", Pad(1 + Below(12)));
      default:
        return absl::StrCat(year, "-", Pad(1 + Below(12)), "-", Pad(1 + Below(28)));
    }
  }
  std::string Op(bool ordered) {
    static const char* const kEq[] = {"=", ":", "!="};
    static const char* const kAll[] = {"=", ":", "!=", "<", "<=", ">", ">="};
    return ordered ? kAll[Below(7)] : kEq[Below(3)];
  }

  std::string Atom() {
    static const char* const kKinds[] = {"TRADE_AGREEMENT",
                                         "MEMORANDUM_OF_UNDERSTANDING",
                                         "DEFENCE_ARRANGEMENT",
                                         "JOINT_STATEMENT",
                                         "TREATY",
                                         "KIND_UNSPECIFIED"};
    static const char* const kStates[] = {"SIGNED", "IN_FORCE", "TERMINATED", "NEGOTIATED"};
    static const char* const kCommitmentKinds[] = {"TARIFF", "MARKET_ACCESS", "INVESTMENT",
                                                   "FURTHER_NEGOTIATION"};
    switch (Below(24)) {
      case 0:
      case 1:
      case 2:
        return absl::StrCat("parties", Op(false), "\"", Country(), "\"");
      case 3:
      case 4:
        return absl::StrCat("kind", Op(Below(4) == 0), kKinds[Below(6)]);
      case 5:
      case 6:
        return absl::StrCat("cooperation_areas", Op(false), "\"", Area(), "\"");
      case 7:
      case 8:
      case 9:
        return absl::StrCat(Below(2) ? "sign_date" : "signed", Op(true), "\"", Date(), "\"");
      case 10:
        return absl::StrCat("entry_into_force_date", Op(true), "\"", Date(), "\"");
      case 11:
        return Below(2) ? absl::StrCat("legally_binding = ", Below(2) ? "true" : "false")
                        : "legally_binding:*";
      case 12:
        return absl::StrCat("title", Below(2) ? " = " : ":",
                            Below(2) ? "\"*Trade*\"" : "\"Joint*\"");
      case 13:
        return absl::StrCat("commitments.committed_by", Op(false), "\"", Country(), "\"");
      case 14:
        return absl::StrCat("commitments.kind", Op(false), kCommitmentKinds[Below(4)]);
      case 15:
        return absl::StrCat("commitments.cooperation_areas:\"", Area(), "\"");
      case 16: {
        const std::string name(agreements_.name(Below(agreements_.size())));
        switch (Below(4)) {
          case 0:
            return absl::StrCat("name = \"", name, "\"");
          case 1:
            return absl::StrCat("name", Op(true), "\"", name, "\"");
          case 2:
            return absl::StrCat("name = \"", name.substr(0, 13), "*\"");
          default:
            return absl::StrCat("name != \"", name, "\"");
        }
      }
      case 17:
        return absl::StrCat("term_years", Op(true), 5 * Below(5));
      case 18:
        return absl::StrCat("state", Op(false), kStates[Below(4)]);
      case 19:
        return Below(2)
                   ? absl::StrCat("events.type = ", Below(2) ? "TERMINATED" : "ENTERED_INTO_FORCE")
                   : absl::StrCat("events.date", Op(true), "\"", Date(), "\"");
      case 20: {
        static const char* const kHas[] = {"sectors:*",
                                           "short_title:*",
                                           "summary:*",
                                           "place_of_signing:*",
                                           "term_years:*",
                                           "entry_into_force_date:*",
                                           "commitments.committed_to:*"};
        return kHas[Below(7)];
      }
      case 21:
        return absl::StrCat("sectors", Op(false), "\"sectors/", Below(2) ? "rice" : "steel", "\"");
      case 22:
        return absl::StrCat("parties", Below(2) ? " = " : " != ", "\"countries/",
                            Below(2) ? "*" : "a*", "\"");
      default:
        return absl::StrCat("evidence.locator = \"row ", Below(50), "*\"");
    }
  }

  std::string Expr(int depth) {
    if (depth == 0 || Below(3) == 0) return Atom();
    const int n = 2 + Below(2);
    std::vector<std::string> parts;
    for (int i = 0; i < n; ++i) parts.push_back(Expr(depth - 1));
    std::string joined = absl::StrJoin(parts, Below(3) == 0 ? " OR " : " AND ");
    if (Below(5) == 0) return absl::StrCat("NOT (", joined, ")");
    return absl::StrCat("(", joined, ")");
  }

  std::string OrderBy() {
    static const char* const kOrders[] = {"",
                                          "",
                                          "sign_date desc",
                                          "sign_date",
                                          "kind, sign_date desc",
                                          "title",
                                          "legally_binding desc",
                                          "term_years desc, name",
                                          "entry_into_force_date desc",
                                          "name desc",
                                          "state desc, title"};
    return kOrders[Below(sizeof(kOrders) / sizeof(kOrders[0]))];
  }

  uint32_t Below(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_); }

 private:
  int Zipfish(int n) {
    // Mostly popular values, sometimes rare ones.
    return Below(2) ? static_cast<int>(Below(8)) : static_cast<int>(Below(n));
  }
  static std::string Pad(int v) { return v < 10 ? absl::StrCat("0", v) : absl::StrCat(v); }

  std::mt19937 rng_;
  const serving::Collection& agreements_;
};

}  // namespace accord::engine

#endif  // ACCORD_TESTS_ENGINE_FILTER_MAKER_H_
