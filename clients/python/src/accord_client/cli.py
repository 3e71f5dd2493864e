"""``accord``: query an Accord server from the command line.

::

    accord get agreements/my-us-reciprocal-trade-2025
    accord get my-us-reciprocal-trade-2025            # a bare id: looked up in every collection
    accord list agreements --filter 'parties:"countries/my"' --order-by "sign_date desc"
    accord list commitments --agreement my-us-reciprocal-trade-2025 -o json
    accord list countries --limit 5 --select name,display_name -o csv
    accord list agreements --as-of 2020-06-01         # as the world stood then
    accord get partnerships/my-us --as-of 2020
    accord search "critical minerals" --collection agreements
    accord count agreements --by year,kind
    accord watch agreements --filter 'kind = TRADE_AGREEMENT' -o json   # one line per event
    accord fields agreements
    accord status -o json
    accord health
    accord completion bash > /etc/bash_completion.d/accord

Options may come before or after the command. The server address is
``--address`` (``host:port``, ``http://host:port`` or ``https://host:port``),
else ``$ACCORD_ADDRESS``, else ``127.0.0.1:50051``; a bearer token is
``--token`` or ``$ACCORD_TOKEN``; TLS is ``--tls`` or an ``https://`` address
(system roots) or ``--ca-file``, and mutual TLS adds ``--cert``/``--key``.

Tables fit the terminal: the NAME column is never clipped, long text columns
shrink first (``-o wide`` shows every field, unclipped). ``--limit 0`` means
no limit. No colour is used, so ``NO_COLOR`` needs no support.

Exit status: 0 success; 1 the server answered with an error; 2 bad usage
(including mistakes the client catches before calling); 3 the server could
not be reached (UNAVAILABLE).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from typing import Any, Dict, Iterable, List, NoReturn, Optional, Sequence, TextIO

import grpc
from google.protobuf.message import Message

from accord_client import _base
from accord_client._version import VERSION
from accord_client import names as _names
from accord_client import reasons as _reasons
from accord_client import schema as _schema
from accord_client.client import AccordClient
from accord_client.errors import AccordError, NotFoundError
from accord_client.formatting import (FORMATS, parse_path, render, render_many, to_dict,
                                      to_json, to_yaml)
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
_COMMANDS = ("get", "list", "search", "count", "watch", "fields", "status", "health", "completion")
_SHELLS = ("bash", "zsh", "fish")
#: Filter errors whose ErrorInfo metadata carries a byte offset into the filter.
_OFFSET_REASONS = {_reasons.FILTER_SYNTAX, _reasons.UNKNOWN_FIELD, _reasons.TYPE_MISMATCH,
                   _reasons.FILTER_TOO_COMPLEX, _reasons.INVALID_ORDER_BY}
#: How long the CLI retries an unreachable server before giving up.
CLI_RETRY_SECONDS = 2.0


class _UsageError(Exception):
    """A command-line mistake found after parsing (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for collections left to the commands."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_common(p: argparse.ArgumentParser, top: bool) -> None:
    """Options accepted both before and after the command. On subcommands
    their default is SUPPRESS so that a value given before the command is
    kept."""
    d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    g = p.add_argument_group("connection and output")
    g.add_argument("-a", "--address", default=d(None), metavar="ADDRESS",
                   help="HOST:PORT, http://HOST:PORT (plaintext) or https://HOST:PORT (TLS) "
                        f"(default: $ACCORD_ADDRESS or {_base.DEFAULT_ADDRESS})")
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
                   help="output format (default: table; wide: every field, unclipped; "
                        "name: resource names only)")
    g.add_argument("--select", default=d(None), metavar="PATHS",
                   help="comma-separated field paths to show, jq-style: name,sign_date,"
                        "events[0].date,events[*].type (table/csv columns, json/yaml keys)")
    g.add_argument("--emit-defaults", action="store_true", default=d(False),
                   help="json/yaml/table: include unset fields with their default values")
    g.add_argument("--proto-names", action=argparse.BooleanOptionalAction, default=d(True),
                   help="json/yaml keys as in the .proto (sign_date; the default) or, with "
                        "--no-proto-names, lowerCamelCase as in the proto3 JSON mapping")
    g.add_argument("--no-headers", action="store_true", default=d(False),
                   help="omit the header row of table and csv output")


