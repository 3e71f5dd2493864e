#include "bench/catgen/catgen.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace accord::catgen {
namespace {

using accord::v1::Agreement;
using accord::v1::Catalog;
using accord::v1::Commitment;

constexpr const char* kSource = "sources/synthetic-registry";

// splitmix64: tiny, fast, and the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>((Next() >> 32) * n >> 32); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_;
};

// Samples ranks 0..n-1 with weight 1/(rank+1)^s, by inverting a table.
class Zipf {
 public:
  Zipf(int n, double s) {
    double sum = 0;
    for (int i = 0; i < n; ++i) cdf_.push_back(sum += 1.0 / std::pow(i + 1, s));
    for (double& c : cdf_) c /= sum;
  }
  int Sample(Rng& rng) const {
    return static_cast<int>(std::lower_bound(cdf_.begin(), cdf_.end(), rng.Unit()) - cdf_.begin()) %
           static_cast<int>(cdf_.size());
  }

 private:
  std::vector<double> cdf_;
};

const char* const kAreas[] = {"trade",
                              "investment",
                              "economic",
                              "security",
                              "defence",
                              "political-and-diplomatic",
                              "energy",
                              "climate",
                              "digital-economy",
                              "education-and-people-to-people",
                              "health",
                              "agriculture",
                              "maritime-security",
                              "customs",
                              "market-access",
                              "supply-chains",
                              "science-and-technology",
                              "transport",
                              "tourism",
                              "culture",
                              "counter-terrorism",
                              "cybersecurity",
                              "critical-minerals",
                              "labour",
                              "environment",
                              "finance",
                              "taxation",
                              "intellectual-property",
                              "fisheries",
                              "space",
                              "water",
                              "disaster-relief",
                              "migration",
                              "justice",
                              "anti-corruption",
                              "telecommunications",
                              "infrastructure",
                              "nuclear-safety",
                              "standards",
                              "development-aid"};
constexpr int kAreaCount = sizeof(kAreas) / sizeof(kAreas[0]);
// Areas 0..kRootAreas-1 are roots; the others hang under one of them.
constexpr int kRootAreas = 8;

const char* const kSectors[] = {
    "agriculture",     "automotive",  "chemicals",    "dairy",           "electronics",
    "semiconductors",  "oil-and-gas", "renewables",   "pharmaceuticals", "textiles",
    "steel",           "aluminium",   "aerospace",    "shipbuilding",    "banking",
    "insurance",       "telecoms",    "software",     "mining",          "fisheries",
    "forestry",        "rice",        "palm-oil",     "rubber",          "machinery",
    "medical-devices", "logistics",   "construction", "tourism",         "education-services"};
constexpr int kSectorCount = sizeof(kSectors) / sizeof(kSectors[0]);

const char* const kKindWords[] = {"",      "trade",  "mou",       "defence", "partnership",
                                  "joint", "treaty", "investment"};
const char* const kKindTitles[] = {"",
                                   "Agreement on Reciprocal Trade",
                                   "Memorandum of Understanding",
                                   "Defence Cooperation Arrangement",
                                   "Comprehensive Partnership Statement",
                                   "Joint Statement",
                                   "Treaty of Friendship and Cooperation",
                                   "Agreement on the Promotion and Protection of Investments"};
// Weights of kinds 1..7.
const double kKindWeights[] = {0.22, 0.30, 0.08, 0.10, 0.16, 0.06, 0.08};
const char* const kTopics[] = {
    "Digital Trade",    "Critical Minerals",    "Maritime Cooperation",
    "Clean Energy",     "Vocational Education", "Customs Procedures",
    "Public Health",    "Food Security",        "Semiconductor Supply Chains",
    "Cyber Resilience", "Scientific Research",  "Civil Aviation"};
const char* const kCommitmentTitles[] = {"Reduce tariffs on industrial goods",
                                         "Open procurement to foreign suppliers",
                                         "Recognise conformity assessments",
                                         "Provide technical assistance",
                                         "Align export controls",
                                         "Facilitate investment screening",
                                         "Exchange customs data",
                                         "Hold annual dialogue",
                                         "Train officials",
                                         "Negotiate a follow-up agreement"};

