#include "service/api/watch_method.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "service/api/errors.h"
#include "service/api/watch_plan.h"
#include "service/engine/planner.h"
#include "service/query/evaluator.h"
#include "service/registry/registry.h"
#include "service/watch/resume_token.h"

namespace accord::api {

namespace {

using google::protobuf::Message;
using registry::CollectionId;
using watch::Change;
using watch::ChangeLog;

// A filtered snapshot is answered from the collection's indexes, a chunk of
// positions at a time, so that a selective filter costs in proportion to
// its matches and not to the collection (one response of a stream over 1M
// agreements never walks them all). A chunk starts at kSnapshotChunk
// positions and doubles, up to kSnapshotMaxChunk, after each chunk the
// indexes answered alone; one in which records had to be tested one by one
// (a filter on an unindexed field) keeps it small. One response looks at
// no more than kSnapshotChunksPerResponse chunks, and stops after the chunk
// in which kSnapshotEvaluationsPerResponse records have been tested; the
// hub's next tick continues it.
constexpr size_t kSnapshotChunk = 4096;
constexpr size_t kSnapshotMaxChunk = size_t{1} << 20;
constexpr size_t kSnapshotChunksPerResponse = 64;
constexpr uint64_t kSnapshotEvaluationsPerResponse = 16384;

absl::Status ShuttingDown() {
  return Annotate(absl::UnavailableError("the server is shutting down; resume on another replica"),
                  "SHUTTING_DOWN", "");
}

// A stream that failed before it started.
class FailedWatch final : public grpc::ServerWriteReactor<v1::WatchResponse> {
 public:
  explicit FailedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

class WatchStream final : public grpc::ServerWriteReactor<v1::WatchResponse>, public WatchWaker {
 public:
  WatchStream(WatchHub* hub, WatchPlan plan) : hub_(hub), plan_(std::move(plan)) {
    for (CollectionId id : plan_.collections) {
      const google::protobuf::Descriptor* d = registry::Get(id).message;
      type_urls_[static_cast<int>(id)] = absl::StrCat("type.googleapis.com/", d->full_name());
      if (plan_.filter.has_value()) {
        scratch_[static_cast<int>(id)].reset(
            google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
      }
    }
    cursor_seq_ = plan_.seq;
    cursor_index_ = plan_.index;
    cursor_version_ = plan_.version;
    if (!plan_.from_token) {
      ChangeLog::Head head = hub_->log()->head();
      // The head may have moved since the plan: snapshot whatever is the
      // head now, and follow the changes after it.
      snapshot_ = head.catalog;
      cursor_seq_ = head.seq;
      cursor_version_ = head.catalog->version();
      // Without a snapshot, the first response is at once the (empty)
      // snapshot's end: it tells the client its version and token.
      if (!plan_.snapshot) snapshot_collection_ = plan_.collections.size();
    }
    last_write_ = absl::Now();
  }

  void Start() {
    handle_ = std::make_shared<WatchHub::Handle>(this);
    hub_->Register(handle_);
    Pump(false);
  }

  void Wake() override { Pump(false); }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      std::lock_guard<std::mutex> lock(mu_);
      broken_ = true;
    }
    Pump(true);
  }

  void OnCancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      broken_ = true;
    }
    Pump(false);
  }

  void OnDone() override {
    handle_->Detach();
    delete this;
  }