def build_parser() -> argparse.ArgumentParser:
    """The ``accord`` argument parser."""
    parser = _Parser(
        prog="accord",
        description="Query an Accord server (accord.v1.AccordService).",
        epilog="exit status: 0 ok, 1 server error, 2 usage error, 3 server unreachable",
    )
    parser.add_argument("--version", action="version", version=f"accord {VERSION}")
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "get", help="get resources by name",
        description="Get one or more resources by name, e.g. "
                    "agreements/my-us-reciprocal-trade-2025, countries/my, "
                    "agreements/A/commitments/C, catalogStatus; a bare id is looked up in "
                    "every top-level collection.")
    p.add_argument("names", nargs="+", metavar="NAME", help="resource name(s) or id(s)")
    p.add_argument("--read-mask", metavar="PATHS",
                   help="comma-separated fields to return, e.g. name,title")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="agreements and partnerships: as they stood at the end of DATE "
                        "(YYYY, YYYY-MM or YYYY-MM-DD)")
    _add_common(p, top=False)

    p = sub.add_parser(
        "list", help="list a collection",
        description="List a collection, following page tokens. Collections: "
                    + ", ".join(_COLLECTION_IDS) + ".")
    p.add_argument("collection", metavar="COLLECTION",
                   help="one of: " + ", ".join(_COLLECTION_IDS))
    p.add_argument("--filter", default="",
                   help="AIP-160 filter, e.g. 'region = \"Asia\"' (fields: accord fields "
                        "COLLECTION)")
    p.add_argument("--order-by", default="", metavar="FIELDS",
                   help="e.g. 'sign_date desc' (default: name)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="stop after N results (default, or 0: no limit)")
    p.add_argument("--page-size", type=int, default=None, metavar="N",
                   help="results per RPC, 1 to 1000 (default: --limit, else the server's)")
    p.add_argument("--read-mask", metavar="PATHS",
                   help="comma-separated fields to return; also picks the table columns")
    p.add_argument("--agreement", metavar="AGREEMENT",
                   help="commitments only: the parent agreement (id or name); "
                        "default: every agreement")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="agreements and partnerships: as they stood at the end of DATE "
                        "(YYYY, YYYY-MM or YYYY-MM-DD); those not yet signed are left out")
    _add_common(p, top=False)

    p = sub.add_parser(
        "search", help="search the text of every collection",
        description="Search titles, summaries, descriptions, commitments' texts and evidence "
                    "quotes, best first (BM25, stemming, \"phrases\", AND/OR/NOT, prefix*). "
                    "Snippets mark matches with <mark>...</mark>. See docs/search.md.")
    p.add_argument("query", metavar="QUERY", help='e.g. "critical minerals" or \'"open the door"\'')
    p.add_argument("--collection", action="append", default=None, metavar="COLLECTION",
                   help="search only this collection (repeat, or comma-separate, for more; "
                        "default: every collection)")
    p.add_argument("--filter", default="",
                   help="AIP-160 filter over the one --collection, e.g. 'legally_binding = true'")
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help="stop after N results (default: 20; 0: no limit)")
    p.add_argument("--page-size", type=int, default=None, metavar="N",
                   help="results per RPC, 1 to 100 (default: --limit, else the server's)")
    _add_common(p, top=False)

    p = sub.add_parser(
        "count", help="count records by group",
        description="Count the records of a collection that match --filter, grouped by one or "
                    "two fields, e.g. --by year,kind (year: the signing year). See "
                    "docs/counts.md.")
    p.add_argument("collection", metavar="COLLECTION",
                   help="one of: " + ", ".join(_COLLECTION_IDS))
    p.add_argument("--by", required=True, metavar="FIELDS",
                   help="one or two comma-separated fields: kind, state, parties, "
                        "cooperation_areas, sectors, sign_date.year (or year), ...")
    p.add_argument("--filter", default="", help="AIP-160 filter over the collection")
    _add_common(p, top=False)

    p = sub.add_parser(
        "watch", help="stream a collection and its changes, one line per event",
        description="Stream the records of a collection (the snapshot, then a "
                    "SNAPSHOT_COMPLETE line) and then every record a reload adds, changes or "
                    "removes, one line per event, until interrupted (Ctrl-C) or --limit. "
                    "Resumes by itself after a dropped connection. See docs/watch.md.")
    p.add_argument("collection", metavar="COLLECTION",
                   help="one of: " + ", ".join(_COLLECTION_IDS) + "; or - for every collection")
    p.add_argument("--filter", default="", help="AIP-160 filter over the collection")
    p.add_argument("--no-snapshot", action="store_true",
                   help="start with the changes after the current version")
    p.add_argument("--resume-token", default="", metavar="TOKEN",
                   help="continue after the event that printed this token (-o json)")
    p.add_argument("--heartbeat-interval", type=float, default=None, metavar="SECONDS",
                   help="idle seconds before the server sends a heartbeat, 1 to 600 (default: 30)")
    p.add_argument("--heartbeats", action="store_true", help="print heartbeats too")
    p.add_argument("--limit", type=int, default=0, metavar="N",
                   help="stop after N record events (default: 0, no limit)")
    _add_common(p, top=False)

    p = sub.add_parser("fields", help="list the fields a collection's filter can use",
                       description="List the fields of a collection that --filter and "
                                   "--order-by can use, with type, repeated and sortable.")
    p.add_argument("collection", metavar="COLLECTION",
                   help="one of: " + ", ".join(_COLLECTION_IDS))
    _add_common(p, top=False)

    p = sub.add_parser("status", help="show the serving catalogue's status",
                       description="Show GetCatalogStatus: version, load time, record counts.")
    _add_common(p, top=False)

    p = sub.add_parser("health", help="check the server's health (grpc.health.v1)",
                       description="Ask grpc.health.v1.Health/Check; exit 0 only if SERVING.")
    p.add_argument("--service", default="", help="service to ask about (default: the server)")
    _add_common(p, top=False)

    p = sub.add_parser("completion", help="print a shell completion script",
                       description="Print a completion script for bash, zsh or fish, e.g. "
                                   "'source <(accord completion bash)'.")
    p.add_argument("shell", choices=_SHELLS)
    return parser


