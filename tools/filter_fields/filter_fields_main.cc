// Prints the filterable fields of every collection as Markdown tables, for
// docs/filtering.md:
//
//   build/accord_filter_fields data/catalogue > /tmp/fields.md
//
// The tables come from the same schemas the server uses, so they cannot
// drift; tests/catalog/filter_docs_test.cc checks the committed doc.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/catalog/snapshot.h"

namespace {

using accord::query::Type;

std::string TypeName(const accord::query::Field& f) {
  switch (f.type) {
    case Type::kString: return "string";
    case Type::kBool: return "bool";
    case Type::kInt: return "integer";
    case Type::kDate: return "date";
    case Type::kEnum: {
      std::vector<std::string> values;
      for (int i = 0; i < f.enum_type->value_count(); ++i) {
        if (f.enum_type->value(i)->number() != 0) values.push_back(f.enum_type->value(i)->name());
      }
      return absl::StrCat("enum: ", absl::StrJoin(values, ", "));
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: accord_filter_fields CATALOGUE_DIR\n";
    return 2;
  }
  auto snapshot = accord::catalog::Snapshot::Load(argv[1]);
  if (!snapshot.ok()) {
    std::cerr << snapshot.status() << "\n";
    return 1;
  }
  for (accord::catalog::CollectionId id : accord::catalog::kAllCollections) {
    const auto& schema = (*snapshot)->collection(id).schema();
    std::cout << "### " << accord::catalog::CollectionName(id) << " ("
              << schema.descriptor()->full_name() << ")\n\n"
              << "| field | type | repeated | sortable |\n|---|---|---|---|\n";
    for (const auto& f : schema.fields()) {
      std::cout << "| `" << f->path << "` | " << TypeName(*f) << " | "
                << (f->repeated ? "yes" : "") << " | " << (f->repeated ? "" : "yes") << " |\n";
    }
    std::cout << "\n";
  }
  return 0;
}
