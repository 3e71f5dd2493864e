// AccordClient: a thin, typed wrapper over the generated Connect-ES client.
//
// It speaks gRPC (HTTP/2) to accord_server from Node.js. For each collection
// it has get<X>(name), batchGet<X>(names) and list<X>(request); list returns
// a Pager, an async iterable over the items that fetches pages lazily. Every
// failure is thrown as an AccordError (errors.ts) holding the ErrorInfo
// reason, metadata and BadRequest field violations. `raw` is the generated
// client for anything else (GetCatalogStatus, custom call options).
//
// This file is written out by hand; only gen/ is generated.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type CallOptions, type Client, type Interceptor, type Transport, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccordService } from "../gen/accord/v1/accord_service_pb.js";
import type { CatalogStatus } from "../gen/accord/v1/catalog_pb.js";
import type * as pb from "../gen/accord/v1/accord_service_pb.js";
import type { Country } from "../gen/accord/v1/country_pb.js";
import type { Partnership } from "../gen/accord/v1/partnership_pb.js";
import type { Agreement } from "../gen/accord/v1/agreement_pb.js";
import type { Commitment } from "../gen/accord/v1/commitment_pb.js";
import type { CooperationArea } from "../gen/accord/v1/cooperation_area_pb.js";
import type { Sector } from "../gen/accord/v1/sector_pb.js";
import type { Source } from "../gen/accord/v1/source_pb.js";
import type { Assessment } from "../gen/accord/v1/assessment_pb.js";
import { toAccordError } from "./errors.js";
import { Pager } from "./pager.js";

/** Options for AccordClient. */
export interface AccordClientOptions {
  /** A bearer token, sent as "authorization: Bearer <token>" on every call. */
  readonly token?: string;
  /** The deadline of each call, in milliseconds (default 30000; 0: none). */
  readonly timeoutMs?: number;
  /** Use this transport instead of a plaintext gRPC one to `address`. */
  readonly transport?: Transport;
}

/** Fields of a List request other than the page token, which the Pager sets. */
export type ListRequest<T extends { pageToken?: string }> = Omit<T, "pageToken" | "$typeName">;

/** Per-call options: a deadline, headers, an AbortSignal. */
export type AccordCallOptions = CallOptions;

/** Turns "host:port" into "http://host:port"; URLs pass through. */
function baseUrl(address: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
}

/** A client of accord.v1.AccordService. */
export class AccordClient {
  /** The generated Connect-ES client; its calls throw ConnectError. */
  readonly raw: Client<typeof AccordService>;

  /**
   * @param address "host:port" (plaintext gRPC) or a URL such as
   *   "https://accord.example:443" (gRPC over TLS).
   */
  constructor(address: string, options: AccordClientOptions = {}) {
    const interceptors: Interceptor[] = [];
    const token = options.token;
    if (token !== undefined) {
      interceptors.push((next) => async (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        return next(req);
      });
    }
    const transport =
      options.transport ??
      createGrpcTransport({
        baseUrl: baseUrl(address),
        interceptors,
        // Connect treats a timeout <= 0 as already expired; ours means none.
        defaultTimeoutMs: options.timeoutMs === 0 ? undefined : (options.timeoutMs ?? 30_000),
      });
    this.raw = createClient(AccordService, transport);
  }

