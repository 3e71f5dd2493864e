// The TypeScript runner of the conformance suite (tests/conformance/README.md):
// every case of tests/conformance/cases/*.json, through the generated
// Connect-ES client, the Pager and toAccordError, against real servers.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type DescMessage, type JsonValue, type Message, fromJson, toJson } from "@bufbuild/protobuf";
import type { CallOptions } from "@connectrpc/connect";
import { AccordClient, AccordService, Pager, toAccordError } from "../src/index.js";
import { type Server, repoRoot, startServer } from "./server.js";

interface ExpectedError {
  code: string;
  reason: string;
  field?: string;
  metadata?: Record<string, string>;
}
interface Case {
  name: string;
  method: string;
  request: JsonValue;
  page_all?: boolean;
  token_from?: JsonValue;
  server?: "default" | "auth";
  metadata?: Record<string, string>;
  expect: {
    names?: string[];
    total_size?: number;
    pages?: number;
    fields?: Record<string, Record<string, JsonValue>>;
    absent?: Record<string, string[]>;
    error?: ExpectedError;
  };
}

const casesDir = resolve(repoRoot, "tests/conformance/cases");
const cases: Case[] = readdirSync(casesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(resolve(casesDir, f), "utf8")) as { cases: Case[] }).cases);

type Unary = (request: Message, options?: CallOptions) => Promise<Message>;

/** The generated method of the raw client, and its request/response schemas. */
function method(client: AccordClient, name: string): { call: Unary; input: DescMessage; output: DescMessage } {
  const localName = name.charAt(0).toLowerCase() + name.slice(1);
  const desc = AccordService.methods.find((m) => m.name === name);
  assert.ok(desc, `no method ${name}`);
  const raw = client.raw as unknown as Record<string, Unary>;
  const fn = raw[localName];
  assert.ok(fn, `client has no ${localName}`);
  return { call: fn.bind(client.raw), input: desc.input, output: desc.output };
}

/** The resources in a response: Get -> [it]; BatchGet/List -> its repeated message field. */
function resources(methodName: string, output: DescMessage, response: Message): Message[] {
  if (methodName.startsWith("Get")) return [response];
  const field = output.fields.find((f) => f.fieldKind === "list" && f.listKind === "message");
  assert.ok(field, `${output.typeName} has no repeated message field`);
  return (response as unknown as Record<string, Message[]>)[field.localName] ?? [];
}

describe("conformance", () => {
  let plain: Server | undefined;
  let auth: Server | undefined;
  const clients: Record<string, AccordClient> = {};

  before(async () => {
    let address = process.env["ACCORD_CONFORMANCE_ADDR"];
    let authAddress = process.env["ACCORD_CONFORMANCE_AUTH_ADDR"];
    if (address === undefined) {
      plain = await startServer();
      address = plain.address;
    }
    if (authAddress === undefined) {
      auth = await startServer([`--auth_token_file=${resolve(repoRoot, "tests/conformance/tokens.txt")}`]);
      authAddress = auth.address;
    }
    clients["default"] = new AccordClient(address);
    clients["auth"] = new AccordClient(authAddress);
  });

  after(async () => {
    await plain?.stop();
    await auth?.stop();
  });

  test("the suite has cases, with unique names", () => {
    assert.ok(cases.length > 100);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  for (const c of cases) {
    test(c.name, async () => {
      const want = c.expect;
      assert.notEqual(want.names === undefined, want.error === undefined, "expect holds one of names/error");
      const client = clients[c.server ?? "default"];
      assert.ok(client);
      const { call, input, output } = method(client, c.method);
      const options: CallOptions = { headers: c.metadata ?? {} };
      const request = (token: string): Message => {
        const r = fromJson(input, c.request) as Message & { pageToken?: string };
        if (token !== "") r.pageToken = token;
        return r;
      };
      let firstToken = "";
      if (c.token_from !== undefined) {
        const from = (await call(fromJson(input, c.token_from), options)) as Message & { nextPageToken: string };
        firstToken = from.nextPageToken;
        assert.notEqual(firstToken, "", "token_from gave no next_page_token");
      }

      const items: Message[] = [];
      const responses: (Message & { totalSize?: number })[] = [];
      try {
        if (c.method.startsWith("List")) {
          const pager = new Pager(
            (token) => call(request(token), options) as Promise<Message & { nextPageToken: string }>,
            (r) => resources(c.method, output, r),
            firstToken,
          );
          for await (const page of pager.pages()) {
            responses.push(page);
            items.push(...resources(c.method, output, page));
            if (!c.page_all) break;
            assert.ok(responses.length < 1000, "paging does not end");
          }
        } else {
          const response = await call(request(""), options);
          responses.push(response);
          items.push(...resources(c.method, output, response));
        }
      } catch (err) {
        const e = toAccordError(err);
        assert.ok(want.error, `unexpected ${e.codeName} ${e.reason}: ${e.message}`);
        assert.equal(e.codeName, want.error.code);
        assert.equal(e.domain, "accord");
        assert.equal(e.reason, want.error.reason);
        for (const [k, v] of Object.entries(want.error.metadata ?? {})) {
          assert.equal(e.metadata[k], v, `metadata ${k}`);
        }
        assert.deepEqual(
          e.fieldViolations.map((v) => v.field),
          want.error.field === undefined ? [] : [want.error.field],
        );
        return;
      }
      assert.equal(want.error, undefined, `expected ${JSON.stringify(want.error)}, the call succeeded`);
      const itemSchema = c.method.startsWith("Get")
        ? output
        : output.fields.find((f) => f.fieldKind === "list" && f.listKind === "message")?.message;
      assert.ok(itemSchema);
      const json = items.map((m) => toJson(itemSchema, m) as Record<string, JsonValue>);
      assert.deepEqual(
        json.map((m) => m["name"] ?? ""),
        want.names,
      );
      if (want.total_size !== undefined) assert.equal(responses[0]?.totalSize, want.total_size);
      if (want.pages !== undefined) assert.equal(responses.length, want.pages);
      const byName = new Map(json.map((m) => [m["name"] ?? "", m]));
      for (const [name, subset] of Object.entries(want.fields ?? {})) {
        const got = byName.get(name);
        assert.ok(got, `no ${name}`);
        for (const [k, v] of Object.entries(subset)) assert.deepEqual(got[k], v, `${name} ${k}`);
      }
      for (const [name, absent] of Object.entries(want.absent ?? {})) {
        const got = byName.get(name);
        assert.ok(got, `no ${name}`);
        for (const k of absent) assert.equal(k in got, false, `${name} has ${k}`);
      }
    });
  }
});
