// Fuzzes the whole filter pipeline: parse, check against the Agreement
// schema, evaluate against sample agreements. Besides crashes and sanitizer
// reports, it aborts when an invariant of the error contract breaks: every
// error is InvalidArgument, starts "offset N: " and carries offset and
// reason payloads, with N within the input (or the length limit).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/query/checker.h"
#include "service/query/errors.h"
#include "service/query/evaluator.h"
#include "service/query/limits.h"
#include "service/query/parser.h"
#include "tests/query/agreement_fixture.h"

namespace {

using accord::query::CheckedExpr;

struct Fixture {
  std::unique_ptr<accord::query::Schema> schema = accord::query::testing::AgreementSchema();
  accord::v1::Agreement records[3] = {accord::query::testing::TradeAgreement(),
                                      accord::query::testing::Memorandum(),
                                      accord::query::testing::Undated()};
};

void Fail(const char* what, const absl::Status& status, absl::string_view input) {
  std::fprintf(stderr, "invariant broken: %s\nstatus: %s\ninput size: %zu\n", what,
               status.ToString().c_str(), input.size());
  std::abort();
}

void CheckError(const absl::Status& status, absl::string_view input) {
  if (status.code() != absl::StatusCode::kInvalidArgument)
    Fail("not InvalidArgument", status, input);
  if (!accord::query::GetFilterReason(status).has_value()) Fail("no reason payload", status, input);
  std::optional<size_t> offset = accord::query::GetErrorOffset(status);
  if (!offset.has_value()) Fail("no offset payload", status, input);
  if (*offset > input.size() && *offset != accord::query::kMaxFilterLength) {
    Fail("offset past the input", status, input);
  }
  if (!absl::StartsWith(status.message(), absl::StrCat("offset ", *offset, ": "))) {
    Fail("message doesn't start with the offset", status, input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<accord::query::ParsedExpr> parsed = accord::query::ParseFilter(input);
  if (!parsed.ok()) {
    CheckError(parsed.status(), input);
    return 0;
  }
  (void)accord::query::DebugString(*parsed);
  absl::StatusOr<CheckedExpr> checked = accord::query::Check(*parsed, *fixture->schema);
  if (!checked.ok()) {
    CheckError(checked.status(), input);
    return 0;
  }
  (void)accord::query::DebugString(*checked);
  CheckedExpr negated;
  negated.kind = CheckedExpr::Kind::kNot;
  negated.children.push_back(*checked);
  for (const accord::v1::Agreement& record : fixture->records) {
    const bool matches = accord::query::Matches(*checked, record);
    if (accord::query::Matches(negated, record) == matches) {
      Fail("NOT f == f", absl::OkStatus(), input);
    }
  }
  return 0;
}
