package accord.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import accord.v1.Agreement;
import accord.v1.CatalogStatus;
import accord.v1.Assessment;
import accord.v1.Country;
import accord.v1.ListAgreementsRequest;
import accord.v1.ListAgreementsResponse;
import accord.v1.ListAssessmentsRequest;
import accord.v1.ListAssessmentsResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** AccordClient against a real accord_server: results, lazy paging, typed errors, tokens. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccordClientTest {
  private ServerProcess server;
  private ServerProcess authServer;
  private AccordClient client;

  @BeforeAll
  void start() throws Exception {
    server = new ServerProcess();
    authServer = new ServerProcess(
        "--auth_token_file=" + ServerProcess.repoRoot().resolve("tests/conformance/tokens.txt"));
    client = AccordClient.forAddress(server.address());
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
    authServer.close();
  }

  @Test
  void getAgreementReturnsTypedFields() {
    Agreement art = client.getAgreement("agreements/my-us-reciprocal-trade-2025");
    assertEquals("ART", art.getShortTitle());
    assertEquals(Agreement.Kind.TRADE_AGREEMENT, art.getKind());
    assertTrue(art.getLegallyBinding());
    assertEquals(List.of("countries/my", "countries/us"), art.getPartiesList());
    assertEquals(2025, art.getSignDate().getYear());
    assertEquals(10, art.getSignDate().getMonth());
    assertEquals(26, art.getSignDate().getDay());
  }

  @Test
  void readMaskLeavesOtherFieldsUnset() {
    Agreement art = client.getAgreement("agreements/my-us-reciprocal-trade-2025", "name", "short_title");
    assertEquals("ART", art.getShortTitle());
    assertEquals("", art.getTitle());
    assertFalse(art.hasSignDate());
  }

  @Test
  void batchGetKeepsOrderAndDuplicates() {
    List<Country> got = client.batchGetCountries(List.of("countries/us", "countries/my", "countries/us"));
    assertEquals(
        List.of("United States", "Malaysia", "United States"),
        got.stream().map(Country::getDisplayName).toList());
  }

  @Test
  void pagerFetchesLazilyAndWalksToTheEnd() {
    AtomicInteger calls = new AtomicInteger();
    ListAssessmentsRequest request = ListAssessmentsRequest.newBuilder().setPageSize(4).build();
    Pager<ListAssessmentsResponse, Assessment> pager = new Pager<>(
        token -> {
          calls.incrementAndGet();
          return client.stub().listAssessments(request.toBuilder().setPageToken(token).build());
        },
        ListAssessmentsResponse::getAssessmentsList,
        ListAssessmentsResponse::getNextPageToken);
    Iterator<Assessment> it = pager.iterator();
    List<String> first = new ArrayList<>();
    while (first.size() < 4) first.add(it.next().getName());
    assertEquals(1, calls.get(), "one call for the first page");
    while (it.hasNext()) it.next();
    assertEquals(4, calls.get(), "13 assessments in pages of 4: four calls");
    List<String> all = client.listAssessments(request).toList().stream().map(Assessment::getName).toList();
    assertEquals(13, all.size());
    assertEquals(first, all.subList(0, 4));
    assertEquals(all.stream().sorted().toList(), all, "default order is by name");
    assertEquals("assessments/shared-security-challenges", all.get(12));
  }

  @Test
  void pagesCarryTotalSizeAndTheLastTokenIsEmpty() {
    List<ListAgreementsResponse> pages = new ArrayList<>();
    client.listAgreements(ListAgreementsRequest.newBuilder().setPageSize(4).build()).pages().forEach(pages::add);
    assertEquals(2, pages.size());
    assertEquals(6, pages.get(0).getTotalSize());
    assertEquals(4, pages.get(0).getAgreementsCount());
    assertFalse(pages.get(0).getNextPageToken().isEmpty());
    assertEquals(2, pages.get(1).getAgreementsCount());
    assertEquals("", pages.get(1).getNextPageToken());
  }

  @Test
  void badFilterIsInvalidArgumentWithDetails() {
    AccordException e = assertThrows(AccordException.class,
        () -> client.listAgreements(ListAgreementsRequest.newBuilder().setFilter("kind = FRIENDSHIP").build()).toList());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertEquals("accord", e.domain());
    assertEquals("TYPE_MISMATCH", e.reason());
    assertEquals("7", e.metadata().get("offset"));
    assertEquals(1, e.fieldViolations().size());
    assertEquals("filter", e.fieldViolations().get(0).getField());
    assertTrue(e.fieldViolations().get(0).getDescription().contains("FRIENDSHIP"));
  }

  @Test
  void missingRecordIsNotFoundNamingIt() {
    AccordException e = assertThrows(AccordException.class, () -> client.getCountry("countries/zz"));
    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertEquals("RESOURCE_NOT_FOUND", e.reason());
    assertEquals("countries/zz", e.metadata().get("name"));
    assertTrue(e.fieldViolations().isEmpty());
  }

  @Test
  void bearerTokens() {
    try (AccordClient none = AccordClient.forAddress(authServer.address());
        AccordClient wrong = AccordClient.forAddress(authServer.address(), AccordClient.Options.defaults().withToken("wrong"));
        AccordClient right = AccordClient.forAddress(authServer.address(), AccordClient.Options.defaults().withToken("conformance-token"))) {
      AccordException missing = assertThrows(AccordException.class, () -> none.getCountry("countries/my"));
      assertEquals(Status.Code.UNAUTHENTICATED, missing.code());
      assertEquals("TOKEN_MISSING", missing.reason());
      AccordException rejected = assertThrows(AccordException.class, () -> wrong.getCountry("countries/my"));
      // The code (PERMISSION_DENIED, or UNAUTHENTICATED in later servers) is the
      // conformance case auth-server-wrong-token's to check.
      assertTrue(
          rejected.code() == Status.Code.PERMISSION_DENIED || rejected.code() == Status.Code.UNAUTHENTICATED,
          rejected.code().toString());
      assertEquals("TOKEN_REJECTED", rejected.reason());
      assertEquals("authorization", rejected.metadata().get("header"));
      assertEquals("Malaysia", right.getCountry("countries/my").getDisplayName());
    }
  }

  @Test
  void anExpiredDeadlineIsDeadlineExceededAndZeroMeansNone() {
    try (AccordClient hurried = AccordClient.forAddress(
            server.address(), AccordClient.Options.defaults().withTimeout(java.time.Duration.ofNanos(1)));
        AccordClient patient = AccordClient.forAddress(
            server.address(), AccordClient.Options.defaults().withTimeout(java.time.Duration.ZERO))) {
      AccordException e = assertThrows(AccordException.class, () -> hurried.getCountry("countries/my"));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
      assertEquals("", e.reason(), "the client library, not the server, reports it");
      assertEquals("Malaysia", patient.getCountry("countries/my").getDisplayName());
    }
  }

  @Test
  void catalogStatusCountsTheBundledCatalogue() {
    CatalogStatus status = client.getCatalogStatus();
    assertTrue(status.getVersion().matches("[0-9a-f]{16}"), status.getVersion());
    assertEquals("", status.getLastError());
    assertEquals(6L, status.getRecordCountsOrThrow("agreements"));
    assertEquals(13L, status.getRecordCountsOrThrow("assessments"));
  }
}
