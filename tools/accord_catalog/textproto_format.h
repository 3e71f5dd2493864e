// The canonical layout of a catalogue textproto file, for `accord_catalog fmt`.
#ifndef ACCORD_TOOLS_ACCORD_CATALOG_TEXTPROTO_FORMAT_H_
#define ACCORD_TOOLS_ACCORD_CATALOG_TEXTPROTO_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace accord::tools {

// Rewrites `text`, a protobuf text-format message of type `type`, in the
// canonical layout, keeping every comment:
//  - one field per line, indented two spaces per level; `name: value` for
//    scalars, `name {` ... `}` for messages (`<...>` becomes `{...}`), and
//    `accord.v1.Date` values on one line (`date { year: 2025 month: 10 }`)
//    unless they hold a comment;
//  - list syntax (`f: [a, b]`) becomes one line per element; optional `;`
//    and `,` separators are dropped; adjacent string literals are joined on
//    one line; literals are kept as written;
//  - comments stay where they were: on their own line (re-indented) or at
//    the end of the line of the value they follow;
//  - runs of blank lines become one; none after `{`, before `}`, or at the
//    start of the file; the file ends with one newline.
// The result parses to the same message (checked: otherwise Internal), and
// formatting it again changes nothing. InvalidArgument with line:column for
// text that does not parse, and for extensions or Any expansions.
absl::StatusOr<std::string> FormatTextproto(absl::string_view text,
                                            const google::protobuf::Descriptor* type);

}  // namespace accord::tools

#endif  // ACCORD_TOOLS_ACCORD_CATALOG_TEXTPROTO_FORMAT_H_
