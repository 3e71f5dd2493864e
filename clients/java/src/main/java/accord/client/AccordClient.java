package accord.client;

import accord.v1.AccordServiceGrpc;
import accord.v1.CatalogStatus;
import accord.v1.GetCatalogStatusRequest;
import com.google.protobuf.FieldMask;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import accord.v1.Country;
import accord.v1.GetCountryRequest;
import accord.v1.BatchGetCountriesRequest;
import accord.v1.ListCountriesRequest;
import accord.v1.ListCountriesResponse;
import accord.v1.Partnership;
import accord.v1.GetPartnershipRequest;
import accord.v1.BatchGetPartnershipsRequest;
import accord.v1.ListPartnershipsRequest;
import accord.v1.ListPartnershipsResponse;
import accord.v1.Agreement;
import accord.v1.GetAgreementRequest;
import accord.v1.BatchGetAgreementsRequest;
import accord.v1.ListAgreementsRequest;
import accord.v1.ListAgreementsResponse;
import accord.v1.Commitment;
import accord.v1.GetCommitmentRequest;
import accord.v1.BatchGetCommitmentsRequest;
import accord.v1.ListCommitmentsRequest;
import accord.v1.ListCommitmentsResponse;
import accord.v1.CooperationArea;
import accord.v1.GetCooperationAreaRequest;
import accord.v1.BatchGetCooperationAreasRequest;
import accord.v1.ListCooperationAreasRequest;
import accord.v1.ListCooperationAreasResponse;
import accord.v1.Sector;
import accord.v1.GetSectorRequest;
import accord.v1.BatchGetSectorsRequest;
import accord.v1.ListSectorsRequest;
import accord.v1.ListSectorsResponse;
import accord.v1.Source;
import accord.v1.GetSourceRequest;
import accord.v1.BatchGetSourcesRequest;
import accord.v1.ListSourcesRequest;
import accord.v1.ListSourcesResponse;
import accord.v1.Assessment;
import accord.v1.GetAssessmentRequest;
import accord.v1.BatchGetAssessmentsRequest;
import accord.v1.ListAssessmentsRequest;
import accord.v1.ListAssessmentsResponse;

/**
 * A thin client of {@code accord.v1.AccordService} over the generated grpc-java blocking stub.
 *
 * <p>For each collection it has {@code get<X>(name, readMask...)}, {@code batchGet<X>(names)} and
 * {@code list<X>(request)}; a list returns a {@link Pager} that fetches pages lazily as it is
 * iterated. Every failed call throws {@link AccordException} with the decoded ErrorInfo and
 * BadRequest. {@link #stub()} is the generated stub (with the token and deadline applied) for
 * anything else. Thread-safe; close it to shut its channel down.
 */
