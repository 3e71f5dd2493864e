#include "service/api/watch_plan.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/errors.h"
#include "service/serving/catalog_store.h"
#include "service/watch/resume_token.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::api {
namespace {

using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

// A change log fed by a store over a small catalogue.
struct Fixture {
  Fixture() {
    dir.Write("a.textproto", kValidCatalog);
    dir.Write("texts/article.txt", kValidText);
    dir.Write("b.textproto", "sectors { name: \"sectors/mining\" display_name: \"Mining\" }\n");
    serving::CatalogStore::Options options;
    options.on_swap = [this](std::shared_ptr<const serving::ServingCatalog> next) {
      log.Append(std::move(next));
    };
    store = std::make_unique<serving::CatalogStore>(dir.path(), options);
    EXPECT_TRUE(store->Reload().ok());
  }
  void Reload(const std::string& display) {
    dir.Write("b.textproto",
              "sectors { name: \"sectors/mining\" display_name: \"" + display + "\" }\n");
    ASSERT_TRUE(store->Reload().ok());
  }
  TempCatalogDir dir;
  watch::ChangeLog log{watch::ChangeLog::Options{2, size_t{1} << 20}};
  std::unique_ptr<serving::CatalogStore> store;
};

v1::WatchRequest Request(const std::string& collection, const std::string& filter = "") {
  v1::WatchRequest r;
  r.set_collection(collection);
  r.set_filter(filter);
  return r;
}

std::string Reason(const absl::Status& status) {
  return std::string(status.GetPayload(kReasonPayload).value_or(absl::Cord()));
}

TEST(WatchPlanTest, ASnapshotOfOneCollectionOrOfAll) {
  Fixture f;
  absl::StatusOr<WatchPlan> plan = PlanWatch(Request("sectors"), f.log);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->snapshot);
  EXPECT_FALSE(plan->from_token);
  EXPECT_EQ(plan->collections.size(), 1u);
  EXPECT_EQ(plan->heartbeat, absl::Seconds(30));
  EXPECT_EQ(plan->version, f.store->Current()->version());
  plan = PlanWatch(Request("-"), f.log);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->collections.size(), static_cast<size_t>(registry::kCollectionCount));
}

TEST(WatchPlanTest, BadRequestsNameTheirReason) {
  Fixture f;
  EXPECT_EQ(Reason(PlanWatch(Request("treaties"), f.log).status()), "INVALID_COLLECTION");
  EXPECT_EQ(Reason(PlanWatch(Request("-", "display_name = \"x\""), f.log).status()),
            "FILTER_NEEDS_ONE_COLLECTION");
  EXPECT_EQ(PlanWatch(Request("sectors", "colour = 1"), f.log).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status computed =
      PlanWatch(Request("agreements", "commitments.committed_by = \"countries/my\""), f.log)
          .status();
  EXPECT_EQ(Reason(computed), "FILTER_FIELD_NOT_WATCHABLE");
  EXPECT_THAT(computed.message(), HasSubstr("commitments.committed_by"));
  v1::WatchRequest r = Request("sectors");
  r.mutable_heartbeat_interval()->set_seconds(601);
  EXPECT_EQ(Reason(PlanWatch(r, f.log).status()), "INVALID_HEARTBEAT_INTERVAL");
  r.mutable_heartbeat_interval()->set_seconds(600);
  ASSERT_TRUE(PlanWatch(r, f.log).ok());
  EXPECT_EQ(PlanWatch(r, f.log)->heartbeat, absl::Seconds(600));
}

TEST(WatchPlanTest, AFilterOnAnAliasIsWatchable) {
  Fixture f;
  EXPECT_TRUE(PlanWatch(Request("agreements", "signed >= \"2020\""), f.log).ok());
}

TEST(WatchPlanTest, TokensResumeWithinTheLogAndExpireAfterIt) {
  Fixture f;
  watch::ResumePosition p{f.log.lineage(), 1, 0, f.store->Current()->version(),
                          watch::WatchRequestHash("sectors", "")};
  v1::WatchRequest r = Request("sectors");
  r.set_resume_token(watch::EncodeResumeToken(p));
  absl::StatusOr<WatchPlan> plan = PlanWatch(r, f.log);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->from_token);
  EXPECT_FALSE(plan->snapshot);
  EXPECT_EQ(plan->seq, 1u);

  // Another filter: not this token's.
  r.set_filter("display_name = \"Mining\"");
  EXPECT_EQ(Reason(PlanWatch(r, f.log).status()), "INVALID_RESUME_TOKEN");
  r.set_filter("");
  // Ahead of the log.
  p.seq = 9;
  r.set_resume_token(watch::EncodeResumeToken(p));
  EXPECT_EQ(Reason(PlanWatch(r, f.log).status()), "INVALID_RESUME_TOKEN");

  // Three reloads in a log of two versions: seq 1 is gone.
  for (const char* d : {"A", "B", "C"}) f.Reload(d);
  p.seq = 1;
  r.set_resume_token(watch::EncodeResumeToken(p));
  absl::Status expired = PlanWatch(r, f.log).status();
  EXPECT_EQ(expired.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(expired), "RESUME_TOKEN_EXPIRED");
  p.seq = f.log.oldest_cursor();
  r.set_resume_token(watch::EncodeResumeToken(p));
  EXPECT_TRUE(PlanWatch(r, f.log).ok());
}

TEST(WatchPlanTest, ATokenOfAnotherServerResumesOnlyAtTheSameVersion) {
  Fixture f;
  watch::ResumePosition p{f.log.lineage() + 1, 7, 0, f.store->Current()->version(),
                          watch::WatchRequestHash("sectors", "")};
  v1::WatchRequest r = Request("sectors");
  r.set_resume_token(watch::EncodeResumeToken(p));
  absl::StatusOr<WatchPlan> plan = PlanWatch(r, f.log);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->seq, f.log.head().seq);
  p.version = "0000000000000000";
  r.set_resume_token(watch::EncodeResumeToken(p));
  EXPECT_EQ(Reason(PlanWatch(r, f.log).status()), "RESUME_TOKEN_EXPIRED");
  p.version = f.store->Current()->version();
  p.index = 3;  // within a version this server may not have
  r.set_resume_token(watch::EncodeResumeToken(p));
  EXPECT_EQ(Reason(PlanWatch(r, f.log).status()), "RESUME_TOKEN_EXPIRED");
}

}  // namespace
}  // namespace accord::api
