// A synthetic catalogue generator for benchmarks and differential tests.
// NOT the real catalogue: its output goes to build directories or /tmp,
// never under data/catalogue, and is never committed.
#ifndef ACCORD_BENCH_CATGEN_CATGEN_H_
#define ACCORD_BENCH_CATGEN_CATGEN_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "accord/v1/catalog.pb.h"

namespace accord::catgen {

// What to generate. The output is a function of these fields only: the
// same spec gives byte-identical catalogues on any machine (the generator
// uses its own integer PRNG, not <random>'s distributions).
struct Spec {
  uint64_t seed = 1;
  size_t agreements = 10000;
};

// The shape of the data, so that benchmarks can aim at realistic values:
//  - 200 countries ("countries/aa".."countries/??"); agreements per country
//    follow a Zipf-like law, so a few countries take part in many;
//  - 85% of agreements are bilateral, the rest have 3-6 parties;
//  - signing dates (day, month or year precision) concentrated in recent
//    decades, 1950-2025; half entered into force later; some terminated;
//  - 1-4 of 40 cooperation areas (skewed), 0-2 of 30 sectors;
//  - 1-6 commitments per agreement; titles of 40-120 characters.
inline constexpr int kCountries = 200;

// The name of the country with popularity rank `rank` (0 = most agreements).
std::string CountryName(int rank);
// The name of cooperation area `i` (0 = most used) of the 40.
std::string AreaName(int i);
// Kinds, by their enum number.
inline constexpr int kAgreementKinds = 7;

// Adds the countries, cooperation areas, sectors and the one source that
// agreements cite.
void GenerateTaxonomy(const Spec& spec, accord::v1::Catalog* out);

// Adds agreements [begin, end) and their commitments. Agreement i depends
// only on (spec.seed, i).
void GenerateAgreements(const Spec& spec, size_t begin, size_t end, accord::v1::Catalog* out);

// Writes the whole catalogue as binary accord.v1.Catalog files into
// `directory` (created if missing): taxonomy.binpb and agreements-NNNN.binpb
// chunks of `chunk` agreements, which the server's loader merges.
absl::Status WriteCatalogue(const Spec& spec, const std::string& directory, size_t chunk = 100000);

}  // namespace accord::catgen

#endif  // ACCORD_BENCH_CATGEN_CATGEN_H_
