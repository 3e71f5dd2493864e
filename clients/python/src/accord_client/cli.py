"""``accord``: query an Accord server from the command line.

::

    accord get agreements/my-us-reciprocal-trade-2025
    accord get agreements/my-us-reciprocal-trade-2025/commitments/preferential-market-access
    accord list agreements --filter 'parties:"countries/my"' --order-by "sign_date desc"
    accord list commitments --agreement my-us-reciprocal-trade-2025 -o json
    accord list countries --limit 5 --read-mask name,display_name -o csv
    accord status
    accord health

Options may come before or after the command. The server address is
``--address``, else ``$ACCORD_ADDRESS``, else ``127.0.0.1:50051``; a bearer
token is ``--token`` or ``$ACCORD_TOKEN``; TLS is ``--tls`` (system roots) or
``--ca-file``, and mutual TLS adds ``--cert``/``--key``.

Exit status: 0 success; 1 the server answered with an error; 2 bad usage;
3 the server could not be reached (UNAVAILABLE).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
from typing import Any, Iterable, List, Optional, Sequence, TextIO

import grpc

from accord_client import _base
from accord_client import names as _names
from accord_client.client import AccordClient
from accord_client.errors import AccordError
from accord_client.formatting import FORMATS, render, render_many, to_dict, to_json, to_yaml
from accord_client.raw import accord_service_pb2, health_pb2

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_UNAVAILABLE"]

#: Exit status: success.
EXIT_OK = 0
#: Exit status: the server answered with an error (NOT_FOUND, INVALID_ARGUMENT, ...).
EXIT_ERROR = 1
#: Exit status: bad command line.
EXIT_USAGE = 2
#: Exit status: the server could not be reached.
EXIT_UNAVAILABLE = 3

_COLLECTION_IDS = list(_names.COLLECTIONS)


class _UsageError(Exception):
    """A command-line mistake found after parsing (exit status 2)."""


def _add_common(p: argparse.ArgumentParser, top: bool) -> None:
    """Options accepted both before and after the command. On subcommands
    their default is SUPPRESS so that a value given before the command is
    kept."""
    d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    g = p.add_argument_group("connection and output")
    g.add_argument("-a", "--address", default=d(None), metavar="HOST:PORT",
                   help="server address (default: $ACCORD_ADDRESS or "
                        f"{_base.DEFAULT_ADDRESS})")
    g.add_argument("--token", default=d(None),
                   help="bearer token sent as 'authorization: Bearer ...' "
                        "(default: $ACCORD_TOKEN)")
    g.add_argument("--timeout", type=float, default=d(_base.DEFAULT_TIMEOUT), metavar="SECONDS",
                   help=f"deadline of each call (default: {_base.DEFAULT_TIMEOUT:g})")
    g.add_argument("--tls", action="store_true", default=d(False),
                   help="use TLS with the system's root certificates")
    g.add_argument("--ca-file", default=d(None), metavar="PEM",
                   help="use TLS, trusting this CA bundle")
    g.add_argument("--cert", default=d(None), metavar="PEM",
                   help="client certificate chain for mutual TLS (with --key)")
    g.add_argument("--key", default=d(None), metavar="PEM",
                   help="private key of --cert")
    g.add_argument("-o", "--output", choices=FORMATS, default=d("table"),
                   help="output format (default: table)")
    g.add_argument("--no-headers", action="store_true", default=d(False),
                   help="omit the header row of table and csv output")


def build_parser() -> argparse.ArgumentParser:
    """The ``accord`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Query an Accord server (accord.v1.AccordService).",
        epilog="exit status: 0 ok, 1 server error, 2 usage error, 3 server unreachable",
    )
    parser.add_argument("--version", action="version", version=f"accord {_base.VERSION}")
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "get", help="get resources by name",
        description="Get one or more resources by full resource name, e.g. "
                    "agreements/my-us-reciprocal-trade-2025, countries/my, "
                    "agreements/A/commitments/C, catalogStatus.")
    p.add_argument("names", nargs="+", metavar="NAME", help="resource name(s)")
    p.add_argument("--read-mask", metavar="PATHS",
                   help="comma-separated fields to return, e.g. name,title")
    _add_common(p, top=False)

    p = sub.add_parser(
        "list", help="list a collection",
        description="List a collection, following page tokens. Collections: "
                    + ", ".join(_COLLECTION_IDS) + ".")
    p.add_argument("collection", metavar="COLLECTION",
                   help="one of: " + ", ".join(_COLLECTION_IDS))
    p.add_argument("--filter", default="", help="AIP-160 filter, e.g. 'region = \"Asia\"'")
    p.add_argument("--order-by", default="", metavar="FIELDS",
                   help="e.g. 'sign_date desc' (default: name)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="stop after N results (default: all)")
    p.add_argument("--page-size", type=int, default=None, metavar="N",
                   help="results per RPC (default: --limit, else the server's)")
    p.add_argument("--read-mask", metavar="PATHS",
                   help="comma-separated fields to return; also picks the table columns")
    p.add_argument("--agreement", metavar="AGREEMENT",
                   help="commitments only: the parent agreement (id or name); "
                        "default: every agreement")
    _add_common(p, top=False)

    p = sub.add_parser("status", help="show the serving catalogue's status",
                       description="Show GetCatalogStatus: version, load time, record counts.")
    _add_common(p, top=False)

    p = sub.add_parser("health", help="check the server's health (grpc.health.v1)",
                       description="Ask grpc.health.v1.Health/Check; exit 0 only if SERVING.")
    p.add_argument("--service", default="", help="service to ask about (default: the server)")
    _add_common(p, top=False)
    return parser


def _read(path: str, flag: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise _UsageError(f"cannot read {flag}: {e}") from e


def _credentials(args: argparse.Namespace) -> Optional[grpc.ChannelCredentials]:
    """TLS credentials from --tls/--ca-file/--cert/--key, or None (plaintext)."""
    if bool(args.cert) != bool(args.key):
        raise _UsageError("--cert and --key go together")
    if not (args.tls or args.ca_file or args.cert):
        return None
    roots = _read(args.ca_file, "--ca-file") if args.ca_file else None
    chain = _read(args.cert, "--cert") if args.cert else None
    key = _read(args.key, "--key") if args.key else None
    return grpc.ssl_channel_credentials(root_certificates=roots, private_key=key,
                                        certificate_chain=chain)


def _max_width(out: TextIO) -> Optional[int]:
    """Clip table cells on a terminal only; pipes get full values."""
    try:
        if out.isatty():
            return max(20, min(80, shutil.get_terminal_size().columns // 2))
    except (AttributeError, ValueError):
        pass
    return None


def _mask_paths(mask: Optional[str]) -> Optional[List[str]]:
    return _names.split_paths(mask) if mask else None


def _cmd_get(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    mask = _mask_paths(args.read_mask)
    for name in args.names:
        if name.strip("/") != _names.CATALOG_STATUS_NAME and _names.collection_of(name) is None:
            raise _UsageError(
                f"not an Accord resource name: {name!r}; expected COLLECTION/ID with "
                f"COLLECTION one of {', '.join(c for c in _COLLECTION_IDS if c != 'commitments')}"
                ", or agreements/ID/commitments/ID, or catalogStatus")
    msgs = [client.get(name, read_mask=mask) for name in args.names]
    width = _max_width(out)
    if len(msgs) == 1:
        out.write(render(msgs[0], args.output, read_mask=mask, max_width=width,
                         headers=not args.no_headers))
        return EXIT_OK
    if args.output in ("json", "yaml"):
        dicts = [to_dict(m) for m in msgs]
        out.write(to_json(dicts) if args.output == "json" else to_yaml(dicts))
        return EXIT_OK
    if len({m.DESCRIPTOR.full_name for m in msgs}) == 1:
        out.write(render_many(msgs, args.output, read_mask=mask, max_width=width,
                              headers=not args.no_headers))
    else:
        for i, m in enumerate(msgs):
            if i and args.output == "table":
                out.write("\n")
            out.write(render(m, args.output, read_mask=mask, max_width=width,
                             headers=not args.no_headers))
    return EXIT_OK


def _cmd_list(client: AccordClient, args: argparse.Namespace, out: TextIO,
              err: TextIO) -> int:
    try:
        coll = _names.collection(args.collection)
    except KeyError:
        raise _UsageError(f"unknown collection {args.collection!r}; expected one of "
                          + ", ".join(_COLLECTION_IDS)) from None
    if args.agreement is not None and coll.parent is None:
        raise _UsageError("--agreement applies to 'list commitments' only")
    if args.limit is not None and args.limit < 0:
        raise _UsageError("--limit must be 0 or more")
    page_size = args.page_size
    if page_size is None:
        page_size = min(args.limit, 1000) if args.limit else 0
    mask = _mask_paths(args.read_mask)
    pager = client.list(coll.id, parent=args.agreement, filter=args.filter,
                        order_by=args.order_by, page_size=page_size, read_mask=mask)
    source: Iterable[Any] = pager
    if args.limit is not None:
        source = itertools.islice(pager, args.limit)
    items = list(source)
    resp_cls = getattr(accord_service_pb2, f"{coll.list_rpc}Response")
    item_desc = resp_cls.DESCRIPTOR.fields_by_name[coll.field].message_type
    out.write(render_many(items, args.output, descriptor=item_desc, read_mask=mask,
                          max_width=_max_width(out), headers=not args.no_headers))
    if args.output == "table":
        total = pager.total_size if args.limit != 0 else None
        if total is not None and total > len(items):
            err.write(f"({len(items)} of {total} {coll.id}; raise --limit to see more)\n")
        elif not items:
            err.write(f"(no {coll.id} found)\n")
    return EXIT_OK


def _cmd_status(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    out.write(render(client.get_catalog_status(), args.output, max_width=_max_width(out),
                     headers=not args.no_headers))
    return EXIT_OK


def _cmd_health(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    resp = client.health(args.service)
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
    if args.output == "table":
        out.write(status + "\n")
    else:
        out.write(render(resp, args.output, headers=not args.no_headers))
    return EXIT_OK if resp.status == health_pb2.HealthCheckResponse.SERVING else EXIT_ERROR


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: Optional[Sequence[str]] = None, *, stdout: Optional[TextIO] = None,
         stderr: Optional[TextIO] = None) -> int:
    """Runs the CLI and returns the exit status (the console script exits
    with it)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: usage errors are 2, --help/--version 0
        return int(e.code) if isinstance(e.code, int) else EXIT_USAGE
    address = args.address or _base.default_address()
    token = args.token or os.environ.get("ACCORD_TOKEN") or None
    client: Optional[AccordClient] = None
    try:
        if args.timeout is not None and args.timeout <= 0:
            raise _UsageError("--timeout must be positive")
        client = AccordClient(address, credentials=_credentials(args), token=token,
                              timeout=args.timeout)
        if args.command == "get":
            return _cmd_get(client, args, out)
        if args.command == "list":
            return _cmd_list(client, args, out, err)
        if args.command == "status":
            return _cmd_status(client, args, out)
        if args.command == "health":
            return _cmd_health(client, args, out)
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except _UsageError as e:
        err.write(f"accord: error: {e}\n")
        return EXIT_USAGE
    except ValueError as e:  # e.g. a malformed name caught client-side
        err.write(f"accord: error: {_one_line(str(e))}\n")
        return EXIT_USAGE
    except AccordError as e:
        if e.code == grpc.StatusCode.UNAVAILABLE and e.domain:
            # The server itself answered: shutting down, or no catalogue yet.
            err.write(f"error: {_one_line(e.summary())} (the server at {address} is not "
                      "ready; retry shortly)\n")
            return EXIT_UNAVAILABLE
        if e.code == grpc.StatusCode.UNAVAILABLE:
            err.write(f"error: cannot reach the Accord server at {address} "
                      f"({_one_line(e.summary())}); is the server running at {address}? "
                      "start it with ./scripts/run, or pass --address / set ACCORD_ADDRESS\n")
            return EXIT_UNAVAILABLE
        line = _one_line(e.summary())
        if e.code == grpc.StatusCode.DEADLINE_EXCEEDED:
            line += f" (no answer from {address} within {args.timeout:g}s; see --timeout)"
        err.write(f"error: {line}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("accord: interrupted\n")
        return 130
    except BrokenPipeError:
        # `accord list ... | head`: stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    finally:
        if client is not None:
            client.close()


def _entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
