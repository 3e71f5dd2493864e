// ServingCatalog::BuildFromSources indexes the parsed records before storage
// frees them; what it returns must be exactly what building the storage and
// then indexing its stored bytes gives (Snapshot::Build, then
// ServingCatalog::Build): the records, names, version, every value index
// and sorted column, and the same error for a catalogue that fails.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "bench/catgen/catgen.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "service/catalog/reclaimer.h"
#include "service/catalog/snapshot.h"
#include "service/registry/registry.h"
#include "service/serving/serving_catalog.h"

namespace accord::serving {
namespace {

catalog::RawCatalog Generated(size_t agreements) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  catgen::Spec spec{7, agreements};
  catgen::GenerateTaxonomy(spec, raw.catalog);
  catgen::GenerateAgreements(spec, 0, agreements, raw.catalog);
  raw.version = "generated";
  return raw;
}

std::shared_ptr<const ServingCatalog> TwoSteps(catalog::RawCatalog raw) {
  auto storage = catalog::Snapshot::Build(std::move(raw), "dir");
  EXPECT_TRUE(storage.ok()) << storage.status();
  return storage.ok() ? ServingCatalog::Build(*storage) : nullptr;
}

// Every index of `field`, serialized: its value index (or "none") and, for
// a non-repeated field, its sorted column.
std::string IndexBytes(const Collection& c, const query::Field* field) {
  std::string out;
  const index::FieldIndex* values = c.index().field(field);
  if (values == nullptr) {
    out = "none";
  } else {
    values->Serialize(&out);
  }
  if (!field->repeated) {
    out += "|column|";
    c.index().sort(field).Serialize(&out);
  }
  return out;
}

// `got` holds what `want` holds, record by record and index by index.
void ExpectSame(const ServingCatalog& want, const ServingCatalog& got) {
  EXPECT_EQ(got.version(), want.version());
  EXPECT_EQ(got.files(), want.files());
  for (const registry::Collection& info : registry::All()) {
    SCOPED_TRACE(std::string(info.catalog_field->name()));
    const Collection& w = want.collection(info.id);
    const Collection& g = got.collection(info.id);
    ASSERT_EQ(g.size(), w.size());
    for (size_t i = 0; i < w.size(); ++i) {
      ASSERT_EQ(g.name(i), w.name(i)) << i;
      ASSERT_EQ(g.bytes(i), w.bytes(i)) << w.name(i);
    }
    ASSERT_EQ(g.schema().fields().size(), w.schema().fields().size());
    for (size_t f = 0; f < w.schema().fields().size(); ++f) {
      const query::Field* wf = w.schema().fields()[f].get();
      const query::Field* gf = g.schema().fields()[f].get();
      ASSERT_EQ(gf->path, wf->path);
      EXPECT_EQ(IndexBytes(g, gf), IndexBytes(w, wf)) << wf->path;
    }
    EXPECT_EQ(g.index().MemoryBytes(), w.index().MemoryBytes());
  }
}

TEST(BuildFromSourcesTest, GeneratedCatalogueIsIndexedAsFromItsStoredBytes) {
  auto want = TwoSteps(Generated(1500));
  auto got = ServingCatalog::BuildFromSources(Generated(1500), "dir");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_NE(want, nullptr);
  EXPECT_GT((*got)->collection(registry::CollectionId::kAgreements).size(), 1000u);
  ExpectSame(*want, **got);
}

TEST(BuildFromSourcesTest, ShippedCatalogueLoadsAsFromItsStoredBytes) {
  const std::string dir = ACCORD_SOURCE_DIR "/data/catalogue";
  auto raw = catalog::ReadCatalogDirectory(dir);
  ASSERT_TRUE(raw.ok()) << raw.status();
  auto want = TwoSteps(*std::move(raw));
  ASSERT_NE(want, nullptr);
  // Load goes through BuildFromSources for a directory.
  auto got = ServingCatalog::Load(dir);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)->directory(), dir);
  ExpectSame(*want, **got);
}

TEST(BuildFromSourcesTest, ServesWhileTheParseIsFreedInTheBackgroundAndAfter) {
  auto want = TwoSteps(Generated(1500));
  ASSERT_NE(want, nullptr);
  catalog::Reclaimer reclaimer;
  // Holds the reclaimer's thread, so that both loads' parses are still
  // waiting to be freed when the catalogues are read.
  absl::Notification gate;
  reclaimer.Release([&gate] { gate.WaitForNotification(); });
  auto first = ServingCatalog::BuildFromSources(Generated(1500), "dir", &reclaimer);
  ASSERT_TRUE(first.ok()) << first.status();
  // A reload while the first load's parse is not freed yet.
  auto second = ServingCatalog::BuildFromSources(Generated(1500), "dir", &reclaimer);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(reclaimer.completed(), 0);
  ExpectSame(*want, **first);
  ExpectSame(*want, **second);
  gate.Notify();
  reclaimer.Drain();
  // The gate and each load's parse.
  EXPECT_EQ(reclaimer.completed(), 3);
  // Nothing served reads the freed parse (an ASan build would catch it).
  ExpectSame(*want, **first);
  ExpectSame(*want, **second);
}

TEST(BuildFromSourcesTest, FreesTheParseOnTheProcessReclaimerByDefault) {
  catalog::Reclaimer::Default().Drain();
  const int64_t before = catalog::Reclaimer::Default().completed();
  auto got = ServingCatalog::BuildFromSources(Generated(200), "dir");
  ASSERT_TRUE(got.ok()) << got.status();
  catalog::Reclaimer::Default().Drain();
  EXPECT_EQ(catalog::Reclaimer::Default().completed(), before + 1);
}

TEST(BuildFromSourcesTest, WithoutAReclaimerFreesTheParseBeforeReturning) {
  catalog::Reclaimer::Default().Drain();
  const int64_t before = catalog::Reclaimer::Default().completed();
  auto got = ServingCatalog::BuildFromSources(Generated(200), "dir", nullptr);
  ASSERT_TRUE(got.ok()) << got.status();
  catalog::Reclaimer::Default().Drain();
  EXPECT_EQ(catalog::Reclaimer::Default().completed(), before);
  auto want = TwoSteps(Generated(200));
  ASSERT_NE(want, nullptr);
  ExpectSame(*want, **got);
}

TEST(BuildFromSourcesTest, AnInvalidCatalogueFailsWithTheSameError) {
  auto broken = [] {
    catalog::RawCatalog raw = Generated(50);
    // Two records with one name: validation's error, before anything is
    // arranged or indexed.
    *raw.catalog->add_agreements() = raw.catalog->agreements(3);
    return raw;
  };
  auto want = catalog::Snapshot::Build(broken(), "dir");
  ASSERT_FALSE(want.ok());
  auto got = ServingCatalog::BuildFromSources(broken(), "dir");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status(), want.status());
  EXPECT_NE(got.status().message().find("more than one record"), std::string::npos) << got.status();
}

}  // namespace
}  // namespace accord::serving
