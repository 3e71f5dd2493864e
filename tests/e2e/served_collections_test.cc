// Every collection of accord.v1.Catalog is served: for each, the running
// server answers its List, Get and BatchGet methods with its records. The
// test reads the collections and methods from the descriptors, not from the
// server's registry, so a collection added to the proto but not wired into
// the server (or a method left UNIMPLEMENTED) fails here.
#include <set>
#include <string>

#include "accord/v1/accord_service.grpc.pb.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace accord::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

std::unique_ptr<Message> New(const Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// Calls `method` with `request` over `channel`; fills `response`.
grpc::Status Call(grpc::Channel* channel, const MethodDescriptor* method, const Message& request,
                  Message* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::string path = "/" + method->service()->full_name() + "/" + method->name();
  grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
  return grpc::internal::BlockingUnaryCall<Message, Message>(channel, rpc, &context, request,
                                                             response);
}

// "cooperation_areas" -> "CooperationAreas".
std::string UpperCamel(const std::string& snake) {
  std::string out;
  bool up = true;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(toupper(c)) : c);
    up = false;
  }
  return out;
}

TEST(ServedCollectionsTest, EveryCatalogCollectionIsServedByItsThreeMethods) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog()})) << server.log();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  const auto* service =
      accord::v1::GetCatalogStatusRequest::descriptor()->file()->FindServiceByName("AccordService");
  ASSERT_NE(service, nullptr);

  std::set<std::string> called;
  const Descriptor* catalog = accord::v1::Catalog::descriptor();
  ASSERT_GT(catalog->field_count(), 0);
  for (int i = 0; i < catalog->field_count(); ++i) {
    const FieldDescriptor* field = catalog->field(i);
    const Descriptor* resource = field->message_type();
    SCOPED_TRACE(field->name());
    const MethodDescriptor* list = service->FindMethodByName("List" + UpperCamel(field->name()));
    const MethodDescriptor* get = service->FindMethodByName("Get" + resource->name());
    const MethodDescriptor* batch =
        service->FindMethodByName("BatchGet" + UpperCamel(field->name()));
    ASSERT_NE(list, nullptr) << "AccordService has no List method for Catalog." << field->name();
    ASSERT_NE(get, nullptr);
    ASSERT_NE(batch, nullptr);

    // List: every record of the bundled catalogue, page after page.
    auto request = New(list->input_type());
    request->GetReflection()->SetInt32(request.get(),
                                       list->input_type()->FindFieldByName("page_size"), 1000);
    auto response = New(list->output_type());
    grpc::Status s = Call(channel.get(), list, *request, response.get());
    ASSERT_TRUE(s.ok()) << list->name() << ": " << s.error_code() << " " << s.error_message();
    called.insert(list->name());
    const FieldDescriptor* items = list->output_type()->FindFieldByName(field->name());
    ASSERT_NE(items, nullptr);
    int n = response->GetReflection()->FieldSize(*response, items);
    int total = response->GetReflection()->GetInt32(
        *response, list->output_type()->FindFieldByName("total_size"));
    EXPECT_EQ(n, std::min(total, 1000));
    ASSERT_GT(n, 0) << "the bundled catalogue has no " << field->name();
    const Message& first = response->GetReflection()->GetRepeatedMessage(*response, items, 0);
    std::string name = first.GetReflection()->GetString(first, resource->FindFieldByName("name"));
    ASSERT_FALSE(name.empty());

    // Get: that record, by name.
    auto get_request = New(get->input_type());
    get_request->GetReflection()->SetString(get_request.get(),
                                            get->input_type()->FindFieldByName("name"), name);
    auto got = New(get->output_type());
    s = Call(channel.get(), get, *get_request, got.get());
    ASSERT_TRUE(s.ok()) << get->name() << ": " << s.error_code() << " " << s.error_message();
    called.insert(get->name());
    EXPECT_EQ(got->SerializeAsString(), first.SerializeAsString());

    // BatchGet: the same record, as a batch of one.
    auto batch_request = New(batch->input_type());
    batch_request->GetReflection()->AddString(batch_request.get(),
                                              batch->input_type()->FindFieldByName("names"), name);
    auto batch_response = New(batch->output_type());
    s = Call(channel.get(), batch, *batch_request, batch_response.get());
    ASSERT_TRUE(s.ok()) << batch->name() << ": " << s.error_code() << " " << s.error_message();
    called.insert(batch->name());
    const FieldDescriptor* batch_items = batch->output_type()->FindFieldByName(field->name());
    ASSERT_NE(batch_items, nullptr);
    ASSERT_EQ(batch_response->GetReflection()->FieldSize(*batch_response, batch_items), 1);
    EXPECT_EQ(batch_response->GetReflection()
                  ->GetRepeatedMessage(*batch_response, batch_items, 0)
                  .SerializeAsString(),
              first.SerializeAsString());
  }

  // Every Get/BatchGet/List method of the service belongs to a collection.
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string& m = service->method(i)->name();
    bool resource_method = m.rfind("List", 0) == 0 || m.rfind("BatchGet", 0) == 0 ||
                           (m.rfind("Get", 0) == 0 && m != "GetCatalogStatus");
    if (resource_method) EXPECT_TRUE(called.count(m)) << m << " serves no Catalog collection";
  }
}

}  // namespace
}  // namespace accord::testing
