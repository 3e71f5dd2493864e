// The registry agrees with accord.v1.Catalog and AccordService, and derives
// the names every other part of the server uses.
#include "service/registry/registry.h"

#include <set>

#include "accord/v1/catalog.pb.h"
#include "gtest/gtest.h"

namespace accord::registry {
namespace {

TEST(RegistryTest, AgreesWithTheDescriptors) {
  absl::Status s = Check();
  EXPECT_TRUE(s.ok()) << s;
}

TEST(RegistryTest, EveryCatalogFieldIsACollectionByName) {
  const auto* catalog = accord::v1::Catalog::descriptor();
  std::set<std::string> registered;
  for (const Collection& c : All()) registered.insert(c.catalog_field->name());
  ASSERT_EQ(static_cast<int>(All().size()), kCollectionCount);
  for (int i = 0; i < catalog->field_count(); ++i) {
    EXPECT_TRUE(registered.count(catalog->field(i)->name()))
        << "accord.v1.Catalog." << catalog->field(i)->name()
        << " has no entry in service/registry/registry.cc";
  }
  EXPECT_EQ(static_cast<int>(registered.size()), catalog->field_count());
}

TEST(RegistryTest, DerivesNamesFromTheDescriptors) {
  const Collection& areas = Get(CollectionId::kCooperationAreas);
  EXPECT_EQ(areas.collection_id, "cooperationAreas");
  EXPECT_EQ(areas.singular, "cooperation_area");
  EXPECT_EQ(areas.message->full_name(), "accord.v1.CooperationArea");
  EXPECT_EQ(areas.name_field->name(), "name");
  EXPECT_EQ(areas.get_method, "GetCooperationArea");
  EXPECT_EQ(areas.batch_get_method, "BatchGetCooperationAreas");
  EXPECT_EQ(areas.list_method, "ListCooperationAreas");
  EXPECT_EQ(areas.response_field, "cooperation_areas");
  EXPECT_FALSE(areas.parent.has_value());

  const Collection& commitments = Get(CollectionId::kCommitments);
  ASSERT_TRUE(commitments.parent.has_value());
  EXPECT_EQ(*commitments.parent, CollectionId::kAgreements);
  ASSERT_NE(commitments.parent_field, nullptr);
  EXPECT_EQ(commitments.parent_field->name(), "agreement");
  EXPECT_EQ(Get(CollectionId::kCountries).id_rule, IdRule::kIsoAlpha2);
}

TEST(RegistryTest, IdsAreInOrderAndFindable) {
  for (CollectionId id : kAllCollections) {
    const Collection& c = Get(id);
    EXPECT_EQ(c.id, id);
    EXPECT_EQ(FindByCollectionId(c.collection_id), &c);
  }
  EXPECT_EQ(FindByCollectionId("widgets"), nullptr);
}

}  // namespace
}  // namespace accord::registry
