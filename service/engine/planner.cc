#include "service/engine/planner.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "service/index/collection_index.h"
#include "service/query/evaluator.h"

namespace accord::engine {
namespace {

using query::CheckedExpr;
using query::Comparator;
using query::Literal;
using query::Restriction;

// How often (in records) long loops poll for cancellation.
constexpr uint64_t kPollEvery = 4096;
// Testing one record by reflection costs about as much as merging this
// many posting-list entries; used to choose between the two.
constexpr uint64_t kRecordTestCost = 32;
// The estimated cost of a restriction no index answers, per candidate.
constexpr uint64_t kUnindexedCost = std::numeric_limits<uint32_t>::max();

class Planner {
 public:
  Planner(const serving::Collection& collection, const std::function<bool()>& cancelled,
          PlanStats* stats)
      : c_(collection), index_(collection.index()), cancelled_(cancelled), stats_(stats) {}

  // Like Eval, but leaves the last indexed step of a top-level AND (or a
  // lone indexed restriction) unmaterialized, and borrows the first
  // step's posting list instead of copying it.
  absl::StatusOr<MatchSet> EvalTop(const CheckedExpr& e, const Roaring& u) {
    if (e.kind == CheckedExpr::Kind::kRestriction) {
      if (const FieldIndex* f = Indexed(e); f != nullptr) {
        std::vector<const Restriction*> all = {&e.restriction};
        if (IndexPays(*f, all, u)) return Lazily(MatchSet::Borrow(&u), *f, all);
      }
    }
    if (e.kind != CheckedExpr::Kind::kAnd || e.children.empty()) {
      absl::StatusOr<Roaring> r = Eval(e, u);
      if (!r.ok()) return r.status();
      return MatchSet::Own(*std::move(r));
    }
    std::vector<Step> steps = PlanAnd(e);
    MatchSet cur = MatchSet::Borrow(&u);
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& step = steps[i];
      const Roaring& base = cur.base();
      if (base.isEmpty()) break;
      const bool last = i + 1 == steps.size();
      if (step.pair != nullptr) {
        if (stats_ != nullptr) stats_->indexed_restrictions += step.conjunction.size();
        if (IsEverything(base)) {
          cur = MatchSet::Borrow(step.pair);
        } else if (last) {
          cur.AlsoWithin(step.pair, Roaring());
          return cur;
        } else {
          cur = MatchSet::Own(base & *step.pair);
        }
        continue;
      }
      if (step.field != nullptr && IndexPays(*step.field, step.conjunction, base)) {
        if (last) return Lazily(std::move(cur), *step.field, step.conjunction);
        if (IsEverything(base)) {
          // Borrow the posting list itself when one answers.
          Roaring storage;
          const Roaring& positive = step.field->PositiveRef(step.conjunction, &storage);
          if (stats_ != nullptr) stats_->indexed_restrictions += step.conjunction.size();
          cur = &positive == &storage ? MatchSet::Own(std::move(storage))
                                      : MatchSet::Borrow(&positive);
          continue;
        }
      }
      absl::StatusOr<Roaring> next = RunStep(step, base);
      if (!next.ok()) return next.status();
      cur = MatchSet::Own(*std::move(next));
    }
    return cur;
  }

  absl::StatusOr<Roaring> Eval(const CheckedExpr& e, const Roaring& u) {
    switch (e.kind) {
      case CheckedExpr::Kind::kAnd:
        return EvalAnd(e, u);
      case CheckedExpr::Kind::kOr: {
        Roaring out;
        for (const CheckedExpr& child : e.children) {
          absl::StatusOr<Roaring> part = Eval(child, u);
          if (!part.ok()) return part.status();
          out |= *part;
        }
        return out;
      }
      case CheckedExpr::Kind::kNot: {
        if (e.children.size() != 1) return Roaring();
        absl::StatusOr<Roaring> inner = Eval(e.children.front(), u);
        if (!inner.ok()) return inner.status();
        Roaring out = u;
        out -= *inner;
        return out;
      }
      case CheckedExpr::Kind::kRestriction:
        return EvalRestriction(e, u);
    }
    return Roaring();
  }

 private:
  // Whether `u` holds every position, so intersecting with it is a no-op.
  bool IsEverything(const Roaring& u) const { return u.cardinality() == c_.size(); }

  // u & positive, or u - positive for !=; `positive` may be storage_.
  Roaring Within(const Roaring& u, const Roaring& positive, bool complement) {
    Roaring out;
    if (complement) {
      out = u - positive;
    } else if (IsEverything(u)) {
      out = &positive == &storage_ ? std::move(storage_) : positive;
    } else {
      out = u & positive;
    }
    storage_ = Roaring();
    return out;
  }

