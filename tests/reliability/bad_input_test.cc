// The bad-input table of docs/reliability.md: every malformed or hostile
// request tried against the real server, with the code, ErrorInfo reason
// and BadRequest field it must get. Run with ACCORD_PRINT_TABLE=1 to print
// the table as Markdown.
#include <cstdlib>
#include <functional>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "service/query/limits.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

using namespace accord::v1;  // NOLINT: request and response types
using Stub = AccordService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*)>;

constexpr char kToken[] = "Bearer table-token";

struct Case {
  std::string group;
  std::string what;
  Call call;
  grpc::StatusCode code;
  std::string reason;                  // ErrorInfo.reason; "" when gRPC itself answers
  std::string field;                   // BadRequest field; "" for none
  std::string authorization = kToken;  // "-" sends no authorization at all
};

Call GetCountry(std::string name) {
  return [name](Stub& s, grpc::ClientContext* c) {
    GetCountryRequest r;
    r.set_name(name);
    Country out;
    return s.GetCountry(c, r, &out);
  };
}

Call BatchGetCountries(std::vector<std::string> names) {
  return [names](Stub& s, grpc::ClientContext* c) {
    BatchGetCountriesRequest r;
    for (const auto& n : names) r.add_names(n);
    BatchGetCountriesResponse out;
    return s.BatchGetCountries(c, r, &out);
  };
}

Call ListAgreements(std::function<void(ListAgreementsRequest*)> fill) {
  return [fill](Stub& s, grpc::ClientContext* c) {
    ListAgreementsRequest r;
    fill(&r);
    ListAgreementsResponse out;
    return s.ListAgreements(c, r, &out);
  };
}

Call Filter(std::string filter) {
  return ListAgreements([filter](ListAgreementsRequest* r) { r->set_filter(filter); });
}
Call OrderBy(std::string order_by) {
  return ListAgreements([order_by](ListAgreementsRequest* r) { r->set_order_by(order_by); });
}
Call PageToken(std::string token, std::string filter = "") {
  return ListAgreements([token, filter](ListAgreementsRequest* r) {
    r->set_page_token(token);
    r->set_filter(filter);
  });
}
Call ReadMask(std::vector<std::string> paths) {
  return [paths](Stub& s, grpc::ClientContext* c) {
    GetCountryRequest r;
    r.set_name("countries/my");
    for (const auto& p : paths) r.mutable_read_mask()->add_paths(p);
    Country out;
    return s.GetCountry(c, r, &out);
  };
}

// A real next_page_token for ListAgreements with `filter`, page size 1.
std::string IssuedToken(Stub& stub, const std::string& filter) {
  ListAgreementsRequest r;
  r.set_page_size(1);
  r.set_filter(filter);
  ListAgreementsResponse out;
  grpc::ClientContext c;
  c.AddMetadata("authorization", kToken);
  EXPECT_TRUE(stub.ListAgreements(&c, r, &out).ok());
  return out.next_page_token();
}

std::string Nested(int depth) {
  return std::string(depth, '(') + "title = \"x\"" + std::string(depth, ')');
}

