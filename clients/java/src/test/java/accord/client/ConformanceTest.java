package accord.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import accord.v1.AccordServiceGrpc;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The Java runner of the conformance suite (tests/conformance/README.md): every case of
 * tests/conformance/cases/*.json through the generated grpc-java method descriptors, the {@link
 * Pager} and {@link AccordException}, against real servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {
  private final List<ServerProcess> started = new ArrayList<>();
  private final Map<String, ManagedChannel> channels = new HashMap<>();

  @BeforeAll
  void startServers() throws Exception {
    String plain = System.getenv("ACCORD_CONFORMANCE_ADDR");
    String auth = System.getenv("ACCORD_CONFORMANCE_AUTH_ADDR");
    if (plain == null) {
      started.add(new ServerProcess());
      plain = started.get(started.size() - 1).address();
    }
    if (auth == null) {
      started.add(new ServerProcess(
          "--auth_token_file=" + ServerProcess.repoRoot().resolve("tests/conformance/tokens.txt")));
      auth = started.get(started.size() - 1).address();
    }
    channels.put("default", ManagedChannelBuilder.forTarget(plain).usePlaintext().build());
    channels.put("auth", ManagedChannelBuilder.forTarget(auth).usePlaintext().build());
  }

  @AfterAll
  void stopServers() throws Exception {
    for (ManagedChannel c : channels.values()) c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    for (ServerProcess s : started) s.close();
  }

  static List<JsonObject> loadCases() throws IOException {
    Path dir = ServerProcess.repoRoot().resolve("tests/conformance/cases");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    List<JsonObject> cases = new ArrayList<>();
    for (Path f : files) {
      JsonObject root = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
      root.getAsJsonArray("cases").forEach(c -> cases.add(c.getAsJsonObject()));
    }
    return cases;
  }

  @Test
  void suiteHasUniqueCaseNames() throws IOException {
    List<String> names = loadCases().stream().map(c -> c.get("name").getAsString()).toList();
    assertTrue(names.size() > 100, "cases: " + names.size());
    assertEquals(names.size(), new HashSet<>(names).size());
  }

  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    return loadCases().stream()
        .map(c -> {
          String name = c.get("name").getAsString();
          return DynamicTest.dynamicTest(name, () -> {
            try {
              run(c);
            } catch (AssertionError e) {
              throw new AssertionError("case " + name + ": " + e.getMessage(), e);
            }
          });
        });
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Message, Message> method(String name) {
    for (MethodDescriptor<?, ?> m : AccordServiceGrpc.getServiceDescriptor().getMethods()) {
      if (name.equals(m.getBareMethodName())) return (MethodDescriptor<Message, Message>) m;
    }
    throw new AssertionError("no method " + name);
  }

  private static Message parse(MethodDescriptor<Message, Message> m, JsonElement json, String token)
      throws IOException {
    Message prototype =
        ((MethodDescriptor.PrototypeMarshaller<Message>) m.getRequestMarshaller()).getMessagePrototype();
    Message.Builder b = prototype.newBuilderForType();
    JsonFormat.parser().merge(json.toString(), b);
    if (!token.isEmpty()) b.setField(b.getDescriptorForType().findFieldByName("page_token"), token);
    return b.build();
  }

  /** Get: [it]; BatchGet/List: the response's repeated message field. */
  @SuppressWarnings("unchecked")
  private static List<Message> resources(String method, Message response) {
    if (method.startsWith("Get")) return List.of(response);
    for (FieldDescriptor f : response.getDescriptorForType().getFields()) {
      if (f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        return (List<Message>) response.getField(f);
      }
    }
    throw new AssertionError(method + ": no repeated message field");
  }

  private static String stringField(Message m, String name) {
    return (String) m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  private void run(JsonObject c) throws Exception {
    String methodName = c.get("method").getAsString();
    JsonObject want = c.getAsJsonObject("expect");
    assertNotEquals(want.has("names"), want.has("error"), "expect holds one of names/error");
    MethodDescriptor<Message, Message> m = method(methodName);
    String server = c.has("server") ? c.get("server").getAsString() : "default";
    Metadata headers = new Metadata();
    if (c.has("metadata")) {
      for (Map.Entry<String, JsonElement> e : c.getAsJsonObject("metadata").entrySet()) {
        headers.put(Metadata.Key.of(e.getKey(), Metadata.ASCII_STRING_MARSHALLER), e.getValue().getAsString());
      }
    }
    var channel = io.grpc.ClientInterceptors.intercept(
        channels.get(server), MetadataUtils.newAttachHeadersInterceptor(headers));
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);

    String firstToken = "";
    if (c.has("token_from")) {
      Message from = ClientCalls.blockingUnaryCall(channel, m, options, parse(m, c.get("token_from"), ""));
      firstToken = stringField(from, "next_page_token");
      assertFalse(firstToken.isEmpty(), "token_from gave no next_page_token");
    }
    JsonElement request = c.get("request");
    boolean pageAll = c.has("page_all") && c.get("page_all").getAsBoolean();

    List<Message> items = new ArrayList<>();
    List<Message> responses = new ArrayList<>();
    try {
      if (methodName.startsWith("List")) {
        Pager<Message, Message> pager = new Pager<>(
            token -> {
              try {
                return ClientCalls.blockingUnaryCall(channel, m, options, parse(m, request, token));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            },
            r -> resources(methodName, r),
            r -> stringField(r, "next_page_token"),
            firstToken);
        for (Message page : pager.pages()) {
          responses.add(page);
          items.addAll(resources(methodName, page));
          if (!pageAll) break;
          assertTrue(responses.size() < 1000, "paging does not end");
        }
      } else {
        Message response;
        try {
          response = ClientCalls.blockingUnaryCall(channel, m, options, parse(m, request, ""));
        } catch (StatusRuntimeException e) {
          throw AccordException.from(e);
        }
        responses.add(response);
        items.addAll(resources(methodName, response));
      }
    } catch (AccordException e) {
      if (!want.has("error")) fail("unexpected " + e.getMessage() + " " + e.reason());
      JsonObject err = want.getAsJsonObject("error");
      assertEquals(err.get("code").getAsString(), e.code().name());
      assertEquals("accord", e.domain());
      assertEquals(err.get("reason").getAsString(), e.reason());
      if (err.has("metadata")) {
        for (Map.Entry<String, JsonElement> md : err.getAsJsonObject("metadata").entrySet()) {
          assertEquals(md.getValue().getAsString(), e.metadata().get(md.getKey()), "metadata " + md.getKey());
        }
      }
      List<String> fields = e.fieldViolations().stream().map(v -> v.getField()).toList();
      assertEquals(err.has("field") ? List.of(err.get("field").getAsString()) : List.of(), fields);
      return;
    }
    assertNull(want.get("error"), "expected an error, the call succeeded");

    JsonFormat.Printer printer = JsonFormat.printer();
    List<JsonObject> json = new ArrayList<>();
    for (Message item : items) json.add(JsonParser.parseString(printer.print(item)).getAsJsonObject());
    List<String> names = json.stream().map(j -> j.has("name") ? j.get("name").getAsString() : "").toList();
    List<String> wantNames = new ArrayList<>();
    want.getAsJsonArray("names").forEach(n -> wantNames.add(n.getAsString()));
    assertEquals(wantNames, names);
    if (want.has("total_size")) {
      Message first = responses.get(0);
      assertEquals(want.get("total_size").getAsInt(),
          first.getField(first.getDescriptorForType().findFieldByName("total_size")));
    }
    if (want.has("pages")) assertEquals(want.get("pages").getAsInt(), responses.size());
    Map<String, JsonObject> byName = new HashMap<>();
    for (JsonObject j : json) byName.put(j.has("name") ? j.get("name").getAsString() : "", j);
    if (want.has("fields")) {
      for (Map.Entry<String, JsonElement> e : want.getAsJsonObject("fields").entrySet()) {
        JsonObject got = byName.get(e.getKey());
        assertNotNull(got, "no " + e.getKey());
        for (Map.Entry<String, JsonElement> f : e.getValue().getAsJsonObject().entrySet()) {
          assertEquals(f.getValue(), got.get(f.getKey()), e.getKey() + " " + f.getKey());
        }
      }
    }
    if (want.has("absent")) {
      for (Map.Entry<String, JsonElement> e : want.getAsJsonObject("absent").entrySet()) {
        JsonObject got = byName.get(e.getKey());
        assertNotNull(got, "no " + e.getKey());
        e.getValue().getAsJsonArray().forEach(k -> assertFalse(got.has(k.getAsString()), e.getKey() + " has " + k));
      }
    }
  }
}