  // The predicted cost of evaluating `e` over the whole collection: the
  // posting-list entries it merges, or kUnindexedCost.
  uint64_t Cost(const CheckedExpr& e) const {
    switch (e.kind) {
      case CheckedExpr::Kind::kAnd: {
        uint64_t best = kUnindexedCost;
        for (const CheckedExpr& child : e.children) best = std::min(best, Cost(child));
        return e.children.empty() ? 0 : best;
      }
      case CheckedExpr::Kind::kOr: {
        uint64_t sum = 0;
        for (const CheckedExpr& child : e.children) {
          sum = std::min<uint64_t>(kUnindexedCost, sum + Cost(child));
        }
        return sum;
      }
      case CheckedExpr::Kind::kNot:
        return e.children.empty() ? 0 : std::max<uint64_t>(Cost(e.children.front()), c_.size());
      case CheckedExpr::Kind::kRestriction: {
        const Restriction& r = e.restriction;
        if (index_.IsName(r.field)) return NameCost(r);
        const FieldIndex* f = index_.field(r.field);
        if (f == nullptr) return kUnindexedCost;
        const uint64_t records = f->EstimatePositive(r).records;
        // != keeps the records without the value: as large as the rest.
        return r.op == Comparator::kNe ? c_.size() - std::min<uint64_t>(records, c_.size())
                                       : records;
      }
    }
    return kUnindexedCost;
  }

  uint64_t NameCost(const Restriction& r) const {
    if (r.literal.kind == Literal::Kind::kValue &&
        (r.op == Comparator::kEq || r.op == Comparator::kHas)) {
      return 1;
    }
    if (r.literal.kind == Literal::Kind::kPattern && !r.literal.pattern.prefix().empty()) {
      auto [b, e] = c_.RangeWithPrefix(r.literal.pattern.prefix());
      return e - b;
    }
    return c_.size();
  }

  // One step of an AND: a child, or several range/equality restrictions
  // on one non-repeated indexed field, answered together as one interval.
  // `field` is set when the step is answered positively by that index.
  struct Step {
    uint64_t cost = 0;
    const CheckedExpr* child = nullptr;
    const FieldIndex* field = nullptr;
    std::vector<const Restriction*> conjunction;
    // Set when two single-value restrictions on one repeated field are
    // answered together from its pair postings (cooccurrence.h): the
    // records holding both values, borrowed from the index.
    const Roaring* pair = nullptr;
    // For a pair step not yet split: the pair postings it reads, and the
    // two entries of their field.
    const index::Cooccurrence* pairs = nullptr;
    std::pair<uint32_t, uint32_t> pair_entries;
  };

  // The one entry of `f` that `r` matches, or -1 when it matches none or
  // several (patterns, ranges).
  static int64_t OneEntry(const FieldIndex& f, const Restriction& r) {
    const Restriction* one = &r;
    const auto runs = f.MatchingEntries(FieldIndex::Conjunction(&one, 1));
    if (runs.size() != 1 || runs.front().second != runs.front().first + 1) return -1;
    return runs.front().first;
  }

  // Joins the two cheapest single-value steps on each repeated field that
  // has pair postings into one step reading them.
  void PairSteps(std::vector<Step>* steps) const {
    for (size_t i = 0; i < steps->size(); ++i) {
      Step& a = (*steps)[i];
      if (a.pair != nullptr || a.field == nullptr || a.conjunction.size() != 1 ||
          !a.conjunction.front()->field->repeated) {
        continue;
      }
      const index::Cooccurrence* pairs = index_.cooccurrence(a.conjunction.front()->field);
      if (pairs == nullptr) continue;
      const int64_t ea = OneEntry(*a.field, *a.conjunction.front());
      if (ea < 0) continue;
      for (size_t j = i + 1; j < steps->size(); ++j) {
        Step& b = (*steps)[j];
        if (b.pair != nullptr || b.field != a.field || b.conjunction.size() != 1) continue;
        const int64_t eb = OneEntry(*b.field, *b.conjunction.front());
        if (eb < 0 || eb == ea) continue;
        a.pair = &pairs->Both(static_cast<uint32_t>(ea), static_cast<uint32_t>(eb));
        a.conjunction.push_back(b.conjunction.front());
        a.cost = a.pair->cardinality();
        steps->erase(steps->begin() + static_cast<std::ptrdiff_t>(j));
        a.pairs = pairs;
        a.pair_entries = {static_cast<uint32_t>(ea), static_cast<uint32_t>(eb)};
        break;
      }
    }
    for (size_t i = 0; i < steps->size(); ++i) {
      if ((*steps)[i].pairs != nullptr && SplitPair(i, steps) < i) --i;
    }
  }

