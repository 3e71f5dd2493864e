package accord.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pager and AccordException without a server. */
class PagerAndErrorsTest {
  private record Page(List<Integer> items, String next) {}

  private static final Map<String, Page> PAGES =
      Map.of("", new Page(List.of(1, 2), "a"), "a", new Page(List.of(3, 4), "b"), "b", new Page(List.of(5), ""));

  @Test
  void pagerSendsEachTokenAndStopsAtAnEmptyOne() {
    List<String> asked = new ArrayList<>();
    Pager<Page, Integer> pager = new Pager<>(
        token -> {
          asked.add(token);
          return PAGES.get(token);
        },
        Page::items,
        Page::next);
    assertEquals(List.of(1, 2, 3, 4, 5), pager.toList());
    assertEquals(List.of("", "a", "b"), asked);
    assertEquals(List.of(3, 4, 5), new Pager<>(PAGES::get, Page::items, Page::next, "a").toList());
  }

  @Test
  void aFailingPageIsThrownAsAccordExceptionAfterThePagesBeforeIt() {
    Pager<Page, Integer> pager = new Pager<>(
        token -> {
          if (token.equals("b")) throw Status.FAILED_PRECONDITION.withDescription("changed").asRuntimeException();
          return PAGES.get(token);
        },
        Page::items,
        Page::next);
    List<Integer> seen = new ArrayList<>();
    AccordException e = assertThrows(AccordException.class, () -> pager.forEach(seen::add));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
    assertEquals(List.of(1, 2, 3, 4), seen);
  }

  @Test
  void accordExceptionDecodesErrorInfoAndBadRequest() {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE)
        .setMessage("offset 7: bad")
        .addDetails(Any.pack(ErrorInfo.newBuilder()
            .setReason("TYPE_MISMATCH").setDomain("accord").putMetadata("offset", "7").build()))
        .addDetails(Any.pack(BadRequest.newBuilder()
            .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("filter").setDescription("offset 7: bad"))
            .build()))
        .build();
    StatusRuntimeException thrown = StatusProto.toStatusRuntimeException(status);
    AccordException e = AccordException.from(thrown);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertEquals("TYPE_MISMATCH", e.reason());
    assertEquals("accord", e.domain());
    assertEquals(Map.of("offset", "7"), e.metadata());
    assertEquals(1, e.fieldViolations().size());
    assertEquals("filter", e.fieldViolations().get(0).getField());
    assertEquals(thrown, e.getCause());
  }

  @Test
  void withoutDetailsOnlyTheCodeIsKnown() {
    AccordException e = AccordException.from(Status.NOT_FOUND.withDescription("gone").asRuntimeException());
    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertEquals("", e.reason());
    assertTrue(e.fieldViolations().isEmpty());
    assertTrue(e.getMessage().contains("gone"));
  }
}
