#!/usr/bin/env python3
"""Drives the accord_gateway binary with plain HTTP requests, as curl would,
and validates its OpenAPI document.

    http_test.py GATEWAY_URL AUTH_GATEWAY_URL VERSION SERVICE_PROTO

GATEWAY_URL fronts a server on the bundled catalogue; AUTH_GATEWAY_URL fronts
one started with --auth_token_file=tests/conformance/tokens.txt. Needs
openapi-spec-validator (gateway/tests/requirements.txt). Exits 1 on failure.
"""

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

failures = []


def get(url, headers=None):
    """GET url; returns (HTTP status, Content-Type, decoded JSON body)."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), json.load(resp)
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), json.load(e)


def check(name, cond, detail=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)


def details(body, type_name):
    return [d for d in body.get("details", [])
            if d.get("@type") == "type.googleapis.com/google.rpc." + type_name]


def main():
    base, auth_base, version, service_proto = sys.argv[1:5]
    with open(service_proto, encoding="utf-8") as f:
        rpcs = sorted(re.findall(r"^\s*rpc\s+(\w+)\s*\(", f.read(), re.MULTILINE))

    status, ctype, body = get(base + "/v1/agreements/my-us-reciprocal-trade-2025")
    check("get agreement", status == 200 and ctype.startswith("application/json")
          and body.get("name") == "agreements/my-us-reciprocal-trade-2025"
          and body.get("shortTitle") == "ART" and body.get("kind") == "TRADE_AGREEMENT",
          (status, ctype, body))

    q = urllib.parse.urlencode({"filter": 'parties:"countries/my" AND kind = TRADE_AGREEMENT',
                                "readMask": "name,signDate"})
    status, _, body = get(base + "/v1/agreements?" + q)
    check("list with filter and camelCase read mask", status == 200
          and [a["name"] for a in body.get("agreements", [])]
          == ["agreements/my-us-reciprocal-trade-2025"]
          and set(body["agreements"][0]) == {"name", "signDate"} and body.get("totalSize") == 1,
          (status, body))

    status, _, body = get(base + "/v1/agreements?pageSize=4&readMask=name")
    status2, _, body2 = get(base + "/v1/agreements?" + urllib.parse.urlencode(
        {"pageSize": 4, "readMask": "name", "pageToken": body.get("nextPageToken", "")}))
    names = [a["name"] for a in body.get("agreements", []) + body2.get("agreements", [])]
    check("page through agreements", status == status2 == 200 and len(names) == 6
          and len(set(names)) == 6 and "nextPageToken" not in body2, (body, body2))

    status, _, body = get(base + "/v1/agreements:batchGet?names=agreements/my-us-acsa"
                          "&names=agreements/my-us-reciprocal-trade-2025&readMask=name")
    check("batch get in order", status == 200 and [a["name"] for a in body["agreements"]]
          == ["agreements/my-us-acsa", "agreements/my-us-reciprocal-trade-2025"], body)

    status, _, body = get(base + "/v1/agreements/-/commitments?pageSize=1&readMask=name")
    check("commitments across agreements", status == 200 and len(body.get("commitments", [])) == 1
          and body.get("totalSize", 0) > 1 and body.get("nextPageToken"), body)

    status, _, body = get(base + "/v1/catalogStatus")
    check("catalog status", status == 200 and body.get("name") == "catalogStatus"
          and body.get("recordCounts", {}).get("agreements") == "6", body)

    # Errors: a google.rpc.Status body with ErrorInfo and BadRequest details.
    status, ctype, body = get(base + "/v1/agreements?" + urllib.parse.urlencode(
        {"filter": "kind = FRIENDSHIP"}))
    info, bad = details(body, "ErrorInfo"), details(body, "BadRequest")
    check("filter error is 400 with google.rpc.Status", status == 400
          and ctype.startswith("application/json") and body.get("code") == 3
          and body.get("message", "").startswith("offset 7:")
          and info and info[0]["reason"] == "TYPE_MISMATCH" and info[0]["domain"] == "accord"
          and info[0].get("metadata") == {"offset": "7"}
          and bad and bad[0]["fieldViolations"][0]["field"] == "filter", (status, body))

    status, _, body = get(base + "/v1/agreements/nope")
    info = details(body, "ErrorInfo")
    check("missing agreement is 404 RESOURCE_NOT_FOUND", status == 404 and body.get("code") == 5
          and info and info[0]["reason"] == "RESOURCE_NOT_FOUND"
          and info[0]["metadata"] == {"name": "agreements/nope"}
          and not details(body, "BadRequest"), (status, body))

    status, _, body = get(base + "/v1/agreements?pageSize=-1")
    bad = details(body, "BadRequest")
    check("negative page size is 400 INVALID_PAGE_SIZE", status == 400
          and details(body, "ErrorInfo")[0]["reason"] == "INVALID_PAGE_SIZE"
          and bad[0]["fieldViolations"][0]["field"] == "page_size", (status, body))

    # The Authorization header is forwarded to the server.
    status, _, body = get(auth_base + "/v1/countries/my")
    check("no token is 401 TOKEN_MISSING", status == 401
          and details(body, "ErrorInfo")[0]["reason"] == "TOKEN_MISSING", (status, body))
    status, _, body = get(auth_base + "/v1/countries/my",
                          {"Authorization": "Bearer wrong-token"})
    check("wrong token is 401 TOKEN_REJECTED", status == 401
          and details(body, "ErrorInfo")[0]["reason"] == "TOKEN_REJECTED", (status, body))
    status, _, body = get(auth_base + "/v1/countries/my",
                          {"Authorization": "Bearer conformance-token"})
    check("right token is 200", status == 200 and body.get("name") == "countries/my", (status, body))

    # The OpenAPI document: valid, versioned, one GET per RPC.
    status, _, doc = get(base + "/openapi.json")
    try:
        validate(doc)
        valid = ""
    except OpenAPIValidationError as e:
        valid = str(e)
    check("openapi.json is a valid OpenAPI document", status == 200 and not valid, valid)
    ops = sorted(op["operationId"] for path in doc.get("paths", {}).values()
                 for op in path.values())
    check("openapi.json version", doc.get("info", {}).get("version") == version, doc.get("info"))
    missing = sorted(set(rpcs) - {op.removeprefix("AccordService_") for op in ops})
    check("openapi.json has a route for every RPC of the service",
          len(rpcs) >= 25 and not missing, f"no google.api.http route for {missing}")
    check("every read is a GET", all(
        verb == "get" for path in doc["paths"].values() for verb in path), ops)
    check("openapi.json documents the error body", "rpcStatus" in doc.get("definitions", {}),
          sorted(doc.get("definitions", {}))[:10])

    print(f"HTTP tests: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