 private:
  // Starts the next write, or finishes the stream, unless a write is in
  // flight. Called from gRPC's threads and the hub's; never blocks.
  void Pump(bool write_done) {
    std::optional<grpc::Status> finish;
    bool write = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (write_done) writing_ = false;
      if (finished_ || writing_) return;
      if (broken_) {
        finish = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
      } else if (hub_->shutting_down()) {
        finish = ToGrpcStatus(ShuttingDown());
      } else if (absl::Status s = BuildLocked(&write); !s.ok()) {
        finish = ToGrpcStatus(s);
      }
      if (finish.has_value()) {
        finished_ = true;
      } else if (write) {
        writing_ = true;
        last_write_ = absl::Now();
      }
    }
    if (finish.has_value()) {
      Finish(*finish);
    } else if (write) {
      StartWrite(&response_);
    }
  }

  std::string Token() const {
    return watch::EncodeResumeToken(watch::ResumePosition{
        hub_->log()->lineage(), cursor_seq_, cursor_index_, cursor_version_, plan_.request_hash});
  }

  // Whether the record whose stored bytes are `bytes` passes the filter
  // (false for "", a record that does not exist).
  bool MatchesBytes(CollectionId id, absl::string_view bytes) {
    if (bytes.empty()) return false;
    if (!plan_.filter.has_value()) return true;
    Message* scratch = scratch_[static_cast<int>(id)].get();
    if (!scratch->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
    return query::Matches(*plan_.filter, *scratch);
  }

  // What one response may spend looking for snapshot matches.
  struct SnapshotBudget {
    size_t chunks = 0;
    uint64_t evaluated = 0;
    bool spent() const {
      return chunks >= kSnapshotChunksPerResponse || evaluated >= kSnapshotEvaluationsPerResponse;
    }
  };

  // The position of the first record of `c` at or after the snapshot
  // position that passes the filter; c.size() if there is none; nullopt if
  // the budget ran out first (the snapshot position then moved past what
  // was looked at).
  std::optional<size_t> NextSnapshotMatch(CollectionId id, const serving::Collection& c,
                                          SnapshotBudget* budget)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!plan_.filter.has_value()) return snapshot_position_;
    if (!snapshot_filter_tried_) {
      snapshot_filter_tried_ = true;
      absl::StatusOr<query::CheckedExpr> compiled =
          query::CompileFilter(plan_.filter_text, c.schema());
      if (compiled.ok()) snapshot_filter_ = *std::move(compiled);
    }
    if (!snapshot_filter_.has_value()) {
      // Not expected (the plan compiled the same text against the same
      // schema): test the records one by one, within the same budget.
      while (snapshot_position_ < c.size()) {
        if (budget->spent()) return std::nullopt;
        ++budget->evaluated;
        if (MatchesBytes(id, c.bytes(snapshot_position_))) return snapshot_position_;
        ++snapshot_position_;
      }
      return c.size();
    }
    while (snapshot_position_ < c.size()) {
      if (snapshot_position_ >= chunk_end_) {
        if (budget->spent()) return std::nullopt;
        chunk_end_ = std::min(c.size(), snapshot_position_ + chunk_size_);
        Roaring universe;
        universe.addRange(snapshot_position_, chunk_end_);
        engine::PlanStats stats;
        absl::StatusOr<Roaring> matches =
            engine::EvaluateFilter(c, *snapshot_filter_, universe, nullptr, &stats);
        // Only a cancellation fails an evaluation, and nothing cancels this.
        chunk_matches_ = matches.ok() ? *std::move(matches) : Roaring();
        ++budget->chunks;
        budget->evaluated += stats.records_evaluated;
        chunk_size_ = stats.records_evaluated == 0 ? std::min(2 * chunk_size_, kSnapshotMaxChunk)
                                                   : kSnapshotChunk;
      }
      Roaring::const_iterator it = chunk_matches_.begin();
      it.equalorlarger(static_cast<uint32_t>(snapshot_position_));
      if (it != chunk_matches_.end()) return *it;
      snapshot_position_ = chunk_end_;
    }
    return c.size();
  }

  void AddEvent(v1::WatchEvent::Type type, CollectionId id, absl::string_view name,
                absl::string_view bytes) {
    v1::WatchEvent* event = response_.add_events();
    event->set_type(type);
    event->set_name(std::string(name));
    if (type != v1::WatchEvent::REMOVED) {
      event->mutable_resource()->set_type_url(type_urls_[static_cast<int>(id)]);
      // The stored wire bytes, as a Get returns them: copied, not
      // re-serialized.
      event->mutable_resource()->set_value(std::string(bytes));
    }
    response_bytes_ += name.size() + bytes.size();
  }

  bool Full() const {
    return response_.events_size() >= hub_->limits().max_events_per_response ||
           response_bytes_ >= hub_->limits().max_bytes_per_response;
  }

  absl::Status BuildLocked(bool* write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    response_.Clear();
    response_bytes_ = 0;
    if (snapshot_ != nullptr) {
      *write = FillSnapshot();
      return absl::OkStatus();
    }
    for (;;) {
      ChangeLog::Lookup next = hub_->log()->Next(cursor_seq_);
      switch (next.kind) {
        case ChangeLog::Lookup::Kind::kCaughtUp: {
          if (absl::Now() - last_write_ < plan_.heartbeat) return absl::OkStatus();
          ChangeLog::Head head = hub_->log()->head();
          if (head.seq != cursor_seq_) continue;  // a reload just landed
          response_.set_heartbeat(true);
          response_.set_catalog_version(cursor_version_);
          response_.set_resume_token(Token());
          *write = true;
          return absl::OkStatus();
        }
        case ChangeLog::Lookup::Kind::kEvicted:
          return Annotate(
              absl::FailedPreconditionError(
                  "this watch fell so far behind that the changes it had still to read left the "
                  "server's change log (--watch_log_versions, --watch_log_bytes); list the "
                  "collection again (or watch with a snapshot)"),
              "WATCH_TOO_SLOW", "");
        case ChangeLog::Lookup::Kind::kAhead:
          return absl::InternalError("the watch cursor is ahead of the change log");
        case ChangeLog::Lookup::Kind::kFound:
          if (FillChanges(*next.version)) {
            *write = true;
            return absl::OkStatus();
          }
          break;  // nothing this watch sees in that version: the next one
      }
    }
  }

  // Adds the next EXISTING events of the snapshot; false if the response
  // has none and the snapshot is not complete (the budget of this response
  // went on records that did not match: the hub's tick continues).
  bool FillSnapshot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    SnapshotBudget budget;
    while (snapshot_collection_ < plan_.collections.size() && !Full()) {
      CollectionId id = plan_.collections[snapshot_collection_];
      const serving::Collection& c = snapshot_->collection(id);
      while (snapshot_position_ < c.size() && !Full()) {
        std::optional<size_t> i = NextSnapshotMatch(id, c, &budget);
        if (!i.has_value()) break;
        if (*i == c.size()) break;
        snapshot_position_ = *i + 1;
        AddEvent(v1::WatchEvent::EXISTING, id, c.name(*i), c.bytes(*i));
      }
      if (snapshot_position_ == c.size()) {
        ++snapshot_collection_;
        snapshot_position_ = 0;
        chunk_end_ = 0;
      } else if (!Full()) {
        break;  // out of budget
      }
    }
    if (response_.events_size() == 0 && snapshot_collection_ < plan_.collections.size()) {
      return false;
    }
    response_.set_catalog_version(snapshot_->version());
    if (snapshot_collection_ == plan_.collections.size()) {
      response_.set_snapshot_complete(true);
      response_.set_version_complete(true);
      response_.set_resume_token(Token());
      snapshot_.reset();  // the stream no longer holds a catalogue
    }
    return true;
  }

  // Adds the events of `version` after the cursor; false if there were none
  // (the cursor then moved past the version).
  bool FillChanges(const watch::LoggedVersion& version) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    size_t i = cursor_index_;
    for (; i < version.changes.size() && !Full(); ++i) {
      const Change& c = version.changes[i];
      if (!plan_.watched[static_cast<int>(c.collection)]) continue;
      bool was = MatchesBytes(c.collection, c.old_bytes);
      bool is = MatchesBytes(c.collection, c.new_bytes);
      if (was && is) {
        AddEvent(v1::WatchEvent::MODIFIED, c.collection, c.name, c.new_bytes);
      } else if (is) {
        AddEvent(v1::WatchEvent::ADDED, c.collection, c.name, c.new_bytes);
      } else if (was) {
        AddEvent(v1::WatchEvent::REMOVED, c.collection, c.name, "");
      }
    }
    const bool done = i >= version.changes.size();
    if (done) {
      cursor_seq_ = version.seq;
      cursor_index_ = 0;
      cursor_version_ = version.version;
    } else {
      cursor_index_ = i;
    }
    if (response_.events_size() == 0) return false;
    response_.set_catalog_version(version.version);
    response_.set_version_complete(done);
    response_.set_resume_token(Token());
    return true;
  }

  WatchHub* const hub_;
  const WatchPlan plan_;
  std::array<std::string, registry::kCollectionCount> type_urls_;
  std::array<std::unique_ptr<Message>, registry::kCollectionCount> scratch_;
  std::shared_ptr<WatchHub::Handle> handle_;

  std::mutex mu_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_write_ ABSL_GUARDED_BY(mu_);
  // The snapshot still being sent (null once complete, or without one).
  std::shared_ptr<const serving::ServingCatalog> snapshot_ ABSL_GUARDED_BY(mu_);
  size_t snapshot_collection_ ABSL_GUARDED_BY(mu_) = 0;
  size_t snapshot_position_ ABSL_GUARDED_BY(mu_) = 0;
  // The filter bound to the snapshot collection's schema (and so to its
  // indexes), compiled when the snapshot first needs it.
  bool snapshot_filter_tried_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<query::CheckedExpr> snapshot_filter_ ABSL_GUARDED_BY(mu_);
  // The matches among positions [.., chunk_end_) of the snapshot's current
  // collection, from the last chunk evaluated.
  Roaring chunk_matches_ ABSL_GUARDED_BY(mu_);
  size_t chunk_end_ ABSL_GUARDED_BY(mu_) = 0;
  size_t chunk_size_ ABSL_GUARDED_BY(mu_) = kSnapshotChunk;
  // Delivered: every change up to version cursor_seq_ (cursor_version_) and
  // the first cursor_index_ changes of the next version.
  uint64_t cursor_seq_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t cursor_index_ ABSL_GUARDED_BY(mu_) = 0;
  std::string cursor_version_ ABSL_GUARDED_BY(mu_);
  // The response being built or in flight (one at a time).
  v1::WatchResponse response_ ABSL_GUARDED_BY(mu_);
  size_t response_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

