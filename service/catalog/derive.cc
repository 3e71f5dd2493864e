#include "service/catalog/derive.h"

#include "absl/container/flat_hash_map.h"
#include "service/catalog/collections.h"
#include "service/catalog/dates.h"
#include "service/catalog/parallel.h"

namespace accord::catalog {
namespace {

using accord::v1::Agreement;
using accord::v1::Date;

void SetPrecision(Date* date) { date->set_precision(PrecisionOf(*date)); }

void DeriveAgreement(Agreement* a) {
  a->clear_sign_date();
  a->clear_entry_into_force_date();
  Agreement::State state = Agreement::STATE_UNSPECIFIED;
  // Events are listed oldest first; an undated event (a future step whose
  // date is unknown) does not change the state.
  for (Agreement::Event& e : *a->mutable_events()) {
    if (e.has_date()) SetPrecision(e.mutable_date());
    if (IsEmptyDate(e.date())) continue;
    state = StateAfter(e.type(), state);
    if (e.type() == Agreement::Event::SIGNED && !a->has_sign_date()) {
      *a->mutable_sign_date() = e.date();
    }
    if (e.type() == Agreement::Event::ENTERED_INTO_FORCE && !a->has_entry_into_force_date()) {
      *a->mutable_entry_into_force_date() = e.date();
    }
  }
  a->set_state(state);
}

}  // namespace

Agreement::State StateAfter(Agreement::Event::Type type, Agreement::State current) {
  switch (type) {
    case Agreement::Event::NEGOTIATED:
      return Agreement::NEGOTIATED;
    case Agreement::Event::SIGNED:
      return Agreement::SIGNED;
    case Agreement::Event::RATIFIED:
      return Agreement::RATIFIED;
    case Agreement::Event::ENTERED_INTO_FORCE:
      return Agreement::IN_FORCE;
    case Agreement::Event::RENEWED:
      return Agreement::IN_FORCE;
    case Agreement::Event::TERMINATED:
      return Agreement::TERMINATED;
    default:
      return current;
  }
}

void DeriveOutputFields(const absl::flat_hash_map<std::string, std::string>& texts,
                        accord::v1::Catalog* catalog) {
  for (auto& p : *catalog->mutable_partnerships()) {
    for (auto& change : *p.mutable_level_history()) {
      if (change.has_date()) SetPrecision(change.mutable_date());
    }
    p.set_current_level(p.level_history().empty() ? accord::v1::Partnership::LEVEL_UNSPECIFIED
                                                  : p.level_history().rbegin()->level());
  }
  // Agreements and commitments (nearly all the records) are derived on
  // every core: each record is touched by one thread only, and the arena
  // they allocate from is thread-safe.
  auto* agreements = catalog->mutable_agreements();
  auto* commitments = catalog->mutable_commitments();
  const size_t a_count = agreements->size();
  const size_t total = a_count + commitments->size();
  ParallelChunks(total, ChunkCount(total), [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (i < a_count) {
        DeriveAgreement(agreements->Mutable(static_cast<int>(i)));
      } else {
        auto* c = commitments->Mutable(static_cast<int>(i - a_count));
        c->set_agreement(std::string(ParentOfCommitment(c->name())));
      }
    }
  });
  absl::flat_hash_map<std::string, std::string> area_parent;
  for (const auto& area : catalog->cooperation_areas()) area_parent[area.name()] = area.parent();
  for (auto& area : *catalog->mutable_cooperation_areas()) {
    area.clear_ancestors();
    // Validation has ruled out cycles, so the walk ends.
    for (std::string at = area.parent(); !at.empty(); at = area_parent[at]) {
      area.add_ancestors(at);
    }
  }
  for (auto& s : *catalog->mutable_sources()) {
    SetPrecision(s.mutable_publish_date());
    if (s.publish_date().year() == 0) s.clear_publish_date();
    // Output only: text comes from texts/{id}.txt, where quotes were
    // checked, never from the catalogue file itself.
    s.clear_text();
    auto text = texts.find(s.name().substr(s.name().find('/') + 1));
    if (text != texts.end()) s.set_text(text->second);
  }
}

}  // namespace accord::catalog
