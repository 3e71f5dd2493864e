// Watch (issue 11) end to end, against the real server: many reloads under
// Get/List load with several watchers, resume without gap or duplicate,
// expired tokens, heartbeats, the slow-reader policy, bad requests and
// shutdown.
#include <unistd.h>
#include <atomic>
#include <chrono>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/catgen/catgen.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_client.h"
#include "tests/support/server_process.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;
using v1::WatchEvent;
using v1::WatchRequest;
using v1::WatchResponse;

// The test's own model of the extra sectors it writes: name -> (parent,
// description); absent names are not in the catalogue.
using Model = std::map<std::string, std::pair<std::string, std::string>>;

constexpr char kParent[] = "sectors/manufacturing";
constexpr char kFilter[] = "parent = \"sectors/manufacturing\"";

void WriteModel(const fs::path& dir, const Model& model, const std::string& big = "") {
  std::ofstream out(dir / "watch-extra.textproto.tmp");
  for (const auto& [name, v] : model) {
    out << "sectors { name: \"" << name << "\" display_name: \"Watch " << name << "\"";
    if (!v.first.empty()) out << " parent: \"" << v.first << "\"";
    out << " description: \"" << v.second << "\" }\n";
  }
  if (!big.empty()) {
    out << "sectors { name: \"sectors/w-big\" display_name: \"Big\" description: \"" << big
        << "\" }\n";
  }
  out.close();
  fs::rename(dir / "watch-extra.textproto.tmp", dir / "watch-extra.textproto");
}

// (type, name) of each event the model's change from `a` to `b` makes for a
// watcher of sectors, through the filter or not. Ordered by name.
std::vector<std::pair<int, std::string>> Expected(const Model& a, const Model& b, bool filtered) {
  std::vector<std::pair<int, std::string>> out;
  std::map<std::string, int> all;
  for (const auto& [n, v] : a) all[n] |= 1;
  for (const auto& [n, v] : b) all[n] |= 2;
  for (const auto& [name, where] : all) {
    bool was = (where & 1) && (!filtered || a.at(name).first == kParent);
    bool is = (where & 2) && (!filtered || b.at(name).first == kParent);
    if (was && is) {
      if (a.at(name) != b.at(name)) out.emplace_back(WatchEvent::MODIFIED, name);
    } else if (is) {
      out.emplace_back(WatchEvent::ADDED, name);
    } else if (was) {
      out.emplace_back(WatchEvent::REMOVED, name);
    }
  }
  return out;
}

