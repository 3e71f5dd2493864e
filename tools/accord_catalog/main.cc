// accord_catalog: tools for the people who edit a catalogue.
//
//   accord_catalog validate DIR          same checks as the server, file:line
//   accord_catalog diff OLD NEW          resources added, changed, removed
//   accord_catalog fmt [--check] DIR     canonical textproto layout
//   accord_catalog compile [--nosearch_index] DIR OUT   one mappable file for --catalog=OUT
//
// Each subcommand lives in its own file; add a new one to the table below.
#include <iostream>
#include <string>
#include <vector>

#include "tools/accord_catalog/command.h"

int main(int argc, char** argv) {
  using accord::tools::Command;
  const std::vector<Command> commands = {
      {"validate", "validate DIR",
       "check DIR as the server would; errors name file:line, record and field",
       accord::tools::RunValidate},
      {"diff", "diff [--format=text|json] [--exit-code] OLD NEW",
       "resources added, changed or removed between two catalogues, field by field",
       accord::tools::RunDiff},
      {"fmt", "fmt [--check] DIR",
       "rewrite DIR's textproto files in canonical layout (--check: only report)",
       accord::tools::RunFmt},
      {"compile", "compile [--nosearch_index] DIR OUT",
       "validate DIR and write it as one compiled catalogue file that accord_server "
       "--catalog=OUT maps (replaced atomically), with its indexes and search index",
       accord::tools::RunCompile},
  };
  return accord::tools::Dispatch(commands, std::vector<std::string>(argv + 1, argv + argc),
                                 std::cout, std::cerr);
}
