#include "tools/accord_catalog/textproto_format.h"

#include "accord/v1/catalog.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::tools {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::string> Fmt(const std::string& text) {
  return FormatTextproto(text, accord::v1::Catalog::descriptor());
}

TEST(FormatTextprotoTest, OneFieldPerLineTwoSpaceIndentDatesOnOneLine) {
  absl::StatusOr<std::string> out =
      Fmt("agreements {name: \"agreements/a\"   title:'T';\n"
          "events < type: SIGNED date {year: 2025, month: 10} > }");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "agreements {\n"
            "  name: \"agreements/a\"\n"
            "  title: 'T'\n"
            "  events {\n"
            "    type: SIGNED\n"
            "    date { year: 2025 month: 10 }\n"
            "  }\n"
            "}\n");
}

TEST(FormatTextprotoTest, KeepsCommentsWhereTheyWere) {
  absl::StatusOr<std::string> out =
      Fmt("# file header\n\n"
          "countries {  # the record\n"
          "      # about the name\n"
          "  name: \"countries/my\"   # trailing\n"
          "}\n");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "# file header\n"
            "\n"
            "countries {  # the record\n"
            "  # about the name\n"
            "  name: \"countries/my\"  # trailing\n"
            "}\n");
}

TEST(FormatTextprotoTest, ADateWithACommentStaysMultiLine) {
  absl::StatusOr<std::string> out = Fmt("sources { publish_date { # approximate\n year: 2025 } }");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "sources {\n"
            "  publish_date {  # approximate\n"
            "    year: 2025\n"
            "  }\n"
            "}\n");
}

TEST(FormatTextprotoTest, ListsBecomeOneLinePerElementAndBlankRunsCollapse) {
  absl::StatusOr<std::string> out =
      Fmt("\n\n\nagreements {\n\n  parties: [\"countries/my\", \"countries/us\"]\n\n\n\n"
          "  title: \"x\"\n\n}\n\n\n\ncountries { name: \"countries/my\" }\n\n\n");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "agreements {\n"
            "  parties: \"countries/my\"\n"
            "  parties: \"countries/us\"\n"
            "\n"
            "  title: \"x\"\n"
            "}\n"
            "\n"
            "countries {\n"
            "  name: \"countries/my\"\n"
            "}\n");
}

TEST(FormatTextprotoTest, IsIdempotent) {
  const std::string messy =
      "countries{name:\"countries/my\"}# c\n# d\nagreements{events{date{year:2025}}"
      "evidence{source:\"sources/s\" quote: \"a\"\n \"b\"}}";
  absl::StatusOr<std::string> once = Fmt(messy);
  ASSERT_TRUE(once.ok()) << once.status();
  absl::StatusOr<std::string> twice = Fmt(*once);
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(*once, *twice);
}

TEST(FormatTextprotoTest, TextThatDoesNotParseIsAnErrorWithItsLine) {
  absl::StatusOr<std::string> out = Fmt("countries {\n  name: \"countries/my\"\n  bogus: 1\n}\n");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("3:"));
  EXPECT_THAT(out.status().message(), HasSubstr("bogus"));
}

}  // namespace
}  // namespace accord::tools
