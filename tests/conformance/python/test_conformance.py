"""Runs every case of tests/conformance/cases/*.json through grpcio.

The format is described in tests/conformance/README.md. Requests are built
from proto3 JSON with protobuf's json_format, sent with a generic grpcio
unary call on /accord.v1.AccordService/<method>, and the answer (or the
google.rpc.Status in grpc-status-details-bin) is compared with "expect".
"""

import json
import pathlib

import grpc
import pytest
from google.protobuf import json_format
from google.protobuf import symbol_database

CASES_DIR = pathlib.Path(__file__).resolve().parents[1] / "cases"


def _load_cases():
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            cases.append(pytest.param(case, id=case["name"]))
    return cases


CASES = _load_cases()


def test_case_names_are_unique():
    names = [p.values[0]["name"] for p in CASES]
    assert len(names) == len(set(names))
    assert len(names) > 100


@pytest.fixture(scope="session")
def channels(servers):
    chans = {k: grpc.insecure_channel(v) for k, v in servers.items()}
    yield chans
    for c in chans.values():
        c.close()


def _resources(method: str, response):
    """The resources a response holds: Get -> [it]; BatchGet/List -> the repeated field."""
    if method.startswith("Get"):
        return [response]
    for field in response.DESCRIPTOR.fields:
        if field.label == field.LABEL_REPEATED and field.message_type is not None:
            return list(getattr(response, field.name))
    raise AssertionError(f"{method}: no repeated message field in the response")


def _call(protos, channels, case, request_json, page_token=None):
    method = case["method"]
    desc = protos.service.DESCRIPTOR.services_by_name["AccordService"].methods_by_name[method]
    db = symbol_database.Default()
    req_cls = db.GetSymbol(desc.input_type.full_name)
    resp_cls = db.GetSymbol(desc.output_type.full_name)
    request = json_format.ParseDict(request_json, req_cls())
    if page_token is not None:
        request.page_token = page_token
    call = channels[case.get("server", "default")].unary_unary(
        f"/accord.v1.AccordService/{method}",
        request_serializer=req_cls.SerializeToString,
        response_deserializer=resp_cls.FromString)
    metadata = tuple((k.lower(), v) for k, v in case.get("metadata", {}).items())
    return call(request, metadata=metadata, timeout=30)


def _check_error(protos, err: grpc.RpcError, want: dict):
    assert err.code().name == want["code"], err.details()
    raw = dict(err.trailing_metadata() or ()).get("grpc-status-details-bin")
    assert raw is not None, "no grpc-status-details-bin trailer"
    status = protos.status.Status.FromString(raw)
    infos, bad = [], []
    for any_ in status.details:
        if any_.Is(protos.details.ErrorInfo.DESCRIPTOR):
            info = protos.details.ErrorInfo()
            any_.Unpack(info)
            infos.append(info)
        elif any_.Is(protos.details.BadRequest.DESCRIPTOR):
            br = protos.details.BadRequest()
            any_.Unpack(br)
            bad.append(br)
    assert len(infos) == 1, status
    assert infos[0].domain == "accord"
    assert infos[0].reason == want["reason"]
    for k, v in want.get("metadata", {}).items():
        assert infos[0].metadata.get(k) == v, (k, dict(infos[0].metadata))
    if "field" in want:
        assert len(bad) == 1, status
        assert [v.field for v in bad[0].field_violations] == [want["field"]]
    else:
        assert bad == []


def _check_success(case, items, first, pages):
    want = case["expect"]
    as_json = [json_format.MessageToDict(m) for m in items]
    assert [m.get("name", "") for m in as_json] == want["names"]
    if "total_size" in want:
        assert first.total_size == want["total_size"]
    if "pages" in want:
        assert pages == want["pages"]
    by_name = {m.get("name", ""): m for m in as_json}
    for name, subset in want.get("fields", {}).items():
        got = by_name[name]
        for key, value in subset.items():
            assert got.get(key) == value, (name, key, got.get(key))
    for name, absent in want.get("absent", {}).items():
        got = by_name[name]
        for key in absent:
            assert key not in got, (name, key)


@pytest.mark.parametrize("case", CASES)
def test_conformance(protos, channels, case):
    method = case["method"]
    want = case["expect"]
    assert ("names" in want) != ("error" in want), "expect holds exactly one of names/error"
    request = case["request"]
    token = None
    if "token_from" in case:
        token = _call(protos, channels, case, case["token_from"]).next_page_token
        assert token, "token_from gave no next_page_token"
    try:
        response = _call(protos, channels, case, request, token)
        items = _resources(method, response)
        first, pages = response, 1
        while case.get("page_all") and response.next_page_token:
            response = _call(protos, channels, case, request, response.next_page_token)
            items += _resources(method, response)
            pages += 1
            assert pages <= 1000, "paging does not end"
    except grpc.RpcError as err:
        assert "error" in want, f"unexpected {err.code().name}: {err.details()}"
        _check_error(protos, err, want["error"])
        return
    assert "error" not in want, f"expected {want['error']}, got success"
    _check_success(case, items, first, pages)