std::vector<Case> Cases(Stub& stub) {
  using grpc::StatusCode;
  const std::string token = IssuedToken(stub, "");
  std::string altered = token;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  std::string restrictions;
  for (int i = 0; i <= query::kMaxRestrictions; ++i) {
    absl::StrAppend(&restrictions, i ? " OR " : "", "title = \"a\"");
  }
  std::vector<std::string> many_names;
  for (int i = 0; i < 101; ++i) many_names.push_back("countries/my");
  const std::string kInvalidUtf8 = "title = \"\xff\xfe\"";

  return {
      // Names.
      {"name", "empty name", GetCountry(""), StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "collection only (`countries/`)", GetCountry("countries/"),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "name of another collection (`agreements/x` to GetCountry)",
       GetCountry("agreements/x"), StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "path traversal (`countries/../agreements`)", GetCountry("countries/../agreements"),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "extra segment (`countries/my/x`)", GetCountry("countries/my/x"),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "NUL byte inside the name", GetCountry(std::string("countries/my\0x", 14)),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "upper case and spaces (`countries/M Y`)", GetCountry("countries/M Y"),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "2 000-byte name", GetCountry("countries/" + std::string(1990, 'a')),
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      {"name", "well formed but absent (`countries/zz`)", GetCountry("countries/zz"),
       StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", ""},
      {"name", "BatchGet with no names", BatchGetCountries({}), StatusCode::INVALID_ARGUMENT,
       "EMPTY_BATCH", "names"},
      {"name", "BatchGet with 101 names", BatchGetCountries(many_names),
       StatusCode::INVALID_ARGUMENT, "BATCH_TOO_LARGE", "names"},
      {"name", "BatchGet whose second name is malformed",
       BatchGetCountries({"countries/my", "nonsense"}), StatusCode::INVALID_ARGUMENT,
       "INVALID_NAME", "names[1]"},
      {"name", "BatchGet with one absent name", BatchGetCountries({"countries/my", "countries/zz"}),
       StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", ""},
      {"name", "ListCommitments under a country (`parent: countries/my`)",
       [](Stub& s, grpc::ClientContext* c) {
         ListCommitmentsRequest r;
         r.set_parent("countries/my");
         ListCommitmentsResponse out;
         return s.ListCommitments(c, r, &out);
       },
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "parent"},
      {"name", "GetCatalogStatus with a name other than `catalogStatus`",
       [](Stub& s, grpc::ClientContext* c) {
         GetCatalogStatusRequest r;
         r.set_name("catalogStatus/x");
         CatalogStatus out;
         return s.GetCatalogStatus(c, r, &out);
       },
       StatusCode::INVALID_ARGUMENT, "INVALID_NAME", "name"},
      // Filters.
      {"filter", "dangling operator (`title =`)", Filter("title ="), StatusCode::INVALID_ARGUMENT,
       "FILTER_SYNTAX", "filter"},
      {"filter", "unbalanced parentheses (`((title = \"x\"`)", Filter("((title = \"x\""),
       StatusCode::INVALID_ARGUMENT, "FILTER_SYNTAX", "filter"},
      {"filter", "unterminated string (`title = \"x`)", Filter("title = \"x"),
       StatusCode::INVALID_ARGUMENT, "FILTER_SYNTAX", "filter"},
      {"filter", "unknown field (`nosuch = 1`)", Filter("nosuch = 1"), StatusCode::INVALID_ARGUMENT,
       "UNKNOWN_FIELD", "filter"},
      {"filter", "unknown enum value (`kind = BANANA`)", Filter("kind = BANANA"),
       StatusCode::INVALID_ARGUMENT, "TYPE_MISMATCH", "filter"},
      {"filter", "impossible date (`sign_date > 2024-13-45`)", Filter("sign_date > 2024-13-45"),
       StatusCode::INVALID_ARGUMENT, "TYPE_MISMATCH", "filter"},
      // proto3 string fields must be UTF-8: the request does not parse, so
      // gRPC answers before any Accord code runs (gRPC 1.51's callback API
      // reports an unparseable request as UNIMPLEMENTED, with no details).
      {"filter", "invalid UTF-8 inside a string literal", Filter(kInvalidUtf8),
       StatusCode::UNIMPLEMENTED, "", ""},
      {"name", "invalid UTF-8 in a name", GetCountry("countries/\xc3\x28"),
       StatusCode::UNIMPLEMENTED, "", ""},
      {"filter", "4 097 bytes (limit 4 096)",
       Filter("title = \"" + std::string(query::kMaxFilterLength + 1 - 9, 'x') + "\""),
       StatusCode::INVALID_ARGUMENT, "FILTER_TOO_COMPLEX", "filter"},
      {"filter", "33 nested parentheses (limit 32)", Filter(Nested(query::kMaxNestingDepth + 1)),
       StatusCode::INVALID_ARGUMENT, "FILTER_TOO_COMPLEX", "filter"},
      {"filter", "201 restrictions (limit 200)", Filter(restrictions), StatusCode::INVALID_ARGUMENT,
       "FILTER_TOO_COMPLEX", "filter"},
      {"filter", "10 000 nested parentheses (stack-exhaustion attempt)", Filter(Nested(10000)),
       StatusCode::INVALID_ARGUMENT, "FILTER_TOO_COMPLEX", "filter"},
      // order_by.
      {"order_by", "unknown field (`nosuch`)", OrderBy("nosuch"), StatusCode::INVALID_ARGUMENT,
       "INVALID_ORDER_BY", "order_by"},
      {"order_by", "repeated field (`title, title`)", OrderBy("title, title"),
       StatusCode::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by"},
      {"order_by", "bad direction (`title sideways`)", OrderBy("title sideways"),
       StatusCode::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by"},
      {"order_by", "repeated (unsortable) field (`parties`)", OrderBy("parties"),
       StatusCode::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by"},
      {"order_by", "empty key (`title,,kind`)", OrderBy("title,,kind"),
       StatusCode::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by"},
      {"order_by", "1 025 bytes (limit 1 024)",
       OrderBy("title" + std::string(query::kMaxOrderByLength + 1 - 5, ' ')),
       StatusCode::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by"},
      // Page tokens and sizes.
      {"page_token", "not base64 (`not a token!`)", PageToken("not a token!"),
       StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token"},
      {"page_token", "a real token with one character changed", PageToken(altered),
       StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token"},
      {"page_token", "a real token cut short", PageToken(token.substr(0, token.size() / 2)),
       StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token"},
      {"page_token", "10 000 bytes of base64", PageToken(std::string(10000, 'A')),
       StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token"},
      {"page_token", "a real token replayed with another filter", PageToken(token, "kind = TREATY"),
       StatusCode::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", "page_token"},
      {"page_token", "an agreements token sent to ListCountries",
       [token](Stub& s, grpc::ClientContext* c) {
         ListCountriesRequest r;
         r.set_page_token(token);
         ListCountriesResponse out;
         return s.ListCountries(c, r, &out);
       },
       StatusCode::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", "page_token"},
      {"page_size", "negative page_size (-1)",
       ListAgreements([](ListAgreementsRequest* r) { r->set_page_size(-1); }),
       StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_SIZE", "page_size"},
      // Read masks.
      {"read_mask", "unknown path (`nosuch`)", ReadMask({"nosuch"}), StatusCode::INVALID_ARGUMENT,
       "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask", "sub-path of a scalar (`display_name.x`)", ReadMask({"display_name.x"}),
       StatusCode::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask", "second path bad (`name`, `bogus`)", ReadMask({"name", "bogus"}),
       StatusCode::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[1]"},
      {"read_mask", "empty path (`\"\"`)", ReadMask({""}), StatusCode::INVALID_ARGUMENT,
       "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask", "path through a repeated field (`events.type`)", ReadMask({"events.type"}),
       StatusCode::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask", "path into a nested message that does not exist (`level_history.bogus`)",
       ReadMask({"level_history.bogus"}), StatusCode::INVALID_ARGUMENT, "INVALID_READ_MASK",
       "read_mask.paths[0]"},
      // Oversized messages.
      {"size", "request of 1 MiB + 1 byte (limit 1 MiB)", Filter(std::string((1 << 20) - 3, 'a')),
       StatusCode::RESOURCE_EXHAUSTED, "", ""},
      // Credentials.
      {"credentials", "no authorization metadata", GetCountry("countries/my"),
       StatusCode::UNAUTHENTICATED, "TOKEN_MISSING", "", "-"},
      {"credentials", "wrong bearer token", GetCountry("countries/my"), StatusCode::UNAUTHENTICATED,
       "TOKEN_REJECTED", "", "Bearer wrong-token"},
      {"credentials", "right token, wrong scheme (`Basic`)", GetCountry("countries/my"),
       StatusCode::UNAUTHENTICATED, "TOKEN_MISSING", "", "Basic table-token"},
      {"credentials", "empty bearer token (`Bearer `)", GetCountry("countries/my"),
       StatusCode::UNAUTHENTICATED, "TOKEN_MISSING", "", "Bearer "},
      {"credentials", "token with a prefix of the right one", GetCountry("countries/my"),
       StatusCode::UNAUTHENTICATED, "TOKEN_REJECTED", "", "Bearer table-tok"},
      {"credentials", "bearer token of blanks only (`Bearer` + 5 spaces)",
       GetCountry("countries/my"), StatusCode::UNAUTHENTICATED, "TOKEN_MISSING", "", "Bearer     "},
      {"credentials", "no token on GetCatalogStatus",
       [](Stub& s, grpc::ClientContext* c) {
         GetCatalogStatusRequest r;
         CatalogStatus out;
         return s.GetCatalogStatus(c, r, &out);
       },
       StatusCode::UNAUTHENTICATED, "TOKEN_MISSING", "", "-"},
  };
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    default:
      return "other";
  }
}

TEST(BadInputTest, EveryHostileRequestGetsItsDocumentedError) {
  TempDir dir;
  WriteFile(dir / "tokens", "table-token\n");
  ServerProcess server;
  ASSERT_TRUE(
      server.Start({"--catalog=" + BundledCatalog(), "--auth_token_file=" + (dir / "tokens")}))
      << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  std::vector<Case> cases = Cases(*stub);
  ASSERT_GE(cases.size(), 30u);
  const bool print = std::getenv("ACCORD_PRINT_TABLE") != nullptr;
  if (print) {
    std::cout << "| # | input | request | code | reason | BadRequest field | message |\n"
              << "|---|---|---|---|---|---|---|\n";
  }
  int n = 0;
  for (const Case& c : cases) {
    ++n;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (c.authorization != "-") context.AddMetadata("authorization", c.authorization);
    ErrorDetails e = ReadError(c.call(*stub, &context));
    std::string field = e.violations.empty() ? "" : e.violations[0].first;
    SCOPED_TRACE(absl::StrCat("case ", n, ": ", c.group, ": ", c.what, " -> ", e.message));
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.reason, c.reason);
    EXPECT_EQ(field, c.field);
    if (!c.reason.empty()) {
      EXPECT_EQ(e.domain, "accord");
      EXPECT_EQ(e.error_infos, 1);
    }
    if (print) {
      std::string message = e.message.size() > 110 ? e.message.substr(0, 107) + "..." : e.message;
      for (char& ch : message) {
        if (static_cast<unsigned char>(ch) < 0x20) ch = '?';
      }
      message = absl::StrReplaceAll(message, {{"|", "\\|"}});
      std::cout << "| " << n << " | " << c.group << " | " << c.what << " | `" << CodeName(e.code)
                << "` | " << (e.reason.empty() ? "—" : "`" + e.reason + "`") << " | "
                << (field.empty() ? "—" : "`" + field + "`") << " | " << message << " |\n";
    }
  }
  // The server survived all of it.
  EXPECT_EQ(HealthOf(InsecureChannel(server.address()), ""), 1);
}

// Requests with invalid UTF-8 in a string field make protobuf log an ERROR
// while gRPC parses them, before any check of ours (even the token check):
// 225 bytes of stderr per request, a log-flooding vector. The server
// rate-limits protobuf's log lines: 300 such requests write at most a few.
TEST(BadInputTest, InvalidUtf8RequestsDoNotFloodTheLog) {
  TempDir dir;
  WriteFile(dir / "tokens", "table-token\n");
  ServerProcess server;
  ASSERT_TRUE(
      server.Start({"--catalog=" + BundledCatalog(), "--auth_token_file=" + (dir / "tokens")}))
      << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  auto count_lines = [&] {
    std::string log = server.log();
    int lines = 0;
    for (size_t at = log.find("UTF-8"); at != std::string::npos; at = log.find("UTF-8", at + 1)) {
      ++lines;
    }
    return lines;
  };
  const int before = count_lines();
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    GetCountryRequest r;
    r.set_name("countries/\xff\xfe");
    Country out;
    grpc::Status s = stub->GetCountry(&context, r, &out);
    if (!s.ok()) ++refused;
  }
  EXPECT_EQ(refused, 300);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int written = count_lines() - before;
  EXPECT_GE(written, 1);  // the first is logged
  EXPECT_LE(written, 3) << server.log();
  EXPECT_EQ(HealthOf(InsecureChannel(server.address()), ""), 1);
}

// Every error path that could quote a request value, fed the largest value a
// request may carry (just under --max_receive_message_bytes, 1 MiB): the
// error must still arrive through the C-core client's default metadata
// limit as INVALID_ARGUMENT with its details, and quote only a prefix.
TEST(BadInputTest, LargestValuesInEveryErrorPathArriveAsInvalidArgument) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog()})) << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  const size_t kBig = (1 << 20) - 256;  // leaves room for the request's framing
  const std::string big(kBig, 'a');
  // Multi-byte UTF-8 characters, so that a cut must respect their boundaries.
  std::string big_utf8;
  while (big_utf8.size() + 3 <= kBig) big_utf8 += "\xe2\x82\xac";  // U+20AC, 3 bytes
  struct Big {
    std::string what;
    Call call;
    std::string reason;
    std::string field;
  };
  std::vector<Big> cases = {
      {"name", GetCountry("countries/" + big), "INVALID_NAME", "name"},
      {"name (UTF-8)", GetCountry("countries/" + big_utf8), "INVALID_NAME", "name"},
      {"BatchGet name", BatchGetCountries({"countries/my", big}), "INVALID_NAME", "names[1]"},
      {"ListCommitments parent",
       [&](Stub& s, grpc::ClientContext* c) {
         ListCommitmentsRequest r;
         r.set_parent("agreements/" + big);
         ListCommitmentsResponse out;
         return s.ListCommitments(c, r, &out);
       },
       "INVALID_NAME", "parent"},
      {"GetCatalogStatus name",
       [&](Stub& s, grpc::ClientContext* c) {
         GetCatalogStatusRequest r;
         r.set_name(big);
         CatalogStatus out;
         return s.GetCatalogStatus(c, r, &out);
       },
       "INVALID_NAME", "name"},
      {"GetCatalogStatus name (UTF-8)",
       [&](Stub& s, grpc::ClientContext* c) {
         GetCatalogStatusRequest r;
         r.set_name(big_utf8);
         CatalogStatus out;
         return s.GetCatalogStatus(c, r, &out);
       },
       "INVALID_NAME", "name"},
      {"read_mask unknown field", ReadMask({big}), "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask unknown field (UTF-8)", ReadMask({big_utf8}), "INVALID_READ_MASK",
       "read_mask.paths[0]"},
      {"read_mask malformed", ReadMask({big + ".."}), "INVALID_READ_MASK", "read_mask.paths[0]"},
      {"read_mask nested unknown", ReadMask({"name." + big}), "INVALID_READ_MASK",
       "read_mask.paths[0]"},
      {"filter", Filter(big), "FILTER_TOO_COMPLEX", "filter"},
      {"filter unknown field", Filter(std::string(4000, 'f') + " = 1"), "UNKNOWN_FIELD", "filter"},
      {"order_by", OrderBy(big), "INVALID_ORDER_BY", "order_by"},
      {"page_token", PageToken(big), "INVALID_PAGE_TOKEN", "page_token"},
  };
  for (const Big& c : cases) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    ErrorDetails e = ReadError(c.call(*stub, &context));
    SCOPED_TRACE(c.what);
    EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT) << e.message.substr(0, 200);
    EXPECT_EQ(e.reason, c.reason);
    EXPECT_LE(e.message.size(), 1100u);
    if (e.violations.empty()) {
      ADD_FAILURE() << "no BadRequest";
      continue;
    }
    EXPECT_EQ(e.violations[0].first, c.field);
  }
  EXPECT_EQ(HealthOf(InsecureChannel(server.address()), ""), 1);
}

}  // namespace
}  // namespace accord::testing
