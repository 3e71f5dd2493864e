// The conformance runner for the C++ client (tests/conformance/README.md):
// runs every case of the given case files through the generated stub, the
// client library's Pager and ErrorFromStatus, prints PASS/FAIL per case, and
// exits 1 if any case failed.
//
//   accord_conformance DEFAULT_ADDR AUTH_ADDR CASE_FILE.json...
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "accord/client/channel.h"
#include "accord/client/errors.h"
#include "accord/client/pager.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace {

using accord::v1::AccordService;
using google::protobuf::Message;
using google::protobuf::Struct;
using google::protobuf::Value;
using google::protobuf::util::JsonStringToMessage;
using google::protobuf::util::MessageToJsonString;
using Configure = std::function<void(grpc::ClientContext*)>;
using Responses = std::vector<std::unique_ptr<Message>>;

// One RPC: makes its request and response messages, calls it once, or walks
// every page with accord::client::Pager.
struct Method {
  std::function<std::unique_ptr<Message>()> new_request;
  std::function<grpc::Status(AccordService::Stub*, const Configure&, const Message&, Responses*)>
      call;
  std::function<grpc::Status(AccordService::Stub*, const Configure&, const Message&, Responses*)>
      page_all;
};

template <typename Req, typename Resp>
Method MakeMethod(grpc::Status (AccordService::Stub::*rpc)(grpc::ClientContext*, const Req&,
                                                           Resp*)) {
  Method m;
  m.new_request = [] { return std::make_unique<Req>(); };
  m.call = [rpc](AccordService::Stub* stub, const Configure& configure, const Message& req,
                 Responses* out) {
    grpc::ClientContext context;
    configure(&context);
    auto resp = std::make_unique<Resp>();
    grpc::Status s = (stub->*rpc)(&context, static_cast<const Req&>(req), resp.get());
    if (s.ok()) out->push_back(std::move(resp));
    return s;
  };
  return m;
}

template <typename Req, typename Resp>
Method MakeListMethod(grpc::Status (AccordService::Stub::*rpc)(grpc::ClientContext*, const Req&,
                                                               Resp*)) {
  Method m = MakeMethod(rpc);
  m.page_all = [rpc](AccordService::Stub* stub, const Configure& configure, const Message& req,
                     Responses* out) {
    accord::client::Pager<Req, Resp> pager(
        static_cast<const Req&>(req),
        [stub, rpc](grpc::ClientContext* ctx, const Req& r, Resp* resp) {
          return (stub->*rpc)(ctx, r, resp);
        },
        configure);
    Resp page;
    while (pager.Next(&page)) out->push_back(std::make_unique<Resp>(page));
    return pager.status();
  };
  return m;
}

const std::map<std::string, Method>& Methods() {
  using S = AccordService::Stub;
  static const auto* methods = new std::map<std::string, Method>{
      {"GetCountry", MakeMethod(&S::GetCountry)},
      {"BatchGetCountries", MakeMethod(&S::BatchGetCountries)},
      {"ListCountries", MakeListMethod(&S::ListCountries)},
      {"GetPartnership", MakeMethod(&S::GetPartnership)},
      {"BatchGetPartnerships", MakeMethod(&S::BatchGetPartnerships)},
      {"ListPartnerships", MakeListMethod(&S::ListPartnerships)},
      {"GetAgreement", MakeMethod(&S::GetAgreement)},
      {"BatchGetAgreements", MakeMethod(&S::BatchGetAgreements)},
      {"ListAgreements", MakeListMethod(&S::ListAgreements)},
      {"GetCommitment", MakeMethod(&S::GetCommitment)},
      {"BatchGetCommitments", MakeMethod(&S::BatchGetCommitments)},
      {"ListCommitments", MakeListMethod(&S::ListCommitments)},
      {"GetCooperationArea", MakeMethod(&S::GetCooperationArea)},
      {"BatchGetCooperationAreas", MakeMethod(&S::BatchGetCooperationAreas)},
      {"ListCooperationAreas", MakeListMethod(&S::ListCooperationAreas)},
      {"GetSector", MakeMethod(&S::GetSector)},
      {"BatchGetSectors", MakeMethod(&S::BatchGetSectors)},
      {"ListSectors", MakeListMethod(&S::ListSectors)},
      {"GetSource", MakeMethod(&S::GetSource)},
      {"BatchGetSources", MakeMethod(&S::BatchGetSources)},
      {"ListSources", MakeListMethod(&S::ListSources)},
      {"GetAssessment", MakeMethod(&S::GetAssessment)},
      {"BatchGetAssessments", MakeMethod(&S::BatchGetAssessments)},
      {"ListAssessments", MakeListMethod(&S::ListAssessments)},
      {"GetCatalogStatus", MakeMethod(&S::GetCatalogStatus)},
  };
  return *methods;
}