std::string CountryCode(int rank) {
  // A fixed permutation of the 676 two-letter codes, so that popularity is
  // unrelated to name order.
  const int code = (rank * 97 + 13) % 676;
  return {static_cast<char>('a' + code / 26), static_cast<char>('a' + code % 26)};
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string DisplayName(int rank) { return absl::StrCat("Republic of ", Upper(CountryCode(rank))); }

uint64_t Mix(uint64_t seed, uint64_t i) {
  Rng r(seed * 0x100000001b3ULL ^ (i + 0x632be59bd9b4e019ULL));
  return r.Next();
}

// A date concentrated in recent decades, at day, month or year precision.
void RandomDate(Rng& rng, int min_year, accord::v1::Date* d) {
  const int span = 2025 - min_year;
  const int year = 2025 - static_cast<int>(span * std::pow(rng.Unit(), 2.2));
  d->set_year(std::max(min_year, year));
  const double p = rng.Unit();
  if (p < 0.05) return;  // year only
  d->set_month(1 + static_cast<int>(rng.Below(12)));
  if (p < 0.20) return;  // month
  d->set_day(1 + static_cast<int>(rng.Below(28)));
}

}  // namespace

std::string CountryName(int rank) { return absl::StrCat("countries/", CountryCode(rank)); }

std::string AreaName(int i) { return absl::StrCat("cooperationAreas/", kAreas[i]); }

void GenerateTaxonomy(const Spec& spec, Catalog* out) {
  (void)spec;
  const char* const regions[] = {"Africa", "Americas", "Asia", "Europe", "Oceania"};
  for (int r = 0; r < kCountries; ++r) {
    auto* c = out->add_countries();
    const std::string code = CountryCode(r);
    c->set_name(CountryName(r));
    c->set_iso_code(Upper(code));
    c->set_iso_alpha3_code(Upper(code + "x"));
    c->set_display_name(DisplayName(r));
    c->set_region(regions[r % 5]);
  }
  for (int i = 0; i < kAreaCount; ++i) {
    auto* a = out->add_cooperation_areas();
    a->set_name(AreaName(i));
    a->set_display_name(kAreas[i]);
    if (i >= kRootAreas) a->set_parent(AreaName(i % kRootAreas));
  }
  for (int i = 0; i < kSectorCount; ++i) {
    auto* s = out->add_sectors();
    s->set_name(absl::StrCat("sectors/", kSectors[i]));
    s->set_display_name(kSectors[i]);
  }
  auto* source = out->add_sources();
  source->set_name(kSource);
  source->set_title("Synthetic registry of agreements (generated)");
  source->set_kind(accord::v1::Source::OFFICIAL_STATEMENT);
}