def _read(path: str, flag: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise _UsageError(f"cannot read {flag}: {e}") from e


def _credentials(args: argparse.Namespace, tls_url: Optional[bool]
                 ) -> Optional[grpc.ChannelCredentials]:
    """TLS credentials from --tls/--ca-file/--cert/--key or an https://
    address, or None (plaintext)."""
    if bool(args.cert) != bool(args.key):
        raise _UsageError("--cert and --key go together")
    wants_tls = args.tls or args.ca_file or args.cert
    if tls_url is False and wants_tls:
        raise _UsageError("an http:// address is plaintext; use https:// with TLS options")
    if not (wants_tls or tls_url):
        return None
    roots = _read(args.ca_file, "--ca-file") if args.ca_file else None
    chain = _read(args.cert, "--cert") if args.cert else None
    key = _read(args.key, "--key") if args.key else None
    return grpc.ssl_channel_credentials(root_certificates=roots, private_key=key,
                                        certificate_chain=chain)


def terminal_width(out: TextIO) -> Optional[int]:
    """The width tables are fitted to: the terminal's, or ``$COLUMNS`` when
    set; None (no fitting) for pipes and files."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    try:
        if out.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


def _paths(text: Optional[str]) -> Optional[List[str]]:
    return _names.split_paths(text) if text else None


def _select(args: argparse.Namespace) -> Optional[List[str]]:
    paths = _paths(args.select)
    for p in paths or ():
        try:
            parse_path(p)
        except ValueError as e:
            raise _UsageError(f"--select: {e}") from None
    return paths


def _out_kw(args: argparse.Namespace, out: TextIO) -> dict:  # type: ignore[type-arg]
    return dict(width=terminal_width(out), headers=not args.no_headers,
                select_paths=_select(args), proto_names=args.proto_names,
                emit_defaults=args.emit_defaults)


def _has_as_of(coll: _names.Collection) -> bool:
    return "as_of" in getattr(accord_service_pb2,
                              f"{coll.get_rpc}Request").DESCRIPTOR.fields_by_name


def _resolve_bare_id(client: AccordClient, ident: str, mask: Optional[List[str]],
                     as_of: Optional[str] = None) -> Message:
    """Gets the one resource whose id is ``ident``, in any top-level collection
    (with ``as_of``: of those that can answer as of a date)."""
    found: List[Message] = []
    for coll in _names.COLLECTIONS.values():
        if coll.parent is not None or (as_of is not None and not _has_as_of(coll)):
            continue
        try:
            found.append(client.get(f"{coll.id}/{ident}", read_mask=mask, as_of=as_of))
        except NotFoundError:
            continue
        except AccordError as e:
            if e.reason == _reasons.INVALID_NAME:
                continue
            raise
    if not found:
        raise _UsageError(f"no resource has the id {ident!r} in any collection; give a full "
                          "name such as agreements/ID")
    if len(found) > 1:
        raise _UsageError(f"the id {ident!r} is ambiguous: "
                          + ", ".join(getattr(m, "name") for m in found)
                          + "; give the full name")
    return found[0]


def _cmd_get(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    mask = _paths(args.read_mask)
    msgs: List[Message] = []
    for name in args.names:
        if name.strip("/") == _names.CATALOG_STATUS_NAME or _names.collection_of(name):
            msgs.append(client.get(name, read_mask=mask, as_of=args.as_of))
        elif "/" not in name.strip("/"):
            msgs.append(_resolve_bare_id(client, name.strip("/"), mask, args.as_of))
        else:
            first = name.strip("/").split("/")[0]
            guess = _base.suggest_collection(first)
            hint = f"; did you mean {guess}/…?" if guess and guess != first else ""
            raise _UsageError(
                f"not an Accord resource name: {name!r}{hint} Expected COLLECTION/ID with "
                f"COLLECTION one of {', '.join(c for c in _COLLECTION_IDS if c != 'commitments')}"
                ", or agreements/ID/commitments/ID, or catalogStatus, or a bare ID")
    kw = _out_kw(args, out)
    kinds = {m.DESCRIPTOR.full_name for m in msgs}
    if args.output == "csv" and len(kinds) > 1:
        raise _UsageError("-o csv holds one collection, but these names span "
                          + ", ".join(sorted(k.split(".")[-1] for k in kinds))
                          + "; use -o json or yaml, or one get per collection")
    if len(msgs) == 1:
        out.write(render(msgs[0], args.output, read_mask=mask, **kw))
        return EXIT_OK
    if args.output in ("json", "yaml", "name") or len(kinds) == 1:
        out.write(render_many(msgs, args.output, read_mask=mask, **kw))
        return EXIT_OK
    for i, m in enumerate(msgs):
        if i:
            out.write("\n")
        out.write(render(m, args.output, read_mask=mask, **kw))
    return EXIT_OK


def _cmd_list(client: AccordClient, args: argparse.Namespace, out: TextIO,
              err: TextIO) -> int:
    coll = _base.collection(args.collection)
    if args.agreement is not None and coll.parent is None:
        raise _UsageError("--agreement applies to 'list commitments' only")
    if args.limit is not None and args.limit < 0:
        raise _UsageError("--limit must be 0 (no limit) or more")
    if args.page_size is not None and not 1 <= args.page_size <= 1000:
        raise _UsageError("--page-size must be 1 to 1000")
    limit = args.limit or None  # 0: no limit
    page_size = args.page_size
    if page_size is None:
        page_size = min(limit, 1000) if limit else 0
    mask = _paths(args.read_mask)
    pager = client.list(coll.id, parent=args.agreement, filter=args.filter,
                        order_by=args.order_by, page_size=page_size, read_mask=mask,
                        as_of=args.as_of)
    source: Iterable[Any] = pager if limit is None else itertools.islice(pager, limit)
    items = list(source)
    resp_cls = getattr(accord_service_pb2, f"{coll.list_rpc}Response")
    item_desc = resp_cls.DESCRIPTOR.fields_by_name[coll.field].message_type
    hidden: List[str] = []
    out.write(render_many(items, args.output, descriptor=item_desc, read_mask=mask,
                          hidden=hidden, **_out_kw(args, out)))
    if hidden:
        err.write(f"(hidden to fit the terminal: {', '.join(hidden)}; -o wide or --select "
                  "shows them)\n")
    if args.output in ("table", "wide"):
        total = pager.total_size
        if total > len(items):
            err.write(f"({len(items)} of {total} {coll.id}; raise --limit to see more)\n")
        elif not items:
            err.write(f"(no {coll.id} found)\n")
    return EXIT_OK


def _cmd_search(client: AccordClient, args: argparse.Namespace, out: TextIO,
                err: TextIO) -> int:
    if args.limit < 0:
        raise _UsageError("--limit must be 0 (no limit) or more")
    if args.page_size is not None and not 1 <= args.page_size <= 100:
        raise _UsageError("--page-size must be 1 to 100")
    limit = args.limit or None
    page_size = args.page_size if args.page_size is not None else min(limit or 0, 100)
    colls = ",".join(args.collection or [])
    pager = client.search(args.query, collections=colls or None, filter=args.filter,
                          page_size=page_size)
    items = list(pager if limit is None else itertools.islice(pager, limit))
    desc = accord_service_pb2.SearchResponse.Result.DESCRIPTOR
    if args.output in ("table", "wide"):
        # One line per result: the snippet's line breaks become spaces.
        flat = []
        for r in items:
            c = type(r)()
            c.CopyFrom(r)
            c.snippet = " ".join(r.snippet.split())
            c.score = round(r.score, 3)
            flat.append(c)
        items = flat
    hidden: List[str] = []
    out.write(render_many(items, args.output, descriptor=desc, hidden=hidden,
                          **_out_kw(args, out)))
    if hidden:
        err.write(f"(hidden to fit the terminal: {', '.join(hidden)}; -o wide or --select "
                  "shows them)\n")
    if args.output in ("table", "wide"):
        total = pager.total_size
        if total > len(items):
            err.write(f"({len(items)} of {total} results; raise --limit to see more)\n")
        elif not items:
            err.write("(no results)\n")
    return EXIT_OK


def _cmd_count(client: AccordClient, args: argparse.Namespace, out: TextIO,
               err: TextIO) -> int:
    coll = _base.collection(args.collection)
    group_by = _base.group_by_fields(coll, args.by)
    resp = client.count(coll.id, group_by, filter=args.filter)
    if args.output in ("json", "yaml"):
        data = to_dict(resp, proto_names=args.proto_names, emit_defaults=True)
        out.write(to_json(data) if args.output == "json" else to_yaml(data))
        return EXIT_OK
    rows = [list(g.values) + [str(g.count)] for g in resp.groups]
    header = group_by + ["count"]
    if args.output == "name":
        out.write("".join("\t".join(r[:-1]) + "\n" for r in rows))
        return EXIT_OK
    if args.output == "csv":
        import csv
        import io
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if not args.no_headers:
            w.writerow(header)
        w.writerows(rows)
        out.write(buf.getvalue())
        return EXIT_OK
    from accord_client.formatting import _table
    text = _table([h.upper() for h in header], rows, None,
                  None if args.output == "wide" else terminal_width(out), fixed=(0,))
    out.write(text if not args.no_headers else text.split("\n", 1)[1])
    err.write(f"({resp.total_size} {coll.id} match"
              + ("; a record with several values counts in each of their groups"
                 if any(_schema_repeated(coll.id, f) for f in group_by) else "") + ")\n")
    return EXIT_OK


def _cmd_watch(client: AccordClient, args: argparse.Namespace, out: TextIO,
               err: TextIO) -> int:
    """One line per event, flushed as it comes: ``TYPE NAME VERSION`` (table,
    wide), JSON Lines (json: with the resource and, where set, the resume
    token), YAML documents, CSV rows, or names."""
    if args.limit < 0:
        raise _UsageError("--limit must be 0 (no limit) or more")
    from accord_client.retry import Retry
    events = client.watch(args.collection, filter=args.filter, snapshot=not args.no_snapshot,
                          resume_token=args.resume_token,
                          heartbeat_interval=args.heartbeat_interval,
                          heartbeats=args.heartbeats, retry=Retry(deadline=60.0))
    if args.output == "csv" and not args.no_headers:
        out.write("type,name,catalog_version\n")
    elif args.output in ("table", "wide") and not args.no_headers:
        out.write(f"{'TYPE':<17} {'NAME':<40} VERSION\n")
    out.flush()
    seen = 0
    try:
        for e in events:
            if args.output == "json" or args.output == "yaml":
                data: Dict[str, Any] = {"type": e.type, "name": e.name,
                                        "catalog_version": e.catalog_version}
                if e.resource is not None:
                    data["resource"] = to_dict(e.resource, proto_names=args.proto_names,
                                               emit_defaults=args.emit_defaults)
                if e.resume_token:
                    data["resume_token"] = e.resume_token
                if args.output == "json":
                    out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
                else:
                    out.write("---\n" + to_yaml(data))
            elif args.output == "name":
                if e.name:
                    out.write(e.name + "\n")
            elif args.output == "csv":
                out.write(f"{e.type},{e.name},{e.catalog_version}\n")
            else:
                out.write(f"{e.type:<17} {e.name or '-':<40} {e.catalog_version}\n")
            out.flush()
            if e.name:
                seen += 1
                if args.limit and seen >= args.limit:
                    break
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
    return EXIT_OK


def _schema_repeated(collection_id: str, path: str) -> bool:
    """Whether ``path`` (without ``.year``) is a repeated field of the collection."""
    base = path[:-5] if path.endswith(".year") else path
    return any(f.path == base and f.repeated for f in _schema.fields(collection_id))


def _cmd_fields(args: argparse.Namespace, out: TextIO) -> int:
    coll = _base.collection(args.collection)
    fields = _schema.fields(coll.id)
    if args.output in ("json", "yaml"):
        data = [{"path": f.path, "type": f.type, "values": list(f.values),
                 "repeated": f.repeated, "sortable": f.sortable} for f in fields]
        out.write(to_json(data) if args.output == "json" else to_yaml(data))
        return EXIT_OK
    if args.output == "name":
        out.write("".join(f.path + "\n" for f in fields))
        return EXIT_OK
    rows = [[f.path, f.type_text, "yes" if f.repeated else "", "yes" if f.sortable else ""]
            for f in fields]
    if args.output == "csv":
        import csv
        import io
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if not args.no_headers:
            w.writerow(["field", "type", "repeated", "sortable"])
        w.writerows(rows)
        out.write(buf.getvalue())
        return EXIT_OK
    from accord_client.formatting import _table
    text = _table(["field", "type", "repeated", "sortable"], rows, None,
                  None if args.output == "wide" else terminal_width(out), fixed=(0,))
    out.write(text if not args.no_headers else text.split("\n", 1)[1])
    return EXIT_OK


def _cmd_status(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    out.write(render(client.get_catalog_status(), args.output, **_out_kw(args, out)))
    return EXIT_OK


def _cmd_health(client: AccordClient, args: argparse.Namespace, out: TextIO) -> int:
    resp = client.health(args.service)
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
    if args.output in ("table", "wide", "name"):
        out.write(status + "\n")
    else:
        out.write(render(resp, args.output, **_out_kw(args, out)))
    return EXIT_OK if resp.status == health_pb2.HealthCheckResponse.SERVING else EXIT_ERROR


def completion_script(shell: str) -> str:
    """A completion script for ``bash``, ``zsh`` or ``fish``: commands,
    options, output formats and collection ids."""
    parser = build_parser()
    opts = sorted({o for a in parser._actions for o in a.option_strings if o.startswith("--")}
                  | {"--filter", "--order-by", "--limit", "--page-size", "--read-mask",
                     "--agreement", "--service", "--as-of", "--collection", "--by"})
    cmds, colls, fmts = " ".join(_COMMANDS), " ".join(_COLLECTION_IDS), " ".join(FORMATS)
    if shell == "bash":
        return f"""# bash completion for accord; load with: source <(accord completion bash)
_accord() {{
  local cur prev cmd i
  cur="${{COMP_WORDS[COMP_CWORD]}}"
  prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${{COMP_WORDS[i]}}" in {"|".join(_COMMANDS)}) cmd="${{COMP_WORDS[i]}}"; break;; esac
  done
  case "$prev" in
    -o|--output) COMPREPLY=($(compgen -W "{fmts}" -- "$cur")); return;;
    --ca-file|--cert|--key) COMPREPLY=($(compgen -f -- "$cur")); return;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "{' '.join(opts)}" -- "$cur")); return
  fi
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "{cmds}" -- "$cur"));;
    list|fields|count|watch) COMPREPLY=($(compgen -W "{colls}" -- "$cur"));;
    get) COMPREPLY=($(compgen -W "{' '.join(c + '/' for c in _COLLECTION_IDS if c != 'commitments')} catalogStatus" -- "$cur")); compopt -o nospace 2>/dev/null;;
    completion) COMPREPLY=($(compgen -W "{' '.join(_SHELLS)}" -- "$cur"));;
  esac
}}
complete -F _accord accord
"""
    if shell == "zsh":
        return f"""#compdef accord