fs::path FreshCatalogue(const std::string& leaf) {
  // Per process, so that concurrent runs of the test do not share it.
  fs::path dir = fs::path(::testing::TempDir()) / (leaf + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(BundledCatalog(), dir, fs::copy_options::recursive);
  return dir;
}

v1::CatalogStatus Status(v1::AccordService::Stub* stub) {
  v1::GetCatalogStatusRequest req;
  v1::CatalogStatus status;
  grpc::Status s = stub->GetCatalogStatus(Context().get(), req, &status);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return status;
}

// Reloads with SIGHUP and waits until the reload count says it is done.
std::string Reload(ServerProcess* server, v1::AccordService::Stub* stub) {
  int64_t before = Status(stub).reload_count();
  server->Signal(SIGHUP);
  for (int i = 0; i < 500; ++i) {
    v1::CatalogStatus s = Status(stub);
    if (s.reload_count() > before) {
      EXPECT_EQ(s.last_error(), "");
      // Asked again: a status taken while the reload landed may pair the
      // new count with the old version; one asked after it cannot.
      return Status(stub).version();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "no reload: " << server->log();
  return "";
}

std::unique_ptr<grpc::ClientContext> StreamContext(int seconds = 60) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

WatchRequest Request(const std::string& collection, const std::string& filter = "",
                     bool snapshot = true) {
  WatchRequest req;
  req.set_collection(collection);
  req.set_filter(filter);
  req.set_skip_snapshot(!snapshot);
  req.mutable_heartbeat_interval()->set_seconds(1);
  return req;
}

// What one watcher saw.
struct Seen {
  std::map<std::string, std::string> copy;  // the client's copy: name -> bytes
  // Per catalogue version, in the order versions arrived: the events.
  std::vector<std::pair<std::string, std::vector<std::pair<int, std::string>>>> versions;
  bool snapshot_complete = false;
  std::string token;
  std::string last_version;
  bool complete = true;  // the last version's events are all in
};

// Applies one response to `seen`. Returns false on a protocol violation.
bool Apply(const WatchResponse& r, Seen* seen) {
  if (r.heartbeat()) {
    if (r.events_size() != 0) return false;
  } else if (!seen->snapshot_complete) {
    for (const WatchEvent& e : r.events()) {
      if (e.type() != WatchEvent::EXISTING) return false;
      seen->copy[e.name()] = e.resource().value();
    }
    if (r.snapshot_complete()) seen->snapshot_complete = true;
  } else {
    if (seen->complete || seen->versions.empty() ||
        seen->versions.back().first != r.catalog_version()) {
      if (!seen->complete) return false;  // a version interleaved with another
      seen->versions.emplace_back(r.catalog_version(), std::vector<std::pair<int, std::string>>{});
    }
    for (const WatchEvent& e : r.events()) {
      seen->versions.back().second.emplace_back(e.type(), e.name());
      if (e.type() == WatchEvent::REMOVED) {
        if (seen->copy.erase(e.name()) != 1) return false;
      } else if (e.type() == WatchEvent::ADDED) {
        if (!seen->copy.emplace(e.name(), e.resource().value()).second) return false;
      } else if (e.type() == WatchEvent::MODIFIED) {
        auto it = seen->copy.find(e.name());
        if (it == seen->copy.end()) return false;
        it->second = e.resource().value();
      } else {
        return false;
      }
    }
    seen->complete = r.version_complete();
  }
  if (!r.resume_token().empty()) seen->token = r.resume_token();
  seen->last_version = r.catalog_version();
  return true;
}

// The sectors the server lists (through `filter`): name -> bytes.
std::map<std::string, std::string> ListSectors(v1::AccordService::Stub* stub,
                                               const std::string& filter) {
  std::map<std::string, std::string> out;
  v1::ListSectorsRequest req;
  req.set_filter(filter);
  req.set_page_size(1000);
  v1::ListSectorsResponse resp;
  grpc::Status s = stub->ListSectors(Context().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.next_page_token(), "");
  for (const v1::Sector& sector : resp.sectors()) out[sector.name()] = sector.SerializeAsString();
  return out;
}

std::map<std::string, std::string> Normalised(const std::map<std::string, std::string>& copy) {
  std::map<std::string, std::string> out;
  for (const auto& [name, bytes] : copy) {
    v1::Sector sector;
    EXPECT_TRUE(sector.ParseFromString(bytes)) << name;
    out[name] = sector.SerializeAsString();
  }
  return out;
}

// Reads `reader` into `seen` until a response of version `*final` (set by
// the test once known) leaves the copy complete, or `stop_after` changed
// versions have arrived (then it returns without finishing the call).
void ReadUntil(grpc::ClientReader<WatchResponse>* reader, Seen* seen, const std::atomic<bool>* done,
               const std::string* final, size_t stop_after, bool* ok) {
  WatchResponse r;
  while (reader->Read(&r)) {
    if (!Apply(r, seen)) {
      *ok = false;
      return;
    }
    if (seen->versions.size() >= stop_after) return;
    if (done->load() && r.catalog_version() == *final && seen->complete &&
        seen->snapshot_complete) {
      return;
    }
  }
  *ok = false;
}

TEST(WatchE2eTest, ManyReloadsUnderLoadLoseNothing) {
  fs::path dir = FreshCatalogue("accord_watch_reloads");
  Model model;
  WriteModel(dir, model);
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + dir.string()})) << server.log();
  auto stub = NewStub(server.address());
  const std::string initial = Status(stub.get()).version();

  // Load: Get and List on two other connections the whole time.
  std::atomic<bool> stop_load{false};
  std::atomic<int> load_calls{0}, load_errors{0};
  std::vector<std::thread> load;
  for (int t = 0; t < 2; ++t) {
    load.emplace_back([&] {
      auto s = NewStub(server.address());
      while (!stop_load) {
        v1::ListAgreementsRequest list;
        v1::ListAgreementsResponse lr;
        if (!s->ListAgreements(Context().get(), list, &lr).ok()) ++load_errors;
        v1::GetCountryRequest get;
        get.set_name("countries/my");
        v1::Country c;
        if (!s->GetCountry(Context().get(), get, &c).ok()) ++load_errors;
        load_calls += 2;
      }
    });
  }

  std::atomic<bool> done{false};
  std::string final_version;
  struct Watcher {
    WatchRequest request;
    bool filtered;
    Seen seen;
    bool ok = true;
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<WatchResponse>> reader;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Watcher>> watchers;
  auto add = [&](WatchRequest req, bool filtered) {
    auto w = std::make_unique<Watcher>();
    w->request = std::move(req);
    w->filtered = filtered;
    watchers.push_back(std::move(w));
  };
  add(Request("sectors"), false);
  add(Request("sectors", kFilter), true);
  add(Request("-", "", false), false);
  for (auto& w : watchers) {
    w->context = StreamContext();
    w->reader = stub->Watch(w->context.get(), w->request);
  }
  // The first two get their snapshot before reloads start: wait for it.
  for (int i = 0; i < 2; ++i) {
    WatchResponse r;
    while (!watchers[i]->seen.snapshot_complete && watchers[i]->reader->Read(&r)) {
      ASSERT_TRUE(Apply(r, &watchers[i]->seen));
      EXPECT_EQ(r.catalog_version(), initial);
    }
    ASSERT_TRUE(watchers[i]->seen.snapshot_complete);
  }
  for (auto& w : watchers) {
    Watcher* p = w.get();
    p->thread = std::thread([p, &done, &final_version] {
      ReadUntil(p->reader.get(), &p->seen, &done, &final_version, SIZE_MAX, &p->ok);
    });
  }
  // A fourth watcher reads for a while, disconnects, and resumes.
  Seen resumed;
  bool resumed_ok = true;
  std::thread resumer([&] {
    auto s = NewStub(server.address());
    auto context = StreamContext();
    auto reader = s->Watch(context.get(), Request("sectors", "", false));
    ReadUntil(reader.get(), &resumed, &done, &final_version, 8, &resumed_ok);
    context->TryCancel();
    reader->Finish();
    if (!resumed_ok) return;
    WatchRequest again = Request("sectors", "", false);
    again.set_resume_token(resumed.token);
    auto context2 = StreamContext();
    auto reader2 = s->Watch(context2.get(), again);
    ReadUntil(reader2.get(), &resumed, &done, &final_version, SIZE_MAX, &resumed_ok);
  });

  // 32 reloads, each adding, changing and removing sectors.
  std::mt19937 rng(11);
  std::vector<std::pair<std::string, Model>> history = {{initial, model}};
  for (int round = 1; round <= 32; ++round) {
    Model next = model;
    for (int k = 0; k < 10; ++k) {
      std::string name = "sectors/w-" + std::to_string(k);
      switch (rng() % 5) {
        case 0:
          next.erase(name);
          break;
        case 1:
          next[name] = {kParent, "round " + std::to_string(round)};
          break;
        case 2:
          next[name] = {"", "round " + std::to_string(round)};
          break;
        case 3:
          if (next.count(name)) next[name].first = next[name].first.empty() ? kParent : "";
          break;
        default:
          break;  // unchanged
      }
    }
    if (next == model) next["sectors/w-always"] = {"", "round " + std::to_string(round)};
    WriteModel(dir, next);
    std::string version = Reload(&server, stub.get());
    ASSERT_FALSE(version.empty());
    history.emplace_back(version, next);
    model = next;
  }
  final_version = history.back().first;
  done = true;
  for (auto& w : watchers) w->thread.join();
  resumer.join();
  stop_load = true;
  for (auto& t : load) t.join();
  EXPECT_EQ(load_errors.load(), 0);
  EXPECT_GT(load_calls.load(), 0);
  std::cout << history.size() - 1 << " reloads while " << load_calls.load()
            << " Get/List calls ran\n";

  // Every version's events, exactly once and in order, per watcher.
  for (size_t i = 0; i < watchers.size(); ++i) {
    Watcher& w = *watchers[i];
    SCOPED_TRACE(w.request.ShortDebugString());
    ASSERT_TRUE(w.ok);
    std::vector<std::pair<std::string, std::vector<std::pair<int, std::string>>>> expected;
    for (size_t v = 1; v < history.size(); ++v) {
      auto events = Expected(history[v - 1].second, history[v].second, w.filtered);
      if (!events.empty()) expected.emplace_back(history[v].first, events);
    }
    EXPECT_EQ(w.seen.versions, expected);
    EXPECT_EQ(w.seen.last_version, final_version);
    if (i < 2) {
      EXPECT_EQ(Normalised(w.seen.copy), ListSectors(stub.get(), w.filtered ? kFilter : ""));
    }
  }
  {
    ASSERT_TRUE(resumed_ok);
    std::vector<std::pair<std::string, std::vector<std::pair<int, std::string>>>> expected;
    for (size_t v = 1; v < history.size(); ++v) {
      auto events = Expected(history[v - 1].second, history[v].second, false);
      if (!events.empty()) expected.emplace_back(history[v].first, events);
    }
    EXPECT_EQ(resumed.versions, expected);
  }
  for (auto& w : watchers) {
    w->context->TryCancel();
    w->reader->Finish();
  }
  fs::remove_all(dir);
}

TEST(WatchE2eTest, ExpiredTokenHeartbeatAndSlowReader) {
  fs::path dir = FreshCatalogue("accord_watch_expiry");
  WriteModel(dir, {});
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + dir.string(), "--watch_log_versions=2"}))
      << server.log();
  auto stub = NewStub(server.address());
  const std::string v0 = Status(stub.get()).version();

  // Heartbeat while idle: version and a token.
  auto context = StreamContext();
  auto reader = stub->Watch(context.get(), Request("sectors", "", false));
  WatchResponse r;
  // Without a snapshot, the first response ends the (empty) snapshot at once.
  ASSERT_TRUE(reader->Read(&r));
  EXPECT_TRUE(r.snapshot_complete());
  EXPECT_FALSE(r.heartbeat());
  EXPECT_EQ(r.events_size(), 0);
  EXPECT_EQ(r.catalog_version(), v0);
  EXPECT_FALSE(r.resume_token().empty());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(reader->Read(&r));
  EXPECT_TRUE(r.heartbeat());
  EXPECT_EQ(r.events_size(), 0);
  EXPECT_EQ(r.catalog_version(), v0);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  const std::string token = r.resume_token();
  ASSERT_FALSE(token.empty());

  // The slow reader: records of 200 KB each version, unread, fill the
  // transport's window; three more reloads push its position out of a log of
  // two versions.
  // A channel without BDP probing and with a 64 KiB stream window, so that
  // unread responses hold the server's writes back.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 << 10);
  auto slow_stub = v1::AccordService::NewStub(
      grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), args));
  auto slow_context = StreamContext(20);
  auto slow = slow_stub->Watch(slow_context.get(), Request("sectors", "", false));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int round = 0; round < 6; ++round) {
    WriteModel(dir, {}, std::string(200 << 10, static_cast<char>('a' + round)));
    ASSERT_FALSE(Reload(&server, stub.get()).empty());
  }
  int slow_responses = 0;
  while (slow->Read(&r)) ++slow_responses;
  ErrorDetails slow_error = ReadError(slow->Finish());
  EXPECT_EQ(slow_error.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(slow_error.reason, "WATCH_TOO_SLOW");
  EXPECT_LT(slow_responses, 6);

  // The token of version v0 is now older than the log.
  context->TryCancel();
  reader->Finish();
  WatchRequest resume = Request("sectors", "", false);
  resume.set_resume_token(token);
  auto context2 = StreamContext(10);
  auto expired = stub->Watch(context2.get(), resume);
  EXPECT_FALSE(expired->Read(&r));
  ErrorDetails e = ReadError(expired->Finish());
  EXPECT_EQ(e.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(e.reason, "RESUME_TOKEN_EXPIRED");
  EXPECT_EQ(e.metadata["tokenVersion"], v0);
  fs::remove_all(dir);
}

ErrorDetails WatchError(v1::AccordService::Stub* stub, const WatchRequest& req) {
  auto context = StreamContext(10);
  auto reader = stub->Watch(context.get(), req);
  WatchResponse r;
  EXPECT_FALSE(reader->Read(&r));
  return ReadError(reader->Finish());
}

TEST(WatchE2eTest, BadRequestsAreInvalidArgumentWithDetails) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog()})) << server.log();
  auto stub = NewStub(server.address());
  ErrorDetails e = WatchError(stub.get(), Request("sectors", "colour = \"red\""));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "UNKNOWN_FIELD");
  ASSERT_EQ(e.violations.size(), 1u);
  EXPECT_EQ(e.violations[0].first, "filter");
  e = WatchError(stub.get(), Request("treaties"));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "INVALID_COLLECTION");
  ASSERT_EQ(e.violations.size(), 1u);
  EXPECT_EQ(e.violations[0].first, "collection");
  e = WatchError(stub.get(), Request("-", "display_name = \"x\""));
  EXPECT_EQ(e.reason, "FILTER_NEEDS_ONE_COLLECTION");
  e = WatchError(stub.get(), Request("agreements", "commitments.committed_by = \"countries/my\""));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "FILTER_FIELD_NOT_WATCHABLE");
  WatchRequest req = Request("sectors");
  req.mutable_heartbeat_interval()->set_seconds(0);
  req.mutable_heartbeat_interval()->set_nanos(1000);
  e = WatchError(stub.get(), req);
  EXPECT_EQ(e.reason, "INVALID_HEARTBEAT_INTERVAL");
  req = Request("sectors");
  req.set_resume_token("not-a-token");
  e = WatchError(stub.get(), req);
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "INVALID_RESUME_TOKEN");

  // A token is bound to its collection and filter.
  auto context = StreamContext(10);
  auto reader = stub->Watch(context.get(), Request("sectors"));
  WatchResponse r;
  std::string token;
  while (token.empty() && reader->Read(&r)) token = r.resume_token();
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(r.snapshot_complete());
  context->TryCancel();
  reader->Finish();
  req = Request("countries");
  req.set_resume_token(token);
  EXPECT_EQ(WatchError(stub.get(), req).reason, "INVALID_RESUME_TOKEN");
}

