// Runs the committed fuzz seed corpora through the same pipelines and
// invariants as the fuzz targets, so that ctest covers them without clang.
#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/query/checker.h"
#include "service/query/errors.h"
#include "service/query/evaluator.h"
#include "service/query/order_by.h"
#include "tests/query/agreement_fixture.h"

namespace accord::query {
namespace {

std::vector<std::string> ReadCorpus(const std::string& dir) {
  std::vector<std::string> inputs;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return inputs;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(dir + "/" + e->d_name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    inputs.push_back(buffer.str());
  }
  closedir(d);
  return inputs;
}

void ExpectWellFormedError(const absl::Status& status, absl::string_view input) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << input;
  std::optional<size_t> offset = GetErrorOffset(status);
  ASSERT_TRUE(offset.has_value()) << input;
  EXPECT_TRUE(absl::StartsWith(status.message(), absl::StrCat("offset ", *offset, ": ")))
      << status.message();
}

TEST(CorpusTest, FilterSeeds) {
  const std::vector<std::string> inputs =
      ReadCorpus(std::string(ACCORD_SOURCE_DIR) + "/fuzz/corpus/filter");
  ASSERT_GE(inputs.size(), 20u);
  auto schema = testing::AgreementSchema();
  const accord::v1::Agreement records[] = {testing::TradeAgreement(), testing::Memorandum(),
                                           testing::Undated()};
  int compiled = 0;
  for (const std::string& input : inputs) {
    absl::StatusOr<CheckedExpr> expr = CompileFilter(input, *schema);
    if (!expr.ok()) {
      ExpectWellFormedError(expr.status(), input);
      EXPECT_TRUE(GetFilterReason(expr.status()).has_value()) << input;
      continue;
    }
    ++compiled;
    CheckedExpr negated;
    negated.kind = CheckedExpr::Kind::kNot;
    negated.children.push_back(*expr);
    for (const auto& record : records) {
      EXPECT_NE(Matches(*expr, record), Matches(negated, record)) << input;
    }
  }
  EXPECT_GE(compiled, 15);
}

TEST(CorpusTest, OrderBySeeds) {
  const std::vector<std::string> inputs =
      ReadCorpus(std::string(ACCORD_SOURCE_DIR) + "/fuzz/corpus/order_by");
  ASSERT_GE(inputs.size(), 10u);
  auto schema = testing::AgreementSchema();
  const accord::v1::Agreement records[] = {testing::TradeAgreement(), testing::Memorandum(),
                                           testing::Undated()};
  for (const std::string& input : inputs) {
    auto keys = ParseOrderBy(input, *schema);
    if (!keys.ok()) {
      ExpectWellFormedError(keys.status(), input);
      EXPECT_TRUE(keys.status().GetPayload(kOrderByReasonPayload).has_value());
      continue;
    }
    for (const auto& a : records) {
      for (const auto& b : records) {
        const int ab = CompareForOrder(*keys, a, b);
        const int ba = CompareForOrder(*keys, b, a);
        EXPECT_EQ((ab > 0) - (ab < 0), (ba < 0) - (ba > 0)) << input;
      }
    }
  }
}

}  // namespace
}  // namespace accord::query
