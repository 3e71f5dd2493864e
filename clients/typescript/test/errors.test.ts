// toAccordError and Pager without a server: details decoded from a
// ConnectError, the subclass chosen by code, tokens passed page to page.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import {
  AccordError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  Pager,
  toAccordError,
} from "../src/index.js";

describe("toAccordError", () => {
  test("decodes ErrorInfo and BadRequest details", () => {
    const err = toAccordError(
      new ConnectError("offset 7: bad", Code.InvalidArgument, undefined, [
        { desc: ErrorInfoSchema, value: { reason: "TYPE_MISMATCH", domain: "accord", metadata: { offset: "7" } } },
        { desc: BadRequestSchema, value: { fieldViolations: [{ field: "filter", description: "offset 7: bad" }] } },
      ]),
    );
    assert.ok(err instanceof InvalidArgumentError);
    assert.equal(err.name, "InvalidArgumentError");
    assert.equal(err.codeName, "INVALID_ARGUMENT");
    assert.equal(err.message, "offset 7: bad");
    assert.equal(err.reason, "TYPE_MISMATCH");
    assert.equal(err.domain, "accord");
    assert.deepEqual(err.metadata, { offset: "7" });
    assert.deepEqual(err.fieldViolations, [{ field: "filter", description: "offset 7: bad" }]);
  });

  test("without details: the code, and empty reason and violations", () => {
    const err = toAccordError(new ConnectError("gone", Code.NotFound));
    assert.ok(err instanceof NotFoundError);
    assert.equal(err.reason, "");
    assert.deepEqual(err.fieldViolations, []);
  });

  test("codes without a subclass give an AccordError; other throwables are UNKNOWN", () => {
    const internal = toAccordError(new ConnectError("boom", Code.Internal));
    assert.equal(internal.constructor, AccordError);
    assert.equal(internal.codeName, "INTERNAL");
    assert.equal(toAccordError(new Error("plain")).codeName, "UNKNOWN");
    assert.equal(toAccordError(internal), internal);
  });
});

describe("Pager", () => {
  type Page = { items: number[]; nextPageToken: string };
  const pages: Record<string, Page> = {
    "": { items: [1, 2], nextPageToken: "a" },
    a: { items: [3, 4], nextPageToken: "b" },
    b: { items: [5], nextPageToken: "" },
  };

  test("sends each next_page_token and stops at an empty one", async () => {
    const asked: string[] = [];
    const pager = new Pager<number, Page>(
      async (token) => {
        asked.push(token);
        const page = pages[token];
        assert.ok(page, `unexpected token ${token}`);
        return page;
      },
      (p) => p.items,
    );
    assert.deepEqual(await pager.toArray(), [1, 2, 3, 4, 5]);
    assert.deepEqual(asked, ["", "a", "b"]);
  });

  test("a failing page is thrown as an AccordError after the pages before it", async () => {
    const seen: number[] = [];
    const pager = new Pager<number, Page>(
      async (token) => {
        if (token === "b") throw new ConnectError("changed", Code.FailedPrecondition);
        return pages[token] as Page;
      },
      (p) => p.items,
    );
    await assert.rejects(
      (async () => {
        for await (const n of pager) seen.push(n);
      })(),
      (err: unknown) => err instanceof FailedPreconditionError,
    );
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });

  test("starts from a given token", async () => {
    const pager = new Pager<number, Page>(async (token) => pages[token] as Page, (p) => p.items, "a");
    assert.deepEqual(await pager.toArray(), [3, 4, 5]);
  });
});