public final class AccordClient implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel ownedChannel;
  private final Channel channel;
  private final Duration timeout;

  /** Options for {@link AccordClient}. */
  public record Options(String token, Duration timeout) {
    /** No token, a 30 s deadline per call. */
    public static Options defaults() {
      return new Options(null, Duration.ofSeconds(30));
    }

    /** These options with a bearer token, sent as "authorization: Bearer &lt;token&gt;". */
    public Options withToken(String token) {
      return new Options(token, timeout);
    }

    /** These options with another per-call deadline; {@link Duration#ZERO}: none. */
    public Options withTimeout(Duration timeout) {
      return new Options(token, timeout);
    }
  }

  /** A client of a plaintext server at "host:port", with default options. */
  public static AccordClient forAddress(String target) {
    return forAddress(target, Options.defaults());
  }

  /** A client of a plaintext server at "host:port". */
  public static AccordClient forAddress(String target, Options options) {
    return new AccordClient(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), true, options);
  }

  /** A client over a channel the caller owns (e.g. with TLS); close() leaves it open. */
  public static AccordClient forChannel(Channel channel, Options options) {
    return new AccordClient(channel, false, options);
  }

  private AccordClient(Channel channel, boolean owned, Options options) {
    this.ownedChannel = owned ? (ManagedChannel) channel : null;
    this.timeout = options.timeout();
    String token = options.token();
    this.channel = token == null ? channel : ClientInterceptors.intercept(channel, bearer(token));
  }

  private static ClientInterceptor bearer(String token) {
    return new ClientInterceptor() {
      @Override
      public <Q, S> ClientCall<Q, S> interceptCall(
          MethodDescriptor<Q, S> method, CallOptions callOptions, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<Q, S>(
            next.newCall(method, callOptions)) {
          @Override
          public void start(Listener<S> listener, Metadata headers) {
            headers.put(AUTHORIZATION, "Bearer " + token);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /** The generated blocking stub, with this client's token and a fresh deadline. */
  public AccordServiceGrpc.AccordServiceBlockingStub stub() {
    AccordServiceGrpc.AccordServiceBlockingStub stub = AccordServiceGrpc.newBlockingStub(channel);
    return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw AccordException.from(e);
    }
  }

  private static FieldMask mask(String... paths) {
    return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
  }

  /** GetCatalogStatus: the serving catalogue's version, load time and record counts. */
  public CatalogStatus getCatalogStatus() {
    return call(() -> stub().getCatalogStatus(GetCatalogStatusRequest.getDefaultInstance()));
  }

  /** GetCountry: one country by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Country getCountry(String name, String... readMask) {
    return call(() -> stub().getCountry(GetCountryRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetCountries: up to 100 countries, in the order of {@code names}, all or nothing. */
  public List<Country> batchGetCountries(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetCountries(
                    BatchGetCountriesRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getCountriesList());
  }

  /** ListCountries: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListCountriesResponse, Country> listCountries(ListCountriesRequest request) {
    return new Pager<>(
        token -> stub().listCountries(request.toBuilder().setPageToken(token).build()),
        ListCountriesResponse::getCountriesList,
        ListCountriesResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetPartnership: one partnership by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Partnership getPartnership(String name, String... readMask) {
    return call(() -> stub().getPartnership(GetPartnershipRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetPartnerships: up to 100 partnerships, in the order of {@code names}, all or nothing. */
  public List<Partnership> batchGetPartnerships(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetPartnerships(
                    BatchGetPartnershipsRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getPartnershipsList());
  }

  /** ListPartnerships: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListPartnershipsResponse, Partnership> listPartnerships(ListPartnershipsRequest request) {
    return new Pager<>(
        token -> stub().listPartnerships(request.toBuilder().setPageToken(token).build()),
        ListPartnershipsResponse::getPartnershipsList,
        ListPartnershipsResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetAgreement: one agreement by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Agreement getAgreement(String name, String... readMask) {
    return call(() -> stub().getAgreement(GetAgreementRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetAgreements: up to 100 agreements, in the order of {@code names}, all or nothing. */
  public List<Agreement> batchGetAgreements(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetAgreements(
                    BatchGetAgreementsRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getAgreementsList());
  }

  /** ListAgreements: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListAgreementsResponse, Agreement> listAgreements(ListAgreementsRequest request) {
    return new Pager<>(
        token -> stub().listAgreements(request.toBuilder().setPageToken(token).build()),
        ListAgreementsResponse::getAgreementsList,
        ListAgreementsResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetCommitment: one commitment by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Commitment getCommitment(String name, String... readMask) {
    return call(() -> stub().getCommitment(GetCommitmentRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetCommitments: up to 100 commitments, in the order of {@code names}, all or nothing. */
  public List<Commitment> batchGetCommitments(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetCommitments(
                    BatchGetCommitmentsRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getCommitmentsList());
  }

  /** ListCommitments: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListCommitmentsResponse, Commitment> listCommitments(ListCommitmentsRequest request) {
    return new Pager<>(
        token -> stub().listCommitments(request.toBuilder().setPageToken(token).build()),
        ListCommitmentsResponse::getCommitmentsList,
        ListCommitmentsResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetCooperationArea: one cooperationArea by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public CooperationArea getCooperationArea(String name, String... readMask) {
    return call(() -> stub().getCooperationArea(GetCooperationAreaRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetCooperationAreas: up to 100 cooperationAreas, in the order of {@code names}, all or nothing. */
  public List<CooperationArea> batchGetCooperationAreas(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetCooperationAreas(
                    BatchGetCooperationAreasRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getCooperationAreasList());
  }

  /** ListCooperationAreas: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListCooperationAreasResponse, CooperationArea> listCooperationAreas(ListCooperationAreasRequest request) {
    return new Pager<>(
        token -> stub().listCooperationAreas(request.toBuilder().setPageToken(token).build()),
        ListCooperationAreasResponse::getCooperationAreasList,
        ListCooperationAreasResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetSector: one sector by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Sector getSector(String name, String... readMask) {
    return call(() -> stub().getSector(GetSectorRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetSectors: up to 100 sectors, in the order of {@code names}, all or nothing. */
  public List<Sector> batchGetSectors(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetSectors(
                    BatchGetSectorsRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getSectorsList());
  }

  /** ListSectors: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListSectorsResponse, Sector> listSectors(ListSectorsRequest request) {
    return new Pager<>(
        token -> stub().listSectors(request.toBuilder().setPageToken(token).build()),
        ListSectorsResponse::getSectorsList,
        ListSectorsResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetSource: one source by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Source getSource(String name, String... readMask) {
    return call(() -> stub().getSource(GetSourceRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetSources: up to 100 sources, in the order of {@code names}, all or nothing. */
  public List<Source> batchGetSources(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetSources(
                    BatchGetSourcesRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getSourcesList());
  }

  /** ListSources: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListSourcesResponse, Source> listSources(ListSourcesRequest request) {
    return new Pager<>(
        token -> stub().listSources(request.toBuilder().setPageToken(token).build()),
        ListSourcesResponse::getSourcesList,
        ListSourcesResponse::getNextPageToken,
        request.getPageToken());
  }

  /** GetAssessment: one assessment by name; readMask paths (e.g. "name", "sign_date") limit the fields. */
  public Assessment getAssessment(String name, String... readMask) {
    return call(() -> stub().getAssessment(GetAssessmentRequest.newBuilder().setName(name).setReadMask(mask(readMask)).build()));
  }

  /** BatchGetAssessments: up to 100 assessments, in the order of {@code names}, all or nothing. */
  public List<Assessment> batchGetAssessments(List<String> names, String... readMask) {
    return call(
        () ->
            stub()
                .batchGetAssessments(
                    BatchGetAssessmentsRequest.newBuilder().addAllNames(names).setReadMask(mask(readMask)).build())
                .getAssessmentsList());
  }

  /** ListAssessments: every match of the request's filter, in its order_by order, page by page. */
  public Pager<ListAssessmentsResponse, Assessment> listAssessments(ListAssessmentsRequest request) {
    return new Pager<>(
        token -> stub().listAssessments(request.toBuilder().setPageToken(token).build()),
        ListAssessmentsResponse::getAssessmentsList,
        ListAssessmentsResponse::getNextPageToken,
        request.getPageToken());
  }

  /** Shuts down the channel this client made (not one passed to forChannel). */
  @Override
  public void close() {
    if (ownedChannel == null) return;
    ownedChannel.shutdown();
    try {
      if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) ownedChannel.shutdownNow();
    } catch (InterruptedException e) {
      ownedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
