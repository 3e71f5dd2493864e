// Fuzzes ParseOrderBy against the Agreement schema and, when it succeeds,
// CompareForOrder over the sample agreements, checking that the comparison
// is antisymmetric and reflexive. Errors must be InvalidArgument with the
// order_by payloads.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "service/query/errors.h"
#include "service/query/limits.h"
#include "service/query/order_by.h"
#include "tests/query/agreement_fixture.h"

namespace {

struct Fixture {
  std::unique_ptr<accord::query::Schema> schema = accord::query::testing::AgreementSchema();
  accord::v1::Agreement records[3] = {accord::query::testing::TradeAgreement(),
                                      accord::query::testing::Memorandum(),
                                      accord::query::testing::Undated()};
};

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<accord::query::OrderKey>> keys =
      accord::query::ParseOrderBy(input, *fixture->schema);
  if (!keys.ok()) {
    const absl::Status& status = keys.status();
    if (status.code() != absl::StatusCode::kInvalidArgument) Fail("not InvalidArgument");
    if (!status.GetPayload(accord::query::kOrderByReasonPayload).has_value()) Fail("no reason");
    std::optional<size_t> offset = accord::query::GetErrorOffset(status);
    if (!offset.has_value() || *offset > input.size()) Fail("bad offset");
    return 0;
  }
  if (keys->size() > static_cast<size_t>(accord::query::kMaxOrderByKeys)) Fail("too many keys");
  for (const auto& a : fixture->records) {
    if (accord::query::CompareForOrder(*keys, a, a) != 0) Fail("not reflexive");
    for (const auto& b : fixture->records) {
      if (Sign(accord::query::CompareForOrder(*keys, a, b)) !=
          -Sign(accord::query::CompareForOrder(*keys, b, a))) {
        Fail("not antisymmetric");
      }
    }
  }
  return 0;
}
