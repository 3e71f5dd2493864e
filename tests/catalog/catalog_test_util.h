// Writes small catalogue directories for loader and validator tests.
#ifndef ACCORD_TESTS_CATALOG_CATALOG_TEST_UTIL_H_
#define ACCORD_TESTS_CATALOG_CATALOG_TEST_UTIL_H_

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "gtest/gtest.h"

namespace accord::testing {

// A fresh directory under the test's temp dir, removed on destruction.
class TempCatalogDir {
 public:
  TempCatalogDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("accord_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_ / "texts");
  }
  ~TempCatalogDir() { std::filesystem::remove_all(path_); }

  // Writes `content` to `relative` (e.g. "a.textproto" or "texts/s.txt").
  void Write(const std::string& relative, const std::string& content) const {
    std::ofstream(path_ / relative, std::ios::binary) << content;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A small valid catalogue: two countries, a source with text, an agreement
// quoting it, a commitment, two areas and a sector. Tests break one thing.
inline const char kValidCatalog[] = R"text(
  countries { name: "countries/my" iso_code: "MY" display_name: "Malaysia" }
  countries { name: "countries/us" iso_code: "US" display_name: "United States" }
  sources { name: "sources/article" title: "An article" }
  cooperation_areas { name: "cooperationAreas/security" display_name: "Security" }
  cooperation_areas {
    name: "cooperationAreas/maritime-security"
    display_name: "Maritime security"
    parent: "cooperationAreas/security"
  }
  sectors { name: "sectors/energy" display_name: "Energy" }
  agreements {
    name: "agreements/pact"
    title: "A Pact"
    parties: "countries/my"
    parties: "countries/us"
    cooperation_areas: "cooperationAreas/maritime-security"
    events { type: SIGNED date { year: 2025 month: 10 } }
    evidence { source: "sources/article" quote: "signed a  pact\nin October" }
  }
  commitments {
    name: "agreements/pact/commitments/patrol"
    committed_by: "countries/my"
    committed_to: "countries/us"
    kind: SECURITY_COOPERATION
    evidence { source: "sources/article" }
  }
)text";
inline const char kValidText[] = "The two countries signed a pact\nin October 2025.\n";

}  // namespace accord::testing

#endif  // ACCORD_TESTS_CATALOG_CATALOG_TEST_UTIL_H_