# zsh completion for accord; load with: source <(accord completion zsh)
_accord() {{
  local -a commands collections formats
  commands=({cmds})
  collections=({colls})
  formats=({fmts})
  if [[ $words[CURRENT-1] == (-o|--output) ]]; then
    compadd -a formats; return
  fi
  if [[ $words[CURRENT] == -* ]]; then
    compadd -- {' '.join(opts)}; return
  fi
  if (( CURRENT == 2 )); then
    compadd -a commands; return
  fi
  case $words[2] in
    list|fields|count|watch) compadd -a collections;;
    completion) compadd {' '.join(_SHELLS)};;
  esac
}}
compdef _accord accord
"""
    lines = ["# fish completion for accord; load with: accord completion fish | source",
             "complete -c accord -f"]
    for c in _COMMANDS:
        lines.append(f"complete -c accord -n '__fish_use_subcommand' -a {c}")
    lines.append(f"complete -c accord -n '__fish_seen_subcommand_from list fields count watch' "
                 f"-a '{colls}'")
    lines.append(f"complete -c accord -n '__fish_seen_subcommand_from completion' "
                 f"-a '{' '.join(_SHELLS)}'")
    lines.append(f"complete -c accord -s o -l output -x -a '{fmts}'")
    for o in opts:
        if o not in ("--output",):
            lines.append(f"complete -c accord -l {o[2:]}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def char_column(text: str, byte_offset: int) -> int:
    """The 0-based character index of a 0-based UTF-8 byte offset into ``text``."""
    raw = text.encode("utf-8")
    return len(raw[:max(0, byte_offset)].decode("utf-8", errors="ignore"))


def _caret(e: AccordError, args: argparse.Namespace) -> List[str]:
    """Two lines showing where in the filter (or order_by) the error is."""
    if e.reason not in _OFFSET_REASONS or "offset" not in e.metadata:
        return []
    fields = {f for f, _ in e.field_violations}
    flag, text = ("--order-by", getattr(args, "order_by", "")) if "order_by" in fields else (
        "--filter", getattr(args, "filter", ""))
    if not text or not e.metadata["offset"].lstrip("-").isdigit():
        return []
    col = char_column(text, int(e.metadata["offset"]))
    prefix = f"  {flag} "
    return [f"{prefix}{text}", " " * (len(prefix) + col) + f"^ (character {col + 1})"]


def _connection_hint(e: AccordError, address: str, tls: bool) -> str:
    """Why an UNAVAILABLE without server details probably happened."""
    low = e.message.lower()
    start_hint = (f"cannot reach the Accord server at {address}; is the server running at "
                  f"{address}? start it with ./scripts/run, or pass --address / set "
                  "ACCORD_ADDRESS")
    if "dns resolution failed" in low or "name or service not known" in low:
        return (f"cannot resolve the host of {address!r}; give --address as HOST:PORT, "
                "http://HOST:PORT or https://HOST:PORT")
    if "connection refused" in low:
        return start_hint
    if any(k in low for k in ("ssl", "tls handshake", "certificate", "wrong_version")):
        if "wrong_version_number" not in low and ("certificate verify failed" in low
                                                  or "certificate_verify_failed" in low):
            return (f"the TLS certificate of {address} is not trusted; pass --ca-file with "
                    "its CA")
        if tls:
            return (f"the TLS handshake with {address} failed; the server may not use TLS: "
                    "try without --tls/--ca-file, or with an http:// address")
        return f"the connection to {address} failed in TLS; check --tls/--ca-file"
    if not tls and any(k in low for k in ("socket closed", "connection reset", "eof",
                                          "end of file", "protocol error", "frame")):
        return (f"{address} closed the connection; if the server uses TLS, pass --tls, "
                "--ca-file or an https:// address")
    if "failed to connect" in low or "handshaker shutdown" in low:
        return start_hint
    return f"cannot reach the Accord server at {address}"


def _quiet_stdout() -> None:
    """After a broken pipe: send what is left of stdout nowhere, so that
    Python does not complain when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Optional[Sequence[str]] = None, *, stdout: Optional[TextIO] = None,
         stderr: Optional[TextIO] = None) -> int:
    """Runs the CLI and returns the exit status (the console script exits
    with it)."""
    try:
        return _main(argv, stdout, stderr)
    except BrokenPipeError:
        # `accord list ... | head`, `accord --help | true`: stop quietly.
        _quiet_stdout()
        return EXIT_OK