TEST(WatchE2eTest, SnapshotOfEveryCollectionMatchesList) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog()})) << server.log();
  auto stub = NewStub(server.address());
  auto context = StreamContext(10);
  auto reader = stub->Watch(context.get(), Request("-"));
  WatchResponse r;
  std::map<std::string, int> per_type;
  std::vector<std::string> names;
  while (reader->Read(&r)) {
    for (const WatchEvent& e : r.events()) {
      EXPECT_EQ(e.type(), WatchEvent::EXISTING);
      ++per_type[e.resource().type_url()];
      names.push_back(e.name());
    }
    if (r.snapshot_complete()) break;
  }
  ASSERT_TRUE(r.snapshot_complete());
  EXPECT_FALSE(r.resume_token().empty());
  v1::CatalogStatus status = Status(stub.get());
  EXPECT_EQ(r.catalog_version(), status.version());
  EXPECT_EQ(per_type["type.googleapis.com/accord.v1.Agreement"],
            status.record_counts().at("agreements"));
  EXPECT_EQ(per_type["type.googleapis.com/accord.v1.Sector"], status.record_counts().at("sectors"));
  EXPECT_EQ(static_cast<int64_t>(names.size()), [&] {
    int64_t n = 0;
    for (const auto& [k, v] : status.record_counts()) n += v;
    return n;
  }());
  context->TryCancel();
  reader->Finish();
}