void WatchHub::Handle::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  if (waker_ != nullptr) waker_->Wake();
}

void WatchHub::Handle::Detach() {
  std::lock_guard<std::mutex> lock(mu_);
  waker_ = nullptr;
}

WatchHub::WatchHub(watch::ChangeLog* log, WatchLimits limits) : log_(log), limits_(limits) {
  log_->SetListener([this] { WakeAll(); });
  ticker_ = std::thread([this] { Tick(); });
}

WatchHub::~WatchHub() {
  log_->SetListener(nullptr);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
}

void WatchHub::Shutdown() {
  shutting_down_.store(true, std::memory_order_release);
  WakeAll();
}

void WatchHub::Register(const std::shared_ptr<Handle>& handle) {
  std::lock_guard<std::mutex> lock(mu_);
  handles_.push_back(handle);
}

size_t WatchHub::streams() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& h : handles_) n += h.expired() ? 0 : 1;
  return n;
}

void WatchHub::WakeAll() {
  std::vector<std::shared_ptr<Handle>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::weak_ptr<Handle>> kept;
    kept.reserve(handles_.size());
    for (auto& weak : handles_) {
      if (std::shared_ptr<Handle> h = weak.lock()) {
        live.push_back(std::move(h));
        kept.push_back(std::move(weak));
      }
    }
    handles_ = std::move(kept);
  }
  for (const auto& h : live) h->Wake();
}

void WatchHub::Tick() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, absl::ToChronoMilliseconds(limits_.tick), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    WakeAll();
    lock.lock();
  }
}

grpc::ServerWriteReactor<v1::WatchResponse>* StartWatch(const HandlerEnv& env, WatchHub* hub,
                                                        grpc::CallbackServerContext* context,
                                                        const v1::WatchRequest* request) {
  absl::Status status = absl::OkStatus();
  if (*env.guard) status = (*env.guard)(context);
  if (status.ok() && hub == nullptr) {
    status = absl::UnimplementedError("this server has no change log: Watch is off");
  }
  if (status.ok() && hub->shutting_down()) status = ShuttingDown();
  if (!status.ok()) return new FailedWatch(ToGrpcStatus(status));
  absl::StatusOr<WatchPlan> plan = PlanWatch(*request, *hub->log());
  if (!plan.ok()) return new FailedWatch(ToGrpcStatus(plan.status()));
  auto* stream = new WatchStream(hub, *std::move(plan));
  stream->Start();
  return stream;
}

}  // namespace accord::api
