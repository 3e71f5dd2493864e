// Text helpers for checking quotes against source texts.
#ifndef ACCORD_SERVICE_CATALOG_TEXT_H_
#define ACCORD_SERVICE_CATALOG_TEXT_H_

#include <string>
#include "absl/strings/string_view.h"

namespace accord::catalog {

// `text` with every run of ASCII whitespace (space, tab, CR, LF, FF, VT)
// replaced by one space, and no leading or trailing space. Source texts are
// hard-wrapped, so quotes are compared after both are folded.
std::string FoldWhitespace(absl::string_view text);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_TEXT_H_
