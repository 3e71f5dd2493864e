// accord_catgen: writes a synthetic catalogue for benchmarks.
//   accord_catgen --agreements=1000000 --seed=1 --out=/tmp/accord-1m
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "bench/catgen/catgen.h"

int main(int argc, char** argv) {
  accord::catgen::Spec spec;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--agreements=")) {
      if (!absl::SimpleAtoi(arg, &spec.agreements)) return 2;
    } else if (absl::ConsumePrefix(&arg, "--seed=")) {
      if (!absl::SimpleAtoi(arg, &spec.seed)) return 2;
    } else if (absl::ConsumePrefix(&arg, "--out=")) {
      out = std::string(arg);
    } else {
      std::fprintf(stderr, "usage: %s --agreements=N [--seed=S] --out=DIR\n", argv[0]);
      return 2;
    }
  }
  if (out.empty()) {
    std::fprintf(stderr, "--out=DIR is required\n");
    return 2;
  }
  absl::Status s = accord::catgen::WriteCatalogue(spec, out);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
