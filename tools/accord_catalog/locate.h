// Maps a catalogue validation error back to a line in a textproto file.
#ifndef ACCORD_TOOLS_ACCORD_CATALOG_LOCATE_H_
#define ACCORD_TOOLS_ACCORD_CATALOG_LOCATE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace accord::tools {

// The parts of a validator message "FILE: RECORD: PATH: PROBLEM" (see
// service/catalog/validator.h); `path` may be empty ("FILE: RECORD: PROBLEM").
struct ValidationMessage {
  std::string file;
  std::string record;
  std::string path;  // e.g. "events[0].date"
  std::string problem;
};

// Splits a validator message whose file is one of the files of `directory`.
// Returns nullopt when the message names no file (e.g. a directory error).
std::optional<ValidationMessage> SplitValidationMessage(absl::string_view message);

// A 1-based line and column in a text file.
struct TextLocation {
  int line = 0;
  int column = 0;
};

// Parses `textproto` (an accord.v1.Catalog in protobuf text format) with a
// ParseInfoTree and returns where the record called `record` starts, or
// where its field `path` ("events[0].date", "parties[1]") starts when the
// path leads somewhere that the text sets. Returns nullopt if the text does
// not parse or holds no such record.
std::optional<TextLocation> LocateInTextproto(const std::string& textproto,
                                              absl::string_view record, absl::string_view path);

}  // namespace accord::tools

#endif  // ACCORD_TOOLS_ACCORD_CATALOG_LOCATE_H_
