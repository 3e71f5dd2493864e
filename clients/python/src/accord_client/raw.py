"""The generated protobuf and gRPC modules, for callers who want the raw API.

Every module that ``protoc`` generated from ``proto/accord/v1``, plus the
``google.rpc`` error model and the ``grpc.health.v1`` health service, is
re-exported here::

    from accord_client.raw import accord_service_pb2, accord_service_pb2_grpc

    stub = accord_service_pb2_grpc.AccordServiceStub(channel)
    agreement = stub.GetAgreement(
        accord_service_pb2.GetAgreementRequest(name="agreements/my-us-reciprocal-trade-2025"))

The modules live in ``accord_client._gen`` (generated at install time, with
``.pyi`` stubs) and import each other from there, so installing this package
adds no top-level ``accord``, ``google.rpc`` or ``grpc.health`` package and
never shadows ``google.protobuf`` or ``grpc``.

``status_pb2``/``error_details_pb2`` are googleapis-common-protos' modules
and ``health_pb2``/``health_pb2_grpc`` grpcio-health-checking's (both are
dependencies), so no ``.proto`` file is ever registered twice.
"""

from __future__ import annotations

from accord_client._gen.accord.v1 import (
    accord_service_pb2,
    accord_service_pb2_grpc,
    agreement_pb2,
    assessment_pb2,
    catalog_pb2,
    commitment_pb2,
    common_pb2,
    cooperation_area_pb2,
    country_pb2,
    partnership_pb2,
    sector_pb2,
    source_pb2,
)

from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

__all__ = [
    "accord_service_pb2",
    "accord_service_pb2_grpc",
    "agreement_pb2",
    "assessment_pb2",
    "catalog_pb2",
    "commitment_pb2",
    "common_pb2",
    "cooperation_area_pb2",
    "country_pb2",
    "error_details_pb2",
    "health_pb2",
    "health_pb2_grpc",
    "partnership_pb2",
    "sector_pb2",
    "source_pb2",
    "status_pb2",
]
