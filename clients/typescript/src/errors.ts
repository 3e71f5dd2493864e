// Typed errors for failed Accord calls.
//
// Every failed call carries a google.rpc.Status in the grpc-status-details-bin
// trailer with one google.rpc.ErrorInfo (domain "accord", a reason such as
// "INVALID_FILTER") and, for bad input, a google.rpc.BadRequest naming the
// request field at fault (docs/errors.md). toAccordError() turns whatever a
// call threw into an AccordError (or the subclass for its code) holding those
// details.
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";

/** One field violation of a google.rpc.BadRequest. */
export interface FieldViolation {
  /** The request field at fault, e.g. "filter", "names[2]", "read_mask.paths[0]". */
  readonly field: string;
  /** Why, in English, for developers. */
  readonly description: string;
}

/** The canonical gRPC code name of `code`, e.g. "INVALID_ARGUMENT", "CANCELLED". */
export function codeName(code: Code): string {
  if (code === Code.Canceled) return "CANCELLED"; // Connect spells it "Canceled"
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** A failed Accord call: the gRPC code plus the decoded error details. */
export class AccordError extends Error {
  /** The gRPC status code. */
  readonly code: Code;
  /** ErrorInfo.reason, e.g. "RESOURCE_NOT_FOUND"; "" when the status has no ErrorInfo. */
  readonly reason: string;
  /** ErrorInfo.domain: "accord" for errors of the service. */
  readonly domain: string;
  /** ErrorInfo.metadata, e.g. {offset: "7"} for filter errors. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The BadRequest's field violations; empty when the request was not at fault. */
  readonly fieldViolations: readonly FieldViolation[];

  constructor(cause: ConnectError) {
    super(cause.rawMessage, { cause });
    this.name = "AccordError";
    this.code = cause.code;
    const info = cause.findDetails(ErrorInfoSchema)[0];
    this.reason = info?.reason ?? "";
    this.domain = info?.domain ?? "";
    this.metadata = { ...(info?.metadata ?? {}) };
    this.fieldViolations = cause
      .findDetails(BadRequestSchema)
      .flatMap((b) => b.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
  }

  /** The canonical code name, e.g. "NOT_FOUND". */
  get codeName(): string {
    return codeName(this.code);
  }
}

/** INVALID_ARGUMENT: the request is malformed; see fieldViolations. */
export class InvalidArgumentError extends AccordError {}
/** NOT_FOUND: no record has the name (metadata.name). */
export class NotFoundError extends AccordError {}
/** FAILED_PRECONDITION: e.g. CATALOG_CHANGED, start the listing again. */
export class FailedPreconditionError extends AccordError {}
/** UNAUTHENTICATED: the server requires a bearer token. */
export class UnauthenticatedError extends AccordError {}
/** PERMISSION_DENIED: the bearer token was not accepted. */
export class PermissionDeniedError extends AccordError {}
/** UNAVAILABLE: the server is shutting down or has no catalogue; retry later. */
export class UnavailableError extends AccordError {}
/** DEADLINE_EXCEEDED: the call's deadline passed. */
export class DeadlineExceededError extends AccordError {}

const byCode: ReadonlyMap<Code, new (e: ConnectError) => AccordError> = new Map<
  Code,
  new (e: ConnectError) => AccordError
>([
  [Code.InvalidArgument, InvalidArgumentError],
  [Code.NotFound, NotFoundError],
  [Code.FailedPrecondition, FailedPreconditionError],
  [Code.Unauthenticated, UnauthenticatedError],
  [Code.PermissionDenied, PermissionDeniedError],
  [Code.Unavailable, UnavailableError],
  [Code.DeadlineExceeded, DeadlineExceededError],
]);

/**
 * Converts anything a call threw into an AccordError of the subclass for
 * its code (AccordError itself for other codes). An AccordError is returned
 * unchanged.
 */
export function toAccordError(err: unknown): AccordError {
  if (err instanceof AccordError) return err;
  const connectError = ConnectError.from(err);
  const ctor = byCode.get(connectError.code) ?? AccordError;
  const result = new ctor(connectError);
  result.name = ctor.name;
  return result;
}