  // Narrows the pair step (*steps)[i] by one more single-value step on
  // another field with few values (the pairs split by it, see
  // Cooccurrence::By): the cheapest such step joins it, read from the
  // split's one list. Returns the index of the step it removed, or
  // steps->size() when none joined.
  size_t SplitPair(size_t i, std::vector<Step>* steps) const {
    size_t best = steps->size();
    int64_t best_entry = -1;
    for (size_t k = 0; k < steps->size(); ++k) {
      const Step& c = (*steps)[k];
      if (k == i || c.pair != nullptr || c.field == nullptr || c.conjunction.size() != 1 ||
          c.field == (*steps)[i].field ||
          c.field->entries().size() > index::Cooccurrence::kMaxByValues) {
        continue;
      }
      const int64_t ec = OneEntry(*c.field, *c.conjunction.front());
      if (ec < 0) continue;
      if (best == steps->size() || c.cost < (*steps)[best].cost) {
        best = k;
        best_entry = ec;
      }
    }
    if (best == steps->size()) return best;
    const index::Cooccurrence::Split* split = (*steps)[i].pairs->By(*(*steps)[best].field);
    if (split == nullptr) return steps->size();
    Step& a = (*steps)[i];
    const Roaring* triple =
        split->Find(a.pair_entries.first, a.pair_entries.second, static_cast<uint32_t>(best_entry));
    if (triple == nullptr) return steps->size();
    a.pair = triple;
    a.pairs = nullptr;
    a.conjunction.push_back((*steps)[best].conjunction.front());
    a.cost = a.pair->cardinality();
    steps->erase(steps->begin() + static_cast<std::ptrdiff_t>(best));
    return best;
  }

  // The value index answering `e` positively, if `e` is a restriction
  // other than != on an indexed field (not the name).
  const FieldIndex* Indexed(const CheckedExpr& e) const {
    if (e.kind != CheckedExpr::Kind::kRestriction) return nullptr;
    const Restriction& r = e.restriction;
    if (r.field == nullptr || r.op == Comparator::kNe || index_.IsName(r.field)) return nullptr;
    return index_.field(r.field);
  }

  // Whether `e` may join a conjunction on its field (see
  // FieldIndex::PositiveAll).
  const FieldIndex* Groupable(const CheckedExpr& e) const {
    if (e.kind != CheckedExpr::Kind::kRestriction) return nullptr;
    const Restriction& r = e.restriction;
    if (r.field == nullptr || r.field->repeated || r.op == Comparator::kNe ||
        index_.IsName(r.field)) {
      return nullptr;
    }
    return index_.field(r.field);
  }

