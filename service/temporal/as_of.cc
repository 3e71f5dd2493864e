#include "service/temporal/as_of.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/catalog/derive.h"
#include "service/query/date_literal.h"

namespace accord::temporal {
namespace {

using catalog::StateAfter;

using accord::v1::Agreement;
using accord::v1::Partnership;

std::string FormatDay(int32_t day) {
  return absl::StrFormat("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
}

std::string SpansReason(absl::string_view what, const accord::v1::Date& date, int32_t day) {
  return absl::StrCat("the ", what, " is dated ", FormatPartialDate(date),
                      ", which spans days on both sides of ", FormatDay(day));
}

}  // namespace

Happened HappenedBy(const query::DateRange& event, int32_t day) {
  if (event.empty()) return Happened::kNo;
  if (event.last <= day) return Happened::kYes;
  if (event.first > day) return Happened::kNo;
  return Happened::kUncertain;
}

std::string FormatPartialDate(const accord::v1::Date& date) {
  if (date.month() == 0) return absl::StrFormat("%04d", date.year());
  if (date.day() == 0) return absl::StrFormat("%04d-%02d", date.year(), date.month());
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

AgreementAsOf AgreementStateAsOf(const Agreement& agreement, const query::DateRange& as_of) {
  const int32_t day = as_of.last;
  AgreementAsOf out;
  Agreement::State certain = Agreement::STATE_UNSPECIFIED;
  Agreement::State latest = Agreement::STATE_UNSPECIFIED;  // counting uncertain events too
  bool uncertain = false;
  std::vector<Agreement::State> possible;
  // Existence: from the first dated SIGNED event, else the first dated event.
  const Agreement::Event* signing = nullptr;
  const Agreement::Event* first_dated = nullptr;
  for (const Agreement::Event& e : agreement.events()) {
    query::DateRange range = query::DateRangeFromProto(e.date());
    if (range.empty()) continue;
    if (first_dated == nullptr) first_dated = &e;
    if (signing == nullptr && e.type() == Agreement::Event::SIGNED) signing = &e;
    switch (HappenedBy(range, day)) {
      case Happened::kYes:
        // Events are in date order: one that certainly happened settles
        // every uncertain event before it.
        latest = StateAfter(e.type(), latest);
        certain = latest;
        uncertain = false;
        possible.clear();
        out.uncertainty.clear();
        break;
      case Happened::kUncertain:
        if (!uncertain) {
          uncertain = true;
          possible.push_back(certain);
          out.uncertainty = SpansReason(
              absl::StrCat(Agreement::Event::Type_Name(e.type()), " event"), e.date(), day);
        }
        latest = StateAfter(e.type(), latest);
        if (possible.back() != latest) possible.push_back(latest);
        break;
      case Happened::kNo:
        break;
    }
  }
  out.state = certain;
  if (uncertain && possible.size() > 1) out.possible_states = std::move(possible);
  if (out.possible_states.empty()) out.uncertainty.clear();

  // Any step past negotiation that certainly happened shows it was signed.
  for (const Agreement::Event& e : agreement.events()) {
    if (e.type() != Agreement::Event::NEGOTIATED &&
        HappenedBy(query::DateRangeFromProto(e.date()), day) == Happened::kYes) {
      out.existence = Existence::kExists;
      return out;
    }
  }
  const Agreement::Event* witness = signing != nullptr ? signing : first_dated;
  if (witness == nullptr) {
    out.existence = Existence::kUncertain;
    out.uncertainty = out.uncertainty.empty()
                          ? "no event is dated, so when the agreement began is unknown"
                          : out.uncertainty;
    return out;
  }
  switch (HappenedBy(query::DateRangeFromProto(witness->date()), day)) {
    case Happened::kYes:
      out.existence = Existence::kExists;
      break;
    case Happened::kUncertain:
      out.existence = Existence::kUncertain;
      if (out.uncertainty.empty()) {
        out.uncertainty =
            SpansReason(absl::StrCat(Agreement::Event::Type_Name(witness->type()), " event"),
                        witness->date(), day);
      }
      break;
    case Happened::kNo:
      if (witness->type() == Agreement::Event::SIGNED ||
          witness->type() == Agreement::Event::NEGOTIATED) {
        out.existence = Existence::kNotYet;
      } else {
        out.existence = Existence::kUncertain;
        out.uncertainty =
            absl::StrCat("the first dated event (", Agreement::Event::Type_Name(witness->type()),
                         ", ", FormatPartialDate(witness->date()),
                         ") comes later, and when the agreement was signed is not recorded");
      }
      break;
  }
  return out;
}

PartnershipAsOf PartnershipLevelAsOf(const Partnership& partnership,
                                     const query::DateRange& as_of) {
  const int32_t day = as_of.last;
  PartnershipAsOf out;
  bool uncertain = false;
  std::vector<Partnership::Level> possible;
  for (const Partnership::LevelChange& change : partnership.level_history()) {
    switch (HappenedBy(query::DateRangeFromProto(change.date()), day)) {
      case Happened::kYes:
        out.level = change.level();
        uncertain = false;
        possible.clear();
        out.uncertainty.clear();
        break;
      case Happened::kUncertain:
        if (!uncertain) {
          uncertain = true;
          possible.push_back(out.level);
          out.uncertainty =
              SpansReason(absl::StrCat("change to ", Partnership::Level_Name(change.level())),
                          change.date(), day);
        }
        if (possible.back() != change.level()) possible.push_back(change.level());
        break;
      case Happened::kNo:
        break;
    }
  }
  if (uncertain && possible.size() > 1) {
    out.possible_levels = std::move(possible);
  } else {
    out.uncertainty.clear();
  }
  return out;
}

}  // namespace accord::temporal
