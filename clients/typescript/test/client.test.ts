// AccordClient against a real accord_server: typed results, lazy paging,
// typed errors with their details, bearer tokens and deadlines.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import {
  AccordClient,
  AccordError,
  Agreement_Kind,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  codeName,
} from "../src/index.js";
import { type Server, repoRoot, startServer } from "./server.js";

describe("AccordClient", () => {
  let server: Server;
  let authServer: Server;
  let client: AccordClient;

  before(async () => {
    server = await startServer();
    authServer = await startServer([`--auth_token_file=${resolve(repoRoot, "tests/conformance/tokens.txt")}`]);
    client = new AccordClient(server.address);
  });
  after(async () => {
    await server.stop();
    await authServer.stop();
  });

  test("getAgreement returns typed fields", async () => {
    const art = await client.getAgreement("agreements/my-us-reciprocal-trade-2025");
    assert.equal(art.shortTitle, "ART");
    assert.equal(art.kind, Agreement_Kind.TRADE_AGREEMENT);
    assert.equal(art.legallyBinding, true);
    assert.deepEqual(art.parties, ["countries/my", "countries/us"]);
    assert.equal(art.signDate?.year, 2025);
    assert.equal(art.signDate?.month, 10);
    assert.equal(art.signDate?.day, 26);
  });

  test("a read mask leaves other fields at their defaults", async () => {
    const art = await client.getAgreement("agreements/my-us-reciprocal-trade-2025", ["name", "short_title"]);
    assert.equal(art.name, "agreements/my-us-reciprocal-trade-2025");
    assert.equal(art.shortTitle, "ART");
    assert.equal(art.title, "");
    assert.equal(art.signDate, undefined);
  });

  test("batchGetCountries keeps the order asked, duplicates included", async () => {
    const got = await client.batchGetCountries(["countries/us", "countries/my", "countries/us"]);
    assert.deepEqual(
      got.map((c) => c.displayName),
      ["United States", "Malaysia", "United States"],
    );
  });

  test("the pager walks every page lazily", async () => {
    let calls = 0;
    const counting = new AccordClient(server.address, {});
    const pager = counting.listAssessments({ pageSize: 4, readMask: { paths: ["name"] } });
    const original = counting.raw.listAssessments.bind(counting.raw);
    counting.raw.listAssessments = (req, opts) => {
      calls++;
      return original(req, opts);
    };
    const first: string[] = [];
    for await (const c of pager) {
      first.push(c.name);
      if (first.length === 4) break;
    }
    assert.equal(calls, 1, "one page for the first four items");
    const all = (await pager.toArray()).map((c) => c.name);
    assert.equal(calls, 1 + 4, "13 assessments: four more pages for the whole walk");
    assert.equal(all.length, 13);
    assert.deepEqual(all.slice(0, 4), first);
    assert.deepEqual([...all].sort(), all, "default order is by name");
    assert.equal(new Set(all).size, 13);
    assert.equal(all[0], "assessments/art-framework-for-stability-and-growth");
    assert.equal(all[12], "assessments/shared-security-challenges");
  });

  test("pages() exposes total_size and the tokens end on the last page", async () => {
    const pages = [];
    for await (const page of client.listAgreements({ pageSize: 4 }).pages()) pages.push(page);
    assert.equal(pages.length, 2);
    assert.equal(pages[0]?.totalSize, 6);
    assert.equal(pages[0]?.agreements.length, 4);
    assert.notEqual(pages[0]?.nextPageToken, "");
    assert.equal(pages[1]?.agreements.length, 2);
    assert.equal(pages[1]?.nextPageToken, "");
  });

  test("a bad filter is an InvalidArgumentError with reason, offset and field", async () => {
    await assert.rejects(client.listAgreements({ filter: "kind = FRIENDSHIP" }).toArray(), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError);
      assert.ok(err instanceof AccordError);
      assert.equal(err.code, Code.InvalidArgument);
      assert.equal(err.codeName, "INVALID_ARGUMENT");
      assert.equal(err.domain, "accord");
      assert.equal(err.reason, "TYPE_MISMATCH");
      assert.equal(err.metadata["offset"], "7");
      assert.deepEqual(
        err.fieldViolations.map((v) => v.field),
        ["filter"],
      );
      assert.match(err.fieldViolations[0]?.description ?? "", /FRIENDSHIP/);
      return true;
    });
  });

  test("a missing record is a NotFoundError naming it", async () => {
    await assert.rejects(client.getCountry("countries/zz"), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.reason, "RESOURCE_NOT_FOUND");
      assert.equal(err.metadata["name"], "countries/zz");
      assert.deepEqual(err.fieldViolations, []);
      return true;
    });
  });

  test("bearer tokens: missing, wrong and right", async () => {
    await assert.rejects(new AccordClient(authServer.address).getCountry("countries/my"), (err: unknown) => {
      assert.ok(err instanceof UnauthenticatedError);
      assert.equal(err.reason, "TOKEN_MISSING");
      return true;
    });
    await assert.rejects(
      new AccordClient(authServer.address, { token: "wrong" }).getCountry("countries/my"),
      (err: unknown) => {
        // The code (PERMISSION_DENIED, or UNAUTHENTICATED in later servers)
        // is the conformance case auth-server-wrong-token's to check.
        assert.ok(err instanceof PermissionDeniedError || err instanceof UnauthenticatedError);
        assert.equal(err.reason, "TOKEN_REJECTED");
        assert.equal(err.metadata["header"], "authorization");
        return true;
      },
    );
    const ok = new AccordClient(authServer.address, { token: "conformance-token" });
    assert.equal((await ok.getCountry("countries/my")).displayName, "Malaysia");
  });

  test("a cancelled call is CANCELLED; timeoutMs 0 means no deadline", async () => {
    await assert.rejects(
      client.getCountry("countries/my", undefined, { signal: AbortSignal.abort() }),
      (err: unknown) => {
        assert.ok(err instanceof AccordError);
        assert.equal(err.code, Code.Canceled);
        assert.equal(err.codeName, "CANCELLED");
        return true;
      },
    );
    const noDeadline = new AccordClient(server.address, { timeoutMs: 0 });
    assert.equal((await noDeadline.getCountry("countries/my")).displayName, "Malaysia");
  });

  test("getCatalogStatus reports the bundled catalogue's counts", async () => {
    const status = await client.getCatalogStatus();
    assert.match(status.version, /^[0-9a-f]{16}$/);
    assert.equal(status.lastError, "");
    assert.equal(status.recordCounts["agreements"], 6n);
    assert.equal(status.recordCounts["countries"], 3n);
    assert.equal(status.recordCounts["assessments"], 13n);
  });

  test("codeName maps every code to its canonical name", () => {
    assert.equal(codeName(Code.DeadlineExceeded), "DEADLINE_EXCEEDED");
    assert.equal(codeName(Code.NotFound), "NOT_FOUND");
    assert.equal(codeName(Code.Unauthenticated), "UNAUTHENTICATED");
    assert.equal(codeName(Code.Canceled), "CANCELLED");
    assert.equal(codeName(Code.ResourceExhausted), "RESOURCE_EXHAUSTED");
  });
});