  // The steps of an AND, cheapest first.
  std::vector<Step> PlanAnd(const CheckedExpr& e) const {
    std::vector<Step> steps;
    steps.reserve(e.children.size());
    for (const CheckedExpr& child : e.children) {
      if (const FieldIndex* f = Groupable(child); f != nullptr) {
        auto same =
            std::find_if(steps.begin(), steps.end(), [&](const Step& s) { return s.field == f; });
        if (same != steps.end()) {
          same->conjunction.push_back(&child.restriction);
          continue;
        }
      }
      Step step;
      step.child = &child;
      step.field = Indexed(child);
      if (step.field != nullptr) step.conjunction.push_back(&child.restriction);
      steps.push_back(std::move(step));
    }
    for (Step& step : steps) {
      step.cost = step.conjunction.size() > 1 ? step.field->EstimateAll(step.conjunction).records
                                              : Cost(*step.child);
    }
    PairSteps(&steps);
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step& a, const Step& b) { return a.cost < b.cost; });
    return steps;
  }

  absl::StatusOr<Roaring> RunStep(const Step& step, const Roaring& u) {
    if (step.pair != nullptr) {
      if (stats_ != nullptr) stats_->indexed_restrictions += step.conjunction.size();
      return IsEverything(u) ? *step.pair : u & *step.pair;
    }
    return step.conjunction.size() > 1 ? EvalConjunction(*step.field, step.conjunction, u)
                                       : Eval(*step.child, u);
  }

  absl::StatusOr<Roaring> EvalAnd(const CheckedExpr& e, const Roaring& u) {
    const std::vector<Step> steps = PlanAnd(e);
    // Each step narrows the candidates; `u` itself is never copied.
    const Roaring* cur = &u;
    Roaring owned;
    for (const Step& step : steps) {
      if (cur->isEmpty()) break;
      absl::StatusOr<Roaring> next = RunStep(step, *cur);
      if (!next.ok()) return next.status();
      owned = *std::move(next);
      cur = &owned;
    }
    if (cur == &u) return u;
    return owned;
  }

  // Whether answering `all` from the index beats testing the candidates `u`
  // one by one.
  bool IndexPays(const FieldIndex& f, const std::vector<const Restriction*>& all,
                 const Roaring& u) const {
    const FieldIndex::Estimate est = f.EstimateAll(all);
    return est.records <= u.cardinality() * kRecordTestCost || est.entries <= 1;
  }

  // `cur` intersected lazily with the records satisfying `all`.
  MatchSet Lazily(MatchSet cur, const FieldIndex& f, const std::vector<const Restriction*>& all) {
    if (stats_ != nullptr) stats_->indexed_restrictions += all.size();
    Roaring storage;
    const Roaring& positive = f.PositiveRef(all, &storage);
    if (IsEverything(cur.base()) && cur.also() == nullptr) {
      return &positive == &storage ? MatchSet::Own(std::move(storage))
                                   : MatchSet::Borrow(&positive);
    }
    if (&positive == &storage) {
      cur.AlsoWithin(nullptr, std::move(storage));
    } else {
      cur.AlsoWithin(&positive, Roaring());
    }
    return cur;
  }

  absl::StatusOr<Roaring> EvalConjunction(const FieldIndex& f,
                                          const std::vector<const Restriction*>& all,
                                          const Roaring& u) {
    if (IndexPays(f, all, u)) {
      if (stats_ != nullptr) stats_->indexed_restrictions += all.size();
      return Within(u, f.PositiveRef(all, &storage_), false);
    }
    std::vector<int> fields;
    for (const Restriction* r : all) AddFieldNumber(r->field, &fields);
    return Residual(u, Sorted(std::move(fields)), [&](const google::protobuf::Message& record) {
      for (const Restriction* r : all) {
        if (!query::MatchesRestriction(*r, record)) return false;
      }
      return true;
    });
  }

  absl::StatusOr<Roaring> EvalRestriction(const CheckedExpr& e, const Roaring& u) {
    const Restriction& r = e.restriction;
    if (index_.IsName(r.field)) return EvalName(e, u);
    const FieldIndex* f = index_.field(r.field);
    if (f != nullptr) {
      const FieldIndex::Estimate est = f->EstimatePositive(r);
      // Few candidates and big posting lists: test the candidates instead.
      if (est.records <= u.cardinality() * kRecordTestCost || est.entries <= 1) {
        if (stats_ != nullptr) ++stats_->indexed_restrictions;
        const query::Restriction* one = &r;
        const FieldIndex::Conjunction all(&one, 1);
        return Within(u, f->PositiveRef(all, &storage_), r.op == Comparator::kNe);
      }
    }
    return Residual(e, u);
  }

  // Restrictions on `name`: positions are in name order, so ranges of
  // names are ranges of positions.
  absl::StatusOr<Roaring> EvalName(const CheckedExpr& e, const Roaring& u) {
    const Restriction& r = e.restriction;
    const size_t n = c_.size();
    auto lower = [&](absl::string_view s) {  // first position with name >= s
      size_t lo = 0, hi = n;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c_.name(mid) < s)
          lo = mid + 1;
        else
          hi = mid;
      }
      return lo;
    };
    auto upper = [&](absl::string_view s) {  // first position with name > s
      size_t lo = 0, hi = n;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c_.name(mid) <= s)
          lo = mid + 1;
        else
          hi = mid;
      }
      return lo;
    };
    auto range = [&](size_t b, size_t end) {
      Roaring out;
      if (b < end) roaring_bitmap_add_range(&out.roaring, b, end);
      out &= u;
      return out;
    };
    if (r.literal.kind == Literal::Kind::kValue) {
      if (stats_ != nullptr) ++stats_->indexed_restrictions;
      const absl::string_view s = r.literal.str;
      switch (r.op) {
        case Comparator::kEq:
        case Comparator::kHas: {
          int64_t p = c_.IndexOf(s);
          return p < 0 ? Roaring() : range(p, p + 1);
        }
        case Comparator::kNe: {
          Roaring out = u;
          if (int64_t p = c_.IndexOf(s); p >= 0) out.remove(static_cast<uint32_t>(p));
          return out;
        }
        case Comparator::kLt:
          return range(0, lower(s));
        case Comparator::kLe:
          return range(0, upper(s));
        case Comparator::kGt:
          return range(upper(s), n);
        case Comparator::kGe:
          return range(lower(s), n);
      }
    }
    if (r.literal.kind == Literal::Kind::kPattern && r.op != Comparator::kNe &&
        !r.literal.pattern.prefix().empty()) {
      auto [b, end] = c_.RangeWithPrefix(r.literal.pattern.prefix());
      return Residual(e, range(b, end));
    }
    return Residual(e, u);
  }

  // Tests every position of `u` one by one.
  absl::StatusOr<Roaring> Residual(const CheckedExpr& e, const Roaring& u) {
    std::vector<int> fields;
    AddFieldNumbers(e, &fields);
    return Residual(u, Sorted(std::move(fields)), [&](const google::protobuf::Message& record) {
      return query::Matches(e, record);
    });
  }

  // The top-level field of the record that `field`'s values come from, or
  // for a computed field (commitments.* on agreements), the name field its
  // extractor reads. -1 when unknown: the whole record is then parsed.
  void AddFieldNumber(const query::Field* field, std::vector<int>* out) const {
    if (field == nullptr) return;
    const google::protobuf::Descriptor* d = c_.records().descriptor();
    const std::string top = field->path.substr(0, field->path.find('.'));
    if (const auto* f = d->FindFieldByName(top); f != nullptr) {
      out->push_back(f->number());
    } else if (const auto* name = d->FindFieldByName("name"); name != nullptr) {
      out->push_back(name->number());
    } else {
      out->push_back(-1);
    }
  }
  void AddFieldNumbers(const CheckedExpr& e, std::vector<int>* out) const {
    if (e.kind == CheckedExpr::Kind::kRestriction) AddFieldNumber(e.restriction.field, out);
    for (const CheckedExpr& child : e.children) AddFieldNumbers(child, out);
  }
  static std::vector<int> Sorted(std::vector<int> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }

  // Each candidate is parsed from its stored bytes into an arena that is
  // reset every kParsedPerArena records, so memory stays bounded however
  // many candidates there are.
  // Only the top-level `fields` the predicate reads are parsed (all of the
  // record when one is unknown, -1).
  template <typename Pred>
  absl::StatusOr<Roaring> Residual(const Roaring& u, const std::vector<int>& fields, Pred pred) {
    constexpr uint64_t kParsedPerArena = 256;
    const bool whole = fields.empty() || fields.front() < 0;
    std::vector<uint32_t> hits;
    uint64_t n = 0;
    google::protobuf::Arena arena;
    std::string scratch;
    for (uint32_t p : u) {
      if (++n % kPollEvery == 0 && cancelled_ && cancelled_()) {
        return absl::CancelledError("the request was cancelled while filtering");
      }
      if (n % kParsedPerArena == 0) arena.Reset();
      const google::protobuf::Message* record =
          whole ? c_.Parse(p, &arena) : c_.records().ParseFields(p, fields, &arena, &scratch);
      if (pred(*record)) hits.push_back(p);
    }
    if (stats_ != nullptr) stats_->records_evaluated += n;
    Roaring out;
    out.addMany(hits.size(), hits.data());
    return out;
  }

  const serving::Collection& c_;
  const CollectionIndex& index_;
  const std::function<bool()>& cancelled_;
  PlanStats* stats_;
  Roaring storage_;  // scratch for unions built by FieldIndex::PositiveRef
};

}  // namespace