std::string ToJson(const Message& m) {
  std::string out;
  (void)MessageToJsonString(m, &out);
  return out;
}

std::string ToJson(const Value& v) { return ToJson(static_cast<const Message&>(v)); }

// The resources in a response: itself for a Get (it has a `name`), else the
// elements of its repeated message field.
std::vector<const Message*> Resources(const Message& m) {
  const auto* d = m.GetDescriptor();
  if (d->FindFieldByName("name") != nullptr) return {&m};
  std::vector<const Message*> out;
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (f->is_repeated() && f->message_type() != nullptr) {
      const auto* r = m.GetReflection();
      for (int j = 0; j < r->FieldSize(m, f); ++j) out.push_back(&r->GetRepeatedMessage(m, f, j));
      break;
    }
  }
  return out;
}

const Value* Get(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

// Runs one case; returns "" if it passed, else why not.
std::string RunCase(const Struct& c, AccordService::Stub* default_stub,
                    AccordService::Stub* auth_stub) {
  const std::string method_name = Get(c, "method")->string_value();
  auto it = Methods().find(method_name);
  if (it == Methods().end()) return "unknown method " + method_name;
  const Method& method = it->second;
  const Value* server = Get(c, "server");
  AccordService::Stub* stub =
      server != nullptr && server->string_value() == "auth" ? auth_stub : default_stub;
  std::map<std::string, std::string> metadata;
  if (const Value* md = Get(c, "metadata")) {
    for (const auto& [k, v] : md->struct_value().fields()) metadata[k] = v.string_value();
  }
  Configure configure = [&metadata](grpc::ClientContext* ctx) {
    for (const auto& [k, v] : metadata) ctx->AddMetadata(k, v);
  };

  std::unique_ptr<Message> request = method.new_request();
  const Value* req_json = Get(c, "request");
  if (req_json != nullptr && !JsonStringToMessage(ToJson(*req_json), request.get()).ok()) {
    return "request does not parse: " + ToJson(*req_json);
  }
  if (const Value* token_from = Get(c, "token_from")) {
    std::unique_ptr<Message> first = method.new_request();
    if (!JsonStringToMessage(ToJson(*token_from), first.get()).ok()) return "bad token_from";
    Responses firsts;
    grpc::Status s = method.call(stub, configure, *first, &firsts);
    if (!s.ok()) return "token_from call failed: " + accord::client::ErrorFromStatus(s).ToString();
    const auto* tf = firsts[0]->GetDescriptor()->FindFieldByName("next_page_token");
    std::string token = firsts[0]->GetReflection()->GetString(*firsts[0], tf);
    if (token.empty()) return "token_from call returned no next_page_token";
    request->GetReflection()->SetString(
        request.get(), request->GetDescriptor()->FindFieldByName("page_token"), token);
  }

  Responses responses;
  const Value* page_all = Get(c, "page_all");
  grpc::Status status;
  if (page_all != nullptr && page_all->bool_value()) {
    if (!method.page_all) return "page_all on a method that is not a List";
    status = method.page_all(stub, configure, *request, &responses);
  } else {
    status = method.call(stub, configure, *request, &responses);
  }

  const Struct& expect = Get(c, "expect")->struct_value();
  std::ostringstream why;
  if (const Value* want_error = Get(expect, "error")) {
    const Struct& want = want_error->struct_value();
    if (status.ok()) return "succeeded, want " + ToJson(*want_error);
    accord::client::Error e = accord::client::ErrorFromStatus(status);
    if (std::string(accord::client::CodeName(e.code)) != Get(want, "code")->string_value() ||
        e.reason != Get(want, "reason")->string_value() || e.domain != "accord") {
      why << "got " << e.ToString() << " domain " << e.domain << "; ";
    }
    if (const Value* field = Get(want, "field")) {
      if (e.field_violations.empty() || e.field_violations[0].field != field->string_value()) {
        why << "field violation "
            << (e.field_violations.empty() ? "none" : e.field_violations[0].field) << ", want "
            << field->string_value() << "; ";
      }
    } else if (!e.field_violations.empty()) {
      why << "unexpected field violation " << e.field_violations[0].field << "; ";
    }
    if (const Value* md = Get(want, "metadata")) {
      for (const auto& [k, v] : md->struct_value().fields()) {
        if (e.metadata[k] != v.string_value()) {
          why << "metadata[" << k << "]=" << e.metadata[k] << ", want " << v.string_value() << "; ";
        }
      }
    }
    return why.str();
  }
  if (!status.ok()) return "failed: " + accord::client::ErrorFromStatus(status).ToString();

  std::vector<std::string> names;
  std::map<std::string, Struct> by_name;
  for (const auto& resp : responses) {
    for (const Message* r : Resources(*resp)) {
      Struct json;
      if (!JsonStringToMessage(ToJson(*r), &json).ok()) return "response JSON does not parse";
      std::string name = Get(json, "name") ? Get(json, "name")->string_value() : "";
      names.push_back(name);
      by_name[name] = json;
    }
  }
  std::vector<std::string> want_names;
  for (const Value& v : Get(expect, "names")->list_value().values()) {
    want_names.push_back(v.string_value());
  }
  if (names != want_names) {
    why << "names [";
    for (const auto& n : names) why << n << " ";
    why << "]; ";
  }
  if (const Value* total = Get(expect, "total_size")) {
    const auto* f = responses[0]->GetDescriptor()->FindFieldByName("total_size");
    int got = responses[0]->GetReflection()->GetInt32(*responses[0], f);
    if (got != static_cast<int>(total->number_value())) why << "total_size " << got << "; ";
  }
  if (const Value* pages = Get(expect, "pages")) {
    if (static_cast<int>(responses.size()) != static_cast<int>(pages->number_value())) {
      why << responses.size() << " pages; ";
    }
  }
  if (const Value* fields = Get(expect, "fields")) {
    for (const auto& [name, subset] : fields->struct_value().fields()) {
      if (by_name.count(name) == 0) {
        why << name << " not returned; ";
        continue;
      }
      for (const auto& [key, want] : subset.struct_value().fields()) {
        const Value* got = Get(by_name[name], key);
        if (got == nullptr || !google::protobuf::util::MessageDifferencer::Equals(*got, want)) {
          why << name << "." << key << " = " << (got ? ToJson(*got) : "absent") << ", want "
              << ToJson(want) << "; ";
        }
      }
    }
  }
  if (const Value* absent = Get(expect, "absent")) {
    for (const auto& [name, keys] : absent->struct_value().fields()) {
      if (by_name.count(name) == 0) {
        why << name << " not returned; ";
        continue;
      }
      for (const Value& key : keys.list_value().values()) {
        if (Get(by_name[name], key.string_value()) != nullptr) {
          why << name << "." << key.string_value() << " present; ";
        }
      }
    }
  }
  return why.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: accord_conformance DEFAULT_ADDR AUTH_ADDR CASE_FILE.json...\n";
    return 2;
  }
  auto default_stub = accord::client::MakeStub(argv[1]);
  auto auth_stub = accord::client::MakeStub(argv[2]);
  if (!default_stub.ok() || !auth_stub.ok()) return 2;
  int passed = 0, failed = 0;
  for (int i = 3; i < argc; ++i) {
    std::ifstream in(argv[i]);
    std::stringstream text;
    text << in.rdbuf();
    Struct file;
    if (!in || !JsonStringToMessage(text.str(), &file).ok()) {
      std::cerr << "cannot read " << argv[i] << "\n";
      return 2;
    }
    for (const Value& v : Get(file, "cases")->list_value().values()) {
      const Struct& c = v.struct_value();
      std::string why = RunCase(c, default_stub->get(), auth_stub->get());
      const std::string& name = Get(c, "name")->string_value();
      if (why.empty()) {
        ++passed;
        std::cout << "PASS " << name << "\n";
      } else {
        ++failed;
        std::cout << "FAIL " << name << ": " << why << "\n";
      }
    }
  }
  std::cout << "C++ conformance: " << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