def _main(argv: Optional[Sequence[str]], stdout: Optional[TextIO],
          stderr: Optional[TextIO]) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: usage errors are 2, --help/--version 0
        sys.stdout.flush()
        return int(e.code) if isinstance(e.code, int) else EXIT_USAGE
    if args.command == "completion":
        out.write(completion_script(args.shell))
        return EXIT_OK
    address = args.address or _base.default_address()
    token = args.token or os.environ.get("ACCORD_TOKEN") or None
    client: Optional[AccordClient] = None
    tls = False
    try:
        if args.command == "fields":
            return _cmd_fields(args, out)
        if args.timeout is not None and args.timeout <= 0:
            raise _UsageError("--timeout must be positive")
        _, tls_url = _base.target(address)
        creds = _credentials(args, tls_url)
        tls = creds is not None
        from accord_client.retry import Retry
        client = AccordClient(address, credentials=creds, token=token, timeout=args.timeout,
                              retry=Retry(deadline=min(CLI_RETRY_SECONDS, args.timeout)))
        if args.command == "get":
            return _cmd_get(client, args, out)
        if args.command == "list":
            return _cmd_list(client, args, out, err)
        if args.command == "search":
            return _cmd_search(client, args, out, err)
        if args.command == "count":
            return _cmd_count(client, args, out, err)
        if args.command == "watch":
            return _cmd_watch(client, args, out, err)
        if args.command == "status":
            return _cmd_status(client, args, out)
        if args.command == "health":
            return _cmd_health(client, args, out)
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except _UsageError as e:
        err.write(f"accord: error: {e}\n")
        return EXIT_USAGE
    except ValueError as e:  # e.g. csv of mixed collections
        err.write(f"accord: error: {_one_line(str(e))}\n")
        return EXIT_USAGE
    except AccordError as e:
        if e.domain == _reasons.CLIENT_DOMAIN:  # caught before calling: a usage error
            msg = e.message.replace("page_size", "--page-size")
            err.write(f"accord: error: {_one_line(msg)}\n")
            return EXIT_USAGE
        if e.code == grpc.StatusCode.UNAVAILABLE and e.domain:
            # The server itself answered: shutting down, or no catalogue yet.
            err.write(f"error: {_one_line(e.summary())} (the server at {address} is not "
                      "ready; retry shortly)\n")
            return EXIT_UNAVAILABLE
        if e.code == grpc.StatusCode.UNAVAILABLE:
            err.write(f"error: {_connection_hint(e, address, tls)} "
                      f"({_one_line(e.summary())})\n")
            return EXIT_UNAVAILABLE
        line = _one_line(e.summary())
        if e.code == grpc.StatusCode.DEADLINE_EXCEEDED:
            line += f" (no answer from {address} within {args.timeout:g}s; see --timeout)"
        err.write(f"error: {line}\n")
        for extra in _caret(e, args):
            err.write(extra + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("accord: interrupted\n")
        return 130
    finally:
        if client is not None:
            client.close()


def _entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