  /** Runs `call`, turning any failure into an AccordError. */
  private async call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toAccordError(err);
    }
  }

  /** GetCatalogStatus: the serving catalogue's version, load time and counts. */
  getCatalogStatus(options?: AccordCallOptions): Promise<CatalogStatus> {
    return this.call(() => this.raw.getCatalogStatus({}, options));
  }

  /** GetCountry: one country by resource name; readMask paths limit the fields. */
  getCountry(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Country> {
    return this.call(() =>
      this.raw.getCountry({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetCountries: up to 100 countries, in the order of `names`, all or nothing. */
  async batchGetCountries(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Country[]> {
    const response = await this.call(() =>
      this.raw.batchGetCountries({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.countries;
  }

  /**
   * ListCountries: every country matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listCountries(
    request: ListRequest<MessageInitShape<typeof pb.ListCountriesRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Country, pb.ListCountriesResponse> {
    return new Pager(
      (pageToken) => this.raw.listCountries({ ...request, pageToken }, options),
      (response) => response.countries,
    );
  }

  /** GetPartnership: one partnership by resource name; readMask paths limit the fields. */
  getPartnership(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Partnership> {
    return this.call(() =>
      this.raw.getPartnership({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetPartnerships: up to 100 partnerships, in the order of `names`, all or nothing. */
  async batchGetPartnerships(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Partnership[]> {
    const response = await this.call(() =>
      this.raw.batchGetPartnerships({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.partnerships;
  }

  /**
   * ListPartnerships: every partnership matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listPartnerships(
    request: ListRequest<MessageInitShape<typeof pb.ListPartnershipsRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Partnership, pb.ListPartnershipsResponse> {
    return new Pager(
      (pageToken) => this.raw.listPartnerships({ ...request, pageToken }, options),
      (response) => response.partnerships,
    );
  }

  /** GetAgreement: one agreement by resource name; readMask paths limit the fields. */
  getAgreement(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Agreement> {
    return this.call(() =>
      this.raw.getAgreement({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetAgreements: up to 100 agreements, in the order of `names`, all or nothing. */
  async batchGetAgreements(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Agreement[]> {
    const response = await this.call(() =>
      this.raw.batchGetAgreements({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.agreements;
  }

  /**
   * ListAgreements: every agreement matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listAgreements(
    request: ListRequest<MessageInitShape<typeof pb.ListAgreementsRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Agreement, pb.ListAgreementsResponse> {
    return new Pager(
      (pageToken) => this.raw.listAgreements({ ...request, pageToken }, options),
      (response) => response.agreements,
    );
  }

  /** GetCommitment: one commitment by resource name; readMask paths limit the fields. */
  getCommitment(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Commitment> {
    return this.call(() =>
      this.raw.getCommitment({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetCommitments: up to 100 commitments, in the order of `names`, all or nothing. */
  async batchGetCommitments(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Commitment[]> {
    const response = await this.call(() =>
      this.raw.batchGetCommitments({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.commitments;
  }

  /**
   * ListCommitments: every commitment matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listCommitments(
    request: ListRequest<MessageInitShape<typeof pb.ListCommitmentsRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Commitment, pb.ListCommitmentsResponse> {
    return new Pager(
      (pageToken) => this.raw.listCommitments({ ...request, pageToken }, options),
      (response) => response.commitments,
    );
  }

  /** GetCooperationArea: one cooperationArea by resource name; readMask paths limit the fields. */
  getCooperationArea(name: string, readMask?: string[], options?: AccordCallOptions): Promise<CooperationArea> {
    return this.call(() =>
      this.raw.getCooperationArea({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetCooperationAreas: up to 100 cooperationAreas, in the order of `names`, all or nothing. */
  async batchGetCooperationAreas(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<CooperationArea[]> {
    const response = await this.call(() =>
      this.raw.batchGetCooperationAreas({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.cooperationAreas;
  }

  /**
   * ListCooperationAreas: every cooperationArea matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listCooperationAreas(
    request: ListRequest<MessageInitShape<typeof pb.ListCooperationAreasRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<CooperationArea, pb.ListCooperationAreasResponse> {
    return new Pager(
      (pageToken) => this.raw.listCooperationAreas({ ...request, pageToken }, options),
      (response) => response.cooperationAreas,
    );
  }

  /** GetSector: one sector by resource name; readMask paths limit the fields. */
  getSector(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Sector> {
    return this.call(() =>
      this.raw.getSector({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetSectors: up to 100 sectors, in the order of `names`, all or nothing. */
  async batchGetSectors(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Sector[]> {
    const response = await this.call(() =>
      this.raw.batchGetSectors({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.sectors;
  }

  /**
   * ListSectors: every sector matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listSectors(
    request: ListRequest<MessageInitShape<typeof pb.ListSectorsRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Sector, pb.ListSectorsResponse> {
    return new Pager(
      (pageToken) => this.raw.listSectors({ ...request, pageToken }, options),
      (response) => response.sectors,
    );
  }

  /** GetSource: one source by resource name; readMask paths limit the fields. */
  getSource(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Source> {
    return this.call(() =>
      this.raw.getSource({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetSources: up to 100 sources, in the order of `names`, all or nothing. */
  async batchGetSources(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Source[]> {
    const response = await this.call(() =>
      this.raw.batchGetSources({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.sources;
  }

  /**
   * ListSources: every source matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listSources(
    request: ListRequest<MessageInitShape<typeof pb.ListSourcesRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Source, pb.ListSourcesResponse> {
    return new Pager(
      (pageToken) => this.raw.listSources({ ...request, pageToken }, options),
      (response) => response.sources,
    );
  }

  /** GetAssessment: one assessment by resource name; readMask paths limit the fields. */
  getAssessment(name: string, readMask?: string[], options?: AccordCallOptions): Promise<Assessment> {
    return this.call(() =>
      this.raw.getAssessment({ name, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
  }

  /** BatchGetAssessments: up to 100 assessments, in the order of `names`, all or nothing. */
  async batchGetAssessments(
    names: string[],
    readMask?: string[],
    options?: AccordCallOptions,
  ): Promise<Assessment[]> {
    const response = await this.call(() =>
      this.raw.batchGetAssessments({ names, readMask: readMask ? { paths: readMask } : undefined }, options),
    );
    return response.assessments;
  }

  /**
   * ListAssessments: every assessment matching request.filter, in request.orderBy order.
   * Iterate the Pager for items, or pager.pages() for whole responses.
   */
  listAssessments(
    request: ListRequest<MessageInitShape<typeof pb.ListAssessmentsRequestSchema>> = {},
    options?: AccordCallOptions,
  ): Pager<Assessment, pb.ListAssessmentsResponse> {
    return new Pager(
      (pageToken) => this.raw.listAssessments({ ...request, pageToken }, options),
      (response) => response.assessments,
    );
  }
}