// The names a filtered snapshot sends, in order, until snapshot_complete.
std::vector<std::string> SnapshotNames(v1::AccordService::Stub* stub, const std::string& filter) {
  auto context = StreamContext(60);
  auto reader = stub->Watch(context.get(), Request("agreements", filter));
  WatchResponse r;
  std::vector<std::string> names;
  while (reader->Read(&r)) {
    for (const WatchEvent& e : r.events()) {
      EXPECT_EQ(e.type(), WatchEvent::EXISTING);
      names.push_back(e.name());
    }
    if (r.snapshot_complete()) break;
  }
  EXPECT_TRUE(r.snapshot_complete()) << filter;
  context->TryCancel();
  reader->Finish();
  return names;
}

// A filtered snapshot over a generated catalogue of 20 000 agreements: the
// filter is answered from the indexes a chunk of positions at a time
// (selective, dense, empty and unindexed filters), and each sends exactly
// the records List returns for the same filter, in the same order.
TEST(WatchE2eTest, FilteredSnapshotOfALargeCollectionMatchesList) {
  const fs::path dir = fs::temp_directory_path() / absl::StrCat("accord-watch-large-", getpid());
  struct Remove {
    fs::path path;
    ~Remove() { fs::remove_all(path); }
  } remove{dir};
  catgen::Spec spec;
  spec.agreements = 20000;
  ASSERT_TRUE(catgen::WriteCatalogue(spec, dir.string()).ok());
  ServerProcess server;
  ASSERT_TRUE(server.Start(
      {"--catalog=" + dir.string(), "--nosearch_index", "--max_catalog_bytes=1000000000"}, 60))
      << server.log();
  auto stub = NewStub(server.address());
  const std::string rare = catgen::CountryName(150);
  const std::string common = catgen::CountryName(0);
  struct Case {
    std::string filter;
    size_t at_least, at_most;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("parties:\"", rare, "\""), 1, 2000},
      {absl::StrCat("parties:\"", common, "\" OR kind = TREATY"), 2000, 19999},
      {absl::StrCat("parties:\"", rare, "\" AND parties:\"", rare, "x\""), 0, 0},
      {"title = \"*among*\" AND NOT parties:\"" + common + "\"", 1, 19999},
      // Tested record by record and matching none: the snapshot's budget
      // runs out with nothing to send, and the hub's ticks continue it.
      {"title = \"*no such title*\"", 0, 0},
  };
  for (const Case& c : cases) {
    std::vector<std::string> watched = SnapshotNames(stub.get(), c.filter);
    v1::ListAgreementsRequest list;
    list.set_filter(c.filter);
    list.set_page_size(1000);
    std::vector<std::string> listed = ListAllAgreementNames(stub.get(), list);
    EXPECT_EQ(watched, listed) << c.filter;
    EXPECT_GE(watched.size(), c.at_least) << c.filter;
    EXPECT_LE(watched.size(), c.at_most) << c.filter;
  }
}