MatchSet MatchSet::Own(Roaring r) {
  MatchSet m;
  m.base_owned_ = std::move(r);
  return m;
}

MatchSet MatchSet::Borrow(const Roaring* r) {
  MatchSet m;
  m.base_is_owned_ = false;
  m.base_ref_ = r;
  return m;
}

void MatchSet::AlsoWithin(const Roaring* other, Roaring owned) {
  if (other == nullptr) {
    also_is_owned_ = true;
    also_owned_ = std::move(owned);
  } else {
    also_is_owned_ = false;
    also_ref_ = other;
  }
}

uint64_t MatchSet::Count() const {
  return also() == nullptr ? base().cardinality() : base().and_cardinality(*also());
}

Roaring MatchSet::Materialize() const { return also() == nullptr ? base() : base() & *also(); }

absl::StatusOr<MatchSet> EvaluateFilterLazily(const serving::Collection& collection,
                                              const query::CheckedExpr& filter,
                                              const Roaring& universe,
                                              const std::function<bool()>& cancelled,
                                              PlanStats* stats) {
  return Planner(collection, cancelled, stats).EvalTop(filter, universe);
}

absl::StatusOr<Roaring> EvaluateFilter(const serving::Collection& collection,
                                       const query::CheckedExpr& filter, const Roaring& universe,
                                       const std::function<bool()>& cancelled, PlanStats* stats) {
  return Planner(collection, cancelled, stats).Eval(filter, universe);
}

}  // namespace accord::engine
