// Reloads the catalogue over and over while many clients query it, in one
// process, so that ThreadSanitizer sees both the swap and the readers
// (scripts/sanitize runs it under TSan). Every response must come wholly
// from one catalogue: a page's records and its total_size agree.
#include <filesystem>

#include "gtest/gtest.h"
#include "service/api/accord_service.h"
#include "service/api/resource_methods.h"
#include "service/serving/catalog_store.h"
#include "tests/reliability/load_util.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

// Alternates: add the extra record, break the catalogue, mend it, remove
// the extra record; reloading after each step.
void ReloadLoop(serving::CatalogStore* store, const std::string& catalog, std::atomic<bool>* stop,
                int* ok, int* failed) {
  for (int step = 0; !*stop; ++step) {
    switch (step % 4) {
      case 0:
        ReplaceFile(catalog + "/" + kExtraFile, kExtraText);
        break;
      case 1:
        ReplaceFile(catalog + "/" + kBrokenFile, kBrokenText);
        break;
      case 2:
        std::filesystem::remove(catalog + "/" + kBrokenFile);
        break;
      case 3:
        std::filesystem::remove(catalog + "/" + kExtraFile);
        break;
    }
    (store->Reload().ok() ? *ok : *failed) += 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

TEST(ConcurrencyTest, SnapshotReadersNeverSeeAMixDuringReloads) {
  TempDir dir;
  std::string catalog = CopyCatalog(dir);
  serving::CatalogStore store(catalog);
  ASSERT_TRUE(store.Reload().ok());
  const size_t base = store.Current()->collection(catalog::CollectionId::kCooperationAreas).size();
  std::atomic<bool> stop{false};
  std::atomic<int64_t> reads{0}, bad{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 6; ++i) {
    readers.emplace_back([&] {
      while (!stop) {
        std::shared_ptr<const serving::ServingCatalog> s = store.Current();
        const auto& areas = s->collection(catalog::CollectionId::kCooperationAreas);
        bool extra = areas.Contains("cooperationAreas/reload-test");
        if (areas.size() != base + (extra ? 1 : 0)) ++bad;
        (void)store.Status();
        ++reads;
      }
    });
  }
  int ok = 0, failed = 0;
  std::thread reloader(ReloadLoop, &store, catalog, &stop, &ok, &failed);
  std::this_thread::sleep_for(std::chrono::seconds(EnvSeconds("ACCORD_STRESS_SECONDS", 3)));
  stop = true;
  reloader.join();
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad, 0);
  EXPECT_GT(reads, 0);
  EXPECT_GT(ok, 2);
  EXPECT_GT(failed, 0);
  RecordFigure("concurrency/store reads=" + std::to_string(reads.load()) +
               " reloads_ok=" + std::to_string(ok) + " reloads_failed=" + std::to_string(failed));
}

// The request path without the transport: Get, BatchGet and List (with a
// filter and an order) straight through service/api's resource methods,
// from many threads, each on the snapshot it took, while the store
// reloads. This is what scripts/sanitize runs under TSan: the system gRPC
// is not instrumented, so TSan cannot judge calls that go through it.
TEST(ConcurrencyTest, RequestPathFromManyThreadsWhileReloading) {
  TempDir dir;
  std::string catalog = CopyCatalog(dir);
  serving::CatalogStore store(catalog);
  ASSERT_TRUE(store.Reload().ok());
  std::atomic<bool> stop{false};
  std::atomic<int64_t> calls{0}, failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 6; ++t) {
    workers.emplace_back([&, t] {
      google::protobuf::FieldMask all;
      for (int64_t n = 0; !stop; ++n) {
        std::shared_ptr<const serving::ServingCatalog> snapshot = store.Current();
        absl::Status s;
        if ((n + t) % 3 == 0) {
          accord::v1::CooperationArea area;
          s = api::GetResource(*snapshot, catalog::CollectionId::kCooperationAreas,
                               "cooperationAreas/trade", all, &area);
        } else if ((n + t) % 3 == 1) {
          accord::v1::BatchGetCountriesResponse out;
          google::protobuf::RepeatedPtrField<std::string> names;
          *names.Add() = "countries/my";
          *names.Add() = "countries/us";
          s = api::BatchGetResources(*snapshot, catalog::CollectionId::kCountries, "", names, all,
                                     api::AppendTo(out.mutable_countries()));
        } else {
          accord::v1::ListCooperationAreasResponse out;
          api::ListRequest list;
          list.page_size = 1000;
          list.filter = "display_name:\"a\" OR parent = \"cooperationAreas/economic\"";
          list.order_by = "display_name desc";
          std::string next;
          int32_t total = 0;
          s = api::ListResources(*snapshot, catalog::CollectionId::kCooperationAreas, list,
                                 api::AppendTo(out.mutable_cooperation_areas()), &next, &total);
          if (s.ok() && out.cooperation_areas_size() != total) ++failures;
        }
        if (!s.ok()) ++failures;
        ++calls;
      }
    });
  }
  int ok = 0, failed = 0;
  std::thread reloader(ReloadLoop, &store, catalog, &stop, &ok, &failed);
  std::this_thread::sleep_for(std::chrono::seconds(EnvSeconds("ACCORD_STRESS_SECONDS", 3)));
  stop = true;
  reloader.join();
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(calls, 0);
  EXPECT_GT(ok, 2);
  EXPECT_GT(failed, 0);
  RecordFigure("concurrency/request-path calls=" + std::to_string(calls.load()) +
               " reloads_ok=" + std::to_string(ok) + " reloads_failed=" + std::to_string(failed));
}

TEST(ConcurrencyTest, ManyClientsQueryWhileTheCatalogueReloads) {
  TempDir dir;
  std::string catalog = CopyCatalog(dir);
  serving::CatalogStore store(catalog);
  ASSERT_TRUE(store.Reload().ok());
  const int base = static_cast<int>(
      store.Current()->collection(catalog::CollectionId::kCooperationAreas).size());
  api::AccordServiceImpl service(&store);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());

  // A page holds every matching record (page_size 1000), so its size and
  // total_size must agree, and be the count of one of the two catalogues.
  auto consistent = [base](const accord::v1::ListCooperationAreasResponse& r) {
    return r.cooperation_areas_size() == r.total_size() && (r.total_size() <= base + 1);
  };
  std::atomic<bool> stop{false};
  int ok = 0, failed = 0;
  LoadResult result;
  {
    LoadGenerator load(channel, 8, std::chrono::microseconds(0), consistent);
    std::thread reloader(ReloadLoop, &store, catalog, &stop, &ok, &failed);
    std::this_thread::sleep_for(std::chrono::seconds(EnvSeconds("ACCORD_STRESS_SECONDS", 3)));
    stop = true;
    reloader.join();
    result = load.Stop();
  }
  server->Shutdown();
  for (const auto& [k, v] : result.error_kinds) ADD_FAILURE() << v << " x " << k;
  EXPECT_EQ(result.errors, 0);
  EXPECT_EQ(result.inconsistent, 0);
  EXPECT_GT(result.requests, 100);
  EXPECT_GT(ok, 2);
  EXPECT_GT(failed, 0);
  RecordFigure("concurrency/in-process " + result.Summary() + " reloads_ok=" + std::to_string(ok) +
               " reloads_failed=" + std::to_string(failed));
}

}  // namespace
}  // namespace accord::testing
