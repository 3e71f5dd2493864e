package accord.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A failed Accord call: the gRPC status code plus the details the server puts in the {@code
 * grpc-status-details-bin} trailer (docs/errors.md): one {@link ErrorInfo} (domain "accord", a
 * reason such as "RESOURCE_NOT_FOUND", metadata such as {@code offset}) and, for bad input, a
 * {@link BadRequest} whose field violations name the request field at fault.
 */
public final class AccordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String reason;
  private final String domain;
  private final Map<String, String> metadata;
  private final List<BadRequest.FieldViolation> fieldViolations;

  private AccordException(
      StatusRuntimeException cause,
      String reason,
      String domain,
      Map<String, String> metadata,
      List<BadRequest.FieldViolation> fieldViolations) {
    super(cause.getStatus().getCode() + ": " + cause.getStatus().getDescription(), cause);
    this.code = cause.getStatus().getCode();
    this.reason = reason;
    this.domain = domain;
    this.metadata = Map.copyOf(metadata);
    this.fieldViolations = List.copyOf(fieldViolations);
  }

  /**
   * Decodes the details of a failed call. Details that do not parse are skipped: the code is
   * always kept, and reason/domain are then "".
   */
  public static AccordException from(StatusRuntimeException e) {
    String reason = "";
    String domain = "";
    Map<String, String> metadata = Map.of();
    List<BadRequest.FieldViolation> violations = new ArrayList<>();
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status != null) {
      for (Any detail : status.getDetailsList()) {
        try {
          if (detail.is(ErrorInfo.class) && domain.isEmpty()) {
            ErrorInfo info = detail.unpack(ErrorInfo.class);
            reason = info.getReason();
            domain = info.getDomain();
            metadata = info.getMetadataMap();
          } else if (detail.is(BadRequest.class)) {
            violations.addAll(detail.unpack(BadRequest.class).getFieldViolationsList());
          }
        } catch (InvalidProtocolBufferException ignored) {
          // A malformed detail: keep what did decode.
        }
      }
    }
    return new AccordException(e, reason, domain, metadata, violations);
  }

  /** The gRPC status code, e.g. {@code INVALID_ARGUMENT}. */
  public Status.Code code() {
    return code;
  }

  /** ErrorInfo.reason, e.g. "FILTER_SYNTAX"; "" when the status had no ErrorInfo. */
  public String reason() {
    return reason;
  }

  /** ErrorInfo.domain: "accord" for the service's errors. */
  public String domain() {
    return domain;
  }

  /** ErrorInfo.metadata, e.g. {@code {offset=7}} for filter errors. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The BadRequest's field violations; empty unless the request was at fault. */
  public List<BadRequest.FieldViolation> fieldViolations() {
    return fieldViolations;
  }
}
