// Evidence locators point into their source (issue 11): paragraphs of the
// shipped text, sections or headings; never a working label such as "F3".
#include "service/catalog/locators.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kText[] =
    "\n \nA Heading\n \nFirst paragraph, line one\nline two.\n \n"
    "Second paragraph runs to a page\n\n\n\nbreak and on.\n \nThird.\n";

TEST(ParagraphsTest, SplitsOnBlankLinesSkipsHeadingAndJoinsPageBreaks) {
  EXPECT_THAT(Paragraphs(kText),
              ElementsAre("First paragraph, line one line two.",
                          "Second paragraph runs to a page break and on.", "Third."));
}

absl::Status CheckDir(const std::string& evidence) {
  testing::TempCatalogDir dir;
  dir.Write("texts/article.txt", kText);
  dir.Write("c.textproto", absl::StrCat(R"text(
    countries { name: "countries/my" iso_code: "MY" }
    countries { name: "countries/us" iso_code: "US" }
    sources { name: "sources/article" }
    sources { name: "sources/page" }
    agreements {
      name: "agreements/pact" title: "Pact" parties: "countries/my" parties: "countries/us"
      )text",
                                        evidence, "\n}\n"));
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(dir.path());
  if (!raw.ok()) return raw.status();
  return CheckEvidenceLocators(*raw);
}

TEST(CheckEvidenceLocatorsTest, AcceptsParagraphsSectionsAndEmpty) {
  EXPECT_TRUE(CheckDir(R"text(evidence { source: "sources/article" quote: "page break and"
                                       locator: "paragraph 2" }
                            evidence { source: "sources/page" }
                            evidence { source: "sources/page" locator: "section Market access" }
                            evidence { source: "sources/article" locator: "heading A Heading" })text")
                  .ok());
}

TEST(CheckEvidenceLocatorsTest, RejectsWorkingLabels) {
  absl::Status s = CheckDir(R"text(evidence { source: "sources/page" locator: "F3" })text");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("agreements/pact: evidence[0].locator: \"F3\" does not point"));
  EXPECT_THAT(s.message(), HasSubstr("c.textproto: "));
}

TEST(CheckEvidenceLocatorsTest, RejectsAQuoteOutsideItsParagraph) {
  absl::Status s = CheckDir(
      R"text(evidence { source: "sources/article" quote: "Third." locator: "paragraph 1" })text");
  EXPECT_THAT(s.message(), HasSubstr("the quote is not in paragraph 1 of sources/article"));
}

TEST(CheckEvidenceLocatorsTest, RejectsParagraphsBeyondTheTextOrWithoutText) {
  EXPECT_THAT(CheckDir(R"text(evidence { source: "sources/article" locator: "paragraph 4" })text")
                  .message(),
              HasSubstr("has 3 paragraphs"));
  EXPECT_THAT(
      CheckDir(R"text(evidence { source: "sources/page" locator: "paragraph 1" })text").message(),
      HasSubstr("ships no text"));
  EXPECT_THAT(
      CheckDir(R"text(evidence { source: "sources/page" locator: "paragraph two" })text").message(),
      HasSubstr("must be a number"));
}

TEST(CheckEvidenceLocatorsTest, AQuoteOfAShippedTextNeedsItsParagraph) {
  EXPECT_THAT(
      CheckDir(R"text(evidence { source: "sources/article" quote: "Third." })text").message(),
      HasSubstr("needs a \"paragraph N\" locator"));
}

TEST(CheckEvidenceLocatorsTest, RejectsAHeadingTheTextDoesNotHave) {
  EXPECT_THAT(CheckDir(R"text(evidence { source: "sources/article" locator: "heading Nope" })text")
                  .message(),
              HasSubstr("\"Nope\" is not a heading"));
}

// The bundled catalogue: every locator is meaningful, none a working label.
TEST(BundledCatalogueTest, EveryEvidenceLocatorIsMeaningful) {
  absl::StatusOr<RawCatalog> raw =
      ReadCatalogDirectory(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(raw.ok()) << raw.status();
  absl::Status s = CheckEvidenceLocators(*raw);
  EXPECT_TRUE(s.ok()) << s;
}

}  // namespace
}  // namespace accord::catalog
