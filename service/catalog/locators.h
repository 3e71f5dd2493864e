// Checks that evidence locators point into their source, for editors (the
// `accord_catalog validate` tool) and the catalogue's own tests.
#ifndef ACCORD_SERVICE_CATALOG_LOCATORS_H_
#define ACCORD_SERVICE_CATALOG_LOCATORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "service/catalog/loader.h"

namespace accord::catalog {

// The paragraphs of a shipped source text, whitespace folded. The first
// non-blank block is the heading and is not a paragraph. Paragraphs are
// separated by whitespace-only lines; a block that starts with a lowercase
// letter continues the paragraph before it (a page break in the text).
std::vector<std::string> Paragraphs(absl::string_view text);

// OK if every evidence locator in the catalogue is meaningful to a reader of
// the source. A locator is one of:
//   ""                  for a source without shipped text (cited whole);
//   "paragraph N"       N counts the paragraphs of the source's text (see
//                       Paragraphs); the evidence's quote must lie in it;
//   "section TITLE" or "heading TITLE"   a titled part of the source; when
//                       the text ships, TITLE must occur in it.
// Evidence that quotes a shipped text must have a "paragraph N" locator.
// Anything else, such as a working label ("F3"), is InvalidArgument naming
// the file, record and field in the validator's form.
absl::Status CheckEvidenceLocators(const RawCatalog& raw);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_LOCATORS_H_