void GenerateAgreements(const Spec& spec, size_t begin, size_t end, Catalog* out) {
  static const Zipf countries(kCountries, 1.0);
  static const Zipf areas(kAreaCount, 0.8);
  for (size_t i = begin; i < end; ++i) {
    Rng rng(Mix(spec.seed, i));
    Agreement* a = out->add_agreements();
    // Parties: distinct, popularity-skewed.
    std::vector<int> parties;
    const int n_parties = rng.Chance(0.85) ? 2 : 3 + static_cast<int>(rng.Below(4));
    while (static_cast<int>(parties.size()) < n_parties) {
      int p = countries.Sample(rng);
      if (std::find(parties.begin(), parties.end(), p) == parties.end()) parties.push_back(p);
    }
    double w = rng.Unit();
    int kind = 1;
    for (; kind < kAgreementKinds && w >= kKindWeights[kind - 1]; ++kind)
      w -= kKindWeights[kind - 1];
    a->set_name(absl::StrFormat("agreements/%s-%s-%s-%07d", CountryCode(parties[0]),
                                CountryCode(parties[1]), kKindWords[kind], i));
    const char* topic = kTopics[rng.Below(sizeof(kTopics) / sizeof(kTopics[0]))];
    a->set_title(
        n_parties == 2
            ? absl::StrCat(kKindTitles[kind], " between the ", DisplayName(parties[0]), " and the ",
                           DisplayName(parties[1]), " on ", topic)
            : absl::StrCat(kKindTitles[kind], " on ", topic, " among ", n_parties, " Parties"));
    if (rng.Chance(0.3))
      a->set_short_title(absl::StrCat(Upper(CountryCode(parties[0])), "-",
                                      Upper(CountryCode(parties[1])), " ", kKindWords[kind]));
    a->set_kind(static_cast<Agreement::Kind>(kind));
    if (rng.Chance(0.6)) a->set_legally_binding(kind == 1 || kind == 6 || kind == 7);
    for (int p : parties) a->add_parties(CountryName(p));
    // Events, oldest first; the server derives state and dates from them.
    auto* signed_event = a->add_events();
    signed_event->set_type(Agreement::Event::SIGNED);
    RandomDate(rng, 1950, signed_event->mutable_date());
    signed_event->set_party(CountryName(parties[0]));
    if (rng.Chance(0.5)) {
      auto* e = a->add_events();
      e->set_type(Agreement::Event::ENTERED_INTO_FORCE);
      *e->mutable_date() = signed_event->date();
      e->mutable_date()->set_year(
          std::min(2025, signed_event->date().year() + 1 + static_cast<int>(rng.Below(2))));
    }
    if (rng.Chance(0.05)) {
      auto* e = a->add_events();
      e->set_type(Agreement::Event::TERMINATED);
      // After every other event (days are drawn from 1-28).
      e->mutable_date()->set_year(2025);
      e->mutable_date()->set_month(12);
      e->mutable_date()->set_day(31);
    }
    if (rng.Chance(0.5))
      a->set_place_of_signing(absl::StrCat("Capital of ", DisplayName(parties[0])));
    const int n_areas = 1 + static_cast<int>(rng.Below(4));
    std::vector<int> picked;
    while (static_cast<int>(picked.size()) < n_areas) {
      int x = areas.Sample(rng);
      if (std::find(picked.begin(), picked.end(), x) == picked.end()) picked.push_back(x);
    }
    for (int x : picked) a->add_cooperation_areas(AreaName(x));
    const int n_sectors = static_cast<int>(rng.Below(3));
    for (int s = 0; s < n_sectors; ++s) {
      a->add_sectors(
          absl::StrCat("sectors/", kSectors[(i + s * 7 + rng.Below(kSectorCount)) % kSectorCount]));
    }
    // A repeated value would be odd data; drop duplicates.
    auto* sectors = a->mutable_sectors();
    std::sort(sectors->begin(), sectors->end());
    sectors->erase(std::unique(sectors->begin(), sectors->end()), sectors->end());
    if (rng.Chance(0.2)) {
      a->set_summary(absl::StrCat("Synthetic agreement ", i, " on ", topic, " between ", n_parties,
                                  " parties, generated for benchmarks."));
    }
    if (rng.Chance(0.4)) a->set_term_years(5 * (1 + static_cast<int>(rng.Below(4))));
    auto* ev = a->add_evidence();
    ev->set_source(kSource);
    ev->set_locator(absl::StrCat("row ", i));

    const int n_commitments = 1 + static_cast<int>(rng.Below(6));
    const std::string agreement_id = a->name().substr(sizeof("agreements/") - 1);
    for (int k = 0; k < n_commitments; ++k) {
      Commitment* c = out->add_commitments();
      c->set_name(absl::StrCat(a->name(), "/commitments/c", k + 1));
      const int by = static_cast<int>(rng.Below(n_parties));
      c->add_committed_by(CountryName(parties[by]));
      if (rng.Chance(0.3)) {
        c->add_committed_by(CountryName(parties[(by + 1) % n_parties]));
      } else {
        c->add_committed_to(CountryName(parties[(by + 1) % n_parties]));
      }
      c->set_kind(static_cast<Commitment::Kind>(1 + rng.Below(10)));
      c->set_title(
          kCommitmentTitles[rng.Below(sizeof(kCommitmentTitles) / sizeof(kCommitmentTitles[0]))]);
      c->add_cooperation_areas(AreaName(picked[rng.Below(picked.size())]));
      if (a->sectors_size() > 0 && rng.Chance(0.5)) c->add_sectors(a->sectors(0));
      auto* cev = c->add_evidence();
      cev->set_source(kSource);
      cev->set_locator(absl::StrCat("row ", i, " item ", k + 1));
    }
  }
}

absl::Status WriteCatalogue(const Spec& spec, const std::string& directory, size_t chunk) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return absl::UnavailableError(absl::StrCat(directory, ": ", ec.message()));
  auto write = [&](const Catalog& catalog, const std::string& file) -> absl::Status {
    const std::string path = (fs::path(directory) / file).string();
    std::ofstream os(path, std::ios::binary | std::ios::trunc);
    if (!os || !catalog.SerializeToOstream(&os)) {
      return absl::UnavailableError(absl::StrCat("cannot write ", path));
    }
    return absl::OkStatus();
  };
  Catalog taxonomy;
  GenerateTaxonomy(spec, &taxonomy);
  if (absl::Status s = write(taxonomy, "taxonomy.binpb"); !s.ok()) return s;
  for (size_t begin = 0, n = 0; begin < spec.agreements; begin += chunk, ++n) {
    Catalog part;
    GenerateAgreements(spec, begin, std::min(spec.agreements, begin + chunk), &part);
    if (absl::Status s = write(part, absl::StrFormat("agreements-%04d.binpb", n)); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

}  // namespace accord::catgen
