// Prints the filterable fields of every collection as Markdown tables, for
// docs/filtering.md:
//
//   build/accord_filter_fields data/catalogue > /tmp/fields.md
//
// or, with --json, the collection registry as JSON (docs/collections.json),
// for client generators: every collection's id, resource message, name
// pattern, RPC names, response field and filterable fields:
//
//   build/accord_filter_fields --json data/catalogue > docs/collections.json
//
// Both come from the registry and the same schemas the server uses, so they
// cannot drift; tests/docs/filter_docs_test.cc checks the committed files.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "service/registry/registry.h"
#include "service/serving/serving_catalog.h"

namespace {

using accord::query::Type;

std::string TypeName(const accord::query::Field& f) {
  switch (f.type) {
    case Type::kString:
      return "string";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "integer";
    case Type::kDate:
      return "date";
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

// "agreements/{agreement}", "agreements/{agreement}/commitments/{commitment}".
std::string NamePattern(const accord::registry::Collection& c) {
  std::string own = absl::StrCat(c.collection_id, "/{", c.singular, "}");
  if (!c.parent) return own;
  const auto& parent = accord::registry::Get(*c.parent);
  return absl::StrCat(parent.collection_id, "/{", parent.singular, "}/", own);
}

// A JSON string literal.
std::string Quote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

// The registry as JSON, keys in a fixed order so that the output is stable.
void PrintJson(const accord::serving::ServingCatalog& snapshot) {
  std::vector<std::string> collections;
  for (const accord::registry::Collection& c : accord::registry::All()) {
    std::vector<std::string> fields;
    for (const auto& field : snapshot.collection(c.id).schema().fields()) {
      fields.push_back(absl::StrCat("        {\"path\": ", Quote(field->path),
                                    ", \"type\": ", Quote(TypeName(*field)),
                                    ", \"repeated\": ", field->repeated ? "true" : "false",
                                    ", \"sortable\": ", field->repeated ? "false" : "true", "}"));
    }
    std::vector<std::pair<std::string, std::string>> kv = {
        {"collection_id", c.collection_id},
        {"catalog_field", c.catalog_field->name()},
        {"message", c.message->full_name()},
        {"singular", c.singular},
        {"name_pattern", NamePattern(c)},
        {"parent", c.parent ? accord::registry::Get(*c.parent).collection_id : ""},
        {"get_method", c.get_method},
        {"batch_get_method", c.batch_get_method},
        {"list_method", c.list_method},
        {"response_field", c.response_field},
    };
    std::string body;
    for (const auto& [k, v] : kv) absl::StrAppend(&body, "      ", Quote(k), ": ", Quote(v), ",\n");
    collections.push_back(absl::StrCat("    {\n", body, "      \"filter_fields\": [\n",
                                       absl::StrJoin(fields, ",\n"), "\n      ]\n    }"));
  }
  std::cout << "{\n  \"collections\": [\n" << absl::StrJoin(collections, ",\n") << "\n  ]\n}\n";
}

}  // namespace

int main(int argc, char** argv) {
  bool json = argc == 3 && std::string(argv[1]) == "--json";
  if (argc != 2 && !json) {
    std::cerr << "usage: accord_filter_fields [--json] CATALOGUE_DIR\n";
    return 2;
  }
  auto snapshot = accord::serving::ServingCatalog::Load(argv[argc - 1]);
  if (!snapshot.ok()) {
    std::cerr << snapshot.status() << "\n";
    return 1;
  }
  if (json) {
    PrintJson(**snapshot);
    return 0;
  }
  for (const accord::registry::Collection& c : accord::registry::All()) {
    const auto& schema = (*snapshot)->collection(c.id).schema();
    std::cout << "### " << c.collection_id << " (" << schema.descriptor()->full_name() << ")\n\n"
              << "| field | type | repeated | sortable |\n|---|---|---|---|\n";
    for (const auto& f : schema.fields()) {
      std::cout << "| `" << f->path << "` | " << TypeName(*f) << " | " << (f->repeated ? "yes" : "")
                << " | " << (f->repeated ? "" : "yes") << " |\n";
    }
    std::cout << "\n";
  }
  return 0;
}
