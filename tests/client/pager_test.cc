#include "accord/client/pager.h"

#include <string>
#include <vector>

#include "accord/v1/accord_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::client {
namespace {

using ::testing::ElementsAre;
using Request = accord::v1::ListCountriesRequest;
using Response = accord::v1::ListCountriesResponse;

// A fake List over `names`, `page_size` per page, tokens "1", "2", ...;
// records the page_token of every call.
struct FakeList {
  std::vector<std::string> names;
  int page_size;
  std::vector<std::string> tokens_seen;
  int fail_at_call = -1;

  grpc::Status operator()(grpc::ClientContext*, const Request& request, Response* response) {
    tokens_seen.push_back(request.page_token());
    if (static_cast<int>(tokens_seen.size()) - 1 == fail_at_call) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
    }
    size_t start = request.page_token().empty() ? 0 : std::stoul(request.page_token());
    response->Clear();
    for (size_t i = start; i < names.size() && i < start + page_size; ++i) {
      response->add_countries()->set_name(names[i]);
    }
    if (start + page_size < names.size()) {
      response->set_next_page_token(std::to_string(start + page_size));
    }
    return grpc::Status::OK;
  }
};

std::vector<std::string> Walk(Pager<Request, Response>& pager) {
  std::vector<std::string> names;
  Response page;
  while (pager.Next(&page)) {
    for (const auto& c : page.countries()) names.push_back(c.name());
  }
  return names;
}

TEST(Pager, WalksEveryPageUntilTheTokenIsEmpty) {
  FakeList fake{{"countries/cn", "countries/my", "countries/us"}, 2, {}};
  Request request;
  request.set_filter("x");
  Pager<Request, Response> pager(request, std::ref(fake));
  EXPECT_THAT(Walk(pager), ElementsAre("countries/cn", "countries/my", "countries/us"));
  EXPECT_TRUE(pager.status().ok());
  EXPECT_EQ(pager.pages(), 2);
  EXPECT_THAT(fake.tokens_seen, ElementsAre("", "2"));
  Response page;
  EXPECT_FALSE(pager.Next(&page));  // done: no further call
  EXPECT_EQ(fake.tokens_seen.size(), 2u);
}

TEST(Pager, StopsAtTheFirstFailedCall) {
  FakeList fake{{"countries/cn", "countries/my", "countries/us"}, 1, {}, 1};
  Pager<Request, Response> pager(Request(), std::ref(fake));
  EXPECT_THAT(Walk(pager), ElementsAre("countries/cn"));
  EXPECT_EQ(pager.status().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(pager.pages(), 1);
}

TEST(Pager, ConfiguresEveryContext) {
  FakeList fake{{"countries/cn", "countries/my"}, 1, {}};
  int configured = 0;
  Pager<Request, Response> pager(Request(), std::ref(fake),
                                 [&](grpc::ClientContext*) { ++configured; });
  EXPECT_THAT(Walk(pager), ElementsAre("countries/cn", "countries/my"));
  EXPECT_EQ(configured, 2);
}

}  // namespace
}  // namespace accord::client
