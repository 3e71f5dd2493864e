// @accord/client: the public API of the TypeScript client.
export { AccordClient, type AccordClientOptions, type AccordCallOptions, type ListRequest } from "./client.js";
export {
  AccordError,
  DeadlineExceededError,
  FailedPreconditionError,
  type FieldViolation,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
  codeName,
  toAccordError,
} from "./errors.js";
export { Pager, type PageFetcher } from "./pager.js";
export * from "../gen/accord/v1/accord_service_pb.js";
export * from "../gen/accord/v1/agreement_pb.js";
export * from "../gen/accord/v1/assessment_pb.js";
export * from "../gen/accord/v1/catalog_pb.js";
export * from "../gen/accord/v1/commitment_pb.js";
export * from "../gen/accord/v1/common_pb.js";
export * from "../gen/accord/v1/cooperation_area_pb.js";
export * from "../gen/accord/v1/country_pb.js";
export * from "../gen/accord/v1/partnership_pb.js";
export * from "../gen/accord/v1/sector_pb.js";
export * from "../gen/accord/v1/source_pb.js";
