#include "service/api/read_mask.h"

#include "accord/v1/agreement.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/errors.h"

namespace accord::api {
namespace {

using ::testing::HasSubstr;

accord::v1::Agreement Sample() {
  accord::v1::Agreement a;
  a.set_name("agreements/pact");
  a.set_title("A Pact");
  a.add_parties("countries/my");
  a.mutable_sign_date()->set_year(2025);
  a.mutable_sign_date()->set_month(10);
  a.add_events()->set_type(accord::v1::Agreement::Event::SIGNED);
  return a;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

TEST(ReadMaskTest, EmptyAndStarSelectEverything) {
  for (const auto& mask : {Mask({}), Mask({"*"}), Mask({"name", "*"})}) {
    auto parsed = ReadMask::Parse(mask, accord::v1::Agreement::descriptor());
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->all());
    auto a = Sample();
    parsed->Apply(&a);
    EXPECT_EQ(a.SerializeAsString(), Sample().SerializeAsString());
  }
}

TEST(ReadMaskTest, KeepsOnlySelectedFields) {
  auto parsed =
      ReadMask::Parse(Mask({"name", "sign_date.year"}), accord::v1::Agreement::descriptor());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto a = Sample();
  parsed->Apply(&a);
  EXPECT_EQ(a.name(), "agreements/pact");
  EXPECT_EQ(a.title(), "");
  EXPECT_EQ(a.parties_size(), 0);
  EXPECT_EQ(a.events_size(), 0);
  EXPECT_EQ(a.sign_date().year(), 2025);
  EXPECT_EQ(a.sign_date().month(), 0);
}

TEST(ReadMaskTest, UnknownPathIsInvalidArgumentNamingIt) {
  auto parsed = ReadMask::Parse(Mask({"name", "titel"}), accord::v1::Agreement::descriptor());
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("\"titel\" is not a field of accord.v1.Agreement"));
  EXPECT_EQ(std::string(*parsed.status().GetPayload(kReasonPayload)), "INVALID_READ_MASK");
  EXPECT_EQ(std::string(*parsed.status().GetPayload(kFieldPayload)), "read_mask.paths[1]");
}

}  // namespace
}  // namespace accord::api

namespace accord::api {
namespace {

TEST(ReadMaskTest, PathThroughRepeatedFieldSaysSo) {
  auto parsed = ReadMask::Parse(Mask({"events.type"}), accord::v1::Agreement::descriptor());
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("\"events\" is repeated, and a read_mask cannot select fields inside a "
                        "repeated field"));
}

TEST(ReadMaskTest, UnknownNestedFieldNamesItsMessage) {
  auto parsed = ReadMask::Parse(Mask({"sign_date.season"}), accord::v1::Agreement::descriptor());
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("\"season\" is not a field of accord.v1.Date"));
}

}  // namespace
}  // namespace accord::api

namespace accord::api {
namespace {

TEST(ReadMaskTest, MalformedPathsAreRejected) {
  for (const char* path : {"", ".name", "name.", "sign_date..year"}) {
    auto parsed = ReadMask::Parse(Mask({"name", path}), accord::v1::Agreement::descriptor());
    ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << "\"" << path << "\"";
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("is malformed"));
    EXPECT_EQ(std::string(*parsed.status().GetPayload(kFieldPayload)), "read_mask.paths[1]");
  }
}

}  // namespace
}  // namespace accord::api

namespace accord::api {
namespace {

TEST(ReadMaskTest, CopySelectedEqualsCopyThenTrim) {
  for (const auto& mask : {Mask({}), Mask({"*"}), Mask({"name", "sign_date.year"}),
                           Mask({"events", "parties"}), Mask({"sign_date"})}) {
    auto parsed = ReadMask::Parse(mask, accord::v1::Agreement::descriptor());
    ASSERT_TRUE(parsed.ok());
    accord::v1::Agreement trimmed = Sample();
    parsed->Apply(&trimmed);
    accord::v1::Agreement copied;
    parsed->CopySelected(Sample(), &copied);
    EXPECT_EQ(copied.SerializeAsString(), trimmed.SerializeAsString()) << mask.DebugString();
  }
}

// AIP-157: a partial response is the resource with the unselected fields
// left out. A nested path into a field the record does not have selects
// nothing: the field stays unset, as in the full record (an agreement with
// no signing date does not gain an empty one).
TEST(ReadMaskTest, NestedPathIntoAnAbsentFieldLeavesItUnset) {
  accord::v1::Agreement undated = Sample();
  undated.clear_sign_date();
  for (const auto& mask : {Mask({"sign_date.year"}), Mask({"name", "sign_date.year"}),
                           Mask({"sign_date.year", "sign_date.month"})}) {
    auto parsed = ReadMask::Parse(mask, accord::v1::Agreement::descriptor());
    ASSERT_TRUE(parsed.ok());
    accord::v1::Agreement copied;
    parsed->CopySelected(undated, &copied);
    EXPECT_FALSE(copied.has_sign_date()) << mask.DebugString();
    accord::v1::Agreement trimmed = undated;
    parsed->Apply(&trimmed);
    EXPECT_FALSE(trimmed.has_sign_date());
    EXPECT_EQ(copied.SerializeAsString(), trimmed.SerializeAsString()) << mask.DebugString();
  }
  // A record that has the field keeps the selected part of it.
  auto parsed = ReadMask::Parse(Mask({"sign_date.year"}), accord::v1::Agreement::descriptor());
  ASSERT_TRUE(parsed.ok());
  accord::v1::Agreement copied;
  parsed->CopySelected(Sample(), &copied);
  ASSERT_TRUE(copied.has_sign_date());
  EXPECT_EQ(copied.sign_date().year(), 2025);
  EXPECT_EQ(copied.sign_date().month(), 0);
}

}  // namespace
}  // namespace accord::api