// With --auth_token_file a Watch needs the token like every other RPC.
TEST(WatchE2eTest, NeedsTheBearerToken) {
  fs::path tokens = fs::path(::testing::TempDir()) / "accord_watch_tokens";
  std::ofstream(tokens) << "s3cret-watch-token\n";
  ServerProcess server;
  ASSERT_TRUE(
      server.Start({"--catalog=" + BundledCatalog(), "--auth_token_file=" + tokens.string()}))
      << server.log();
  auto stub = NewStub(server.address());
  ErrorDetails e = WatchError(stub.get(), Request("sectors"));
  EXPECT_EQ(e.code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(e.reason, "TOKEN_MISSING");
  auto context = StreamContext(10);
  context->AddMetadata("authorization", "Bearer s3cret-watch-token");
  auto reader = stub->Watch(context.get(), Request("sectors"));
  WatchResponse r;
  int events = 0;
  while (reader->Read(&r)) {
    events += r.events_size();
    if (r.snapshot_complete()) break;
  }
  EXPECT_TRUE(r.snapshot_complete());
  EXPECT_GT(events, 0);
  context->TryCancel();
  reader->Finish();
}

// An open stream is one call alive on its connection
// (--max_calls_per_connection): it leaves room for unary calls there, and
// none at all is taken from other connections.
TEST(WatchE2eTest, StreamsCountAsOneCallOnTheirConnectionOnly) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--max_calls_per_connection=3"}))
      << server.log();
  auto connection = [&] {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
    return v1::AccordService::NewStub(
        grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), args));
  };
  auto a = connection();
  auto b = connection();
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<WatchResponse>>> readers;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(StreamContext(20));
    readers.push_back(a->Watch(contexts.back().get(), Request("sectors", "", false)));
    WatchResponse r;
    ASSERT_TRUE(readers.back()->Read(&r));
    ASSERT_TRUE(r.snapshot_complete());
  }
  // Two streams open on `a`: a third call there fits, on `b` any do.
  EXPECT_EQ(Status(a.get()).name(), "catalogStatus");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Status(b.get()).name(), "catalogStatus");
  // A third stream and a unary call at once exceed the 3 on `a`.
  // (The unary call above is counted until gRPC destroys it, just after it
  // returns: the third stream may need a retry.)
  std::unique_ptr<grpc::ClientContext> third_context;
  std::unique_ptr<grpc::ClientReader<WatchResponse>> third;
  WatchResponse r;
  for (int attempt = 0; attempt < 100; ++attempt) {
    third_context = StreamContext(20);
    third = a->Watch(third_context.get(), Request("sectors", "", false));
    if (third->Read(&r)) break;
    ErrorDetails refused = ReadError(third->Finish());
    ASSERT_EQ(refused.reason, "TOO_MANY_CALLS");
    third.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(third, nullptr);
  ASSERT_TRUE(r.snapshot_complete());
  v1::GetCatalogStatusRequest req;
  v1::CatalogStatus status;
  ErrorDetails e = ReadError(a->GetCatalogStatus(Context().get(), req, &status));
  EXPECT_EQ(e.code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(e.reason, "TOO_MANY_CALLS");
  EXPECT_EQ(Status(b.get()).name(), "catalogStatus");
  third_context->TryCancel();
  third->Finish();
  for (size_t i = 0; i < readers.size(); ++i) {
    contexts[i]->TryCancel();
    readers[i]->Finish();
  }
}

TEST(WatchE2eTest, StreamsEndPromptlyOnShutdown) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(
      {"--catalog=" + BundledCatalog(), "--shutdown_drain=200ms", "--shutdown_grace=20s"}))
      << server.log();
  auto stub = NewStub(server.address());
  auto context = StreamContext(30);
  auto reader = stub->Watch(context.get(), Request("sectors", "", false));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  WatchResponse r;
  while (reader->Read(&r)) {
  }
  ErrorDetails e = ReadError(reader->Finish());
  EXPECT_EQ(e.code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(e.reason, "SHUTTING_DOWN");
  auto ended = std::chrono::steady_clock::now() - start;
  EXPECT_LT(ended, std::chrono::seconds(2));
  // The server itself then stops within --shutdown_grace, at once when the
  // client has closed its connection (an idle one holds gRPC's shutdown a
  // few seconds, Watch or not).
  reader.reset();
  context.reset();
  stub.reset();
  EXPECT_EQ(server.Wait(15), 0) << server.log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace accord::testing
