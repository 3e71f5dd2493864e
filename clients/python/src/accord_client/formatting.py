"""Renders Accord messages as a table, JSON, YAML or CSV (used by the CLI).

* ``table``: aligned columns with an upper-case header; a single resource is
  shown as FIELD/VALUE rows.
* ``json``: the protobuf JSON mapping (``json_format``); a list is a JSON
  array.
* ``yaml``: the same data as YAML (block style; strings JSON-quoted when
  needed).
* ``csv``: a header row, then one row per resource.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from accord_client.data import _is_map, date_text, is_repeated
from accord_client.data import to_dict as _to_dict

__all__ = ["FORMATS", "DEFAULT_COLUMNS", "cell", "columns_for", "render", "render_many",
           "to_dict", "to_json", "to_yaml"]

#: The output formats.
FORMATS = ("table", "json", "yaml", "csv")

#: Table/CSV columns per message type when no read mask narrows them.
DEFAULT_COLUMNS: Dict[str, List[str]] = {
    "accord.v1.Country": ["name", "display_name", "iso_code", "region", "subregion"],
    "accord.v1.Partnership": ["name", "display_name", "parties", "current_level"],
    "accord.v1.Agreement": ["name", "short_title", "title", "kind", "state", "sign_date",
                            "parties"],
    "accord.v1.Commitment": ["name", "kind", "title", "committed_by"],
    "accord.v1.CooperationArea": ["name", "display_name", "parent"],
    "accord.v1.Sector": ["name", "display_name", "parent"],
    "accord.v1.Source": ["name", "title", "publisher", "publish_date", "kind"],
    "accord.v1.Assessment": ["name", "holder", "stance", "attributed_to", "statement"],
}


def columns_for(descriptor: Any, read_mask: Optional[Sequence[str]] = None) -> List[str]:
    """The columns for a message type: the read mask's top-level fields, or
    :data:`DEFAULT_COLUMNS`, or every field."""
    names = [f.name for f in descriptor.fields]
    if read_mask:
        cols: List[str] = []
        for path in read_mask:
            top = path.split(".")[0].strip()
            if top == "*":
                return columns_for(descriptor)
            if top in names and top not in cols:
                cols.append(top)
        if cols:
            return cols
    return list(DEFAULT_COLUMNS.get(descriptor.full_name, names))


def _date(msg: Message) -> str:
    y, m, d = getattr(msg, "year"), getattr(msg, "month"), getattr(msg, "day")
    if not y:
        return ""
    precision = getattr(msg, "precision", 0)
    # Precision: 1 YEAR, 2 MONTH, 3 DAY; unspecified: as many parts as set.
    if precision == 1 or (precision == 0 and not m):
        return f"{y:04d}"
    if precision == 2 or (precision == 0 and not d):
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _scalar(field: Any, value: Any) -> str:
    if field.type == FieldDescriptor.TYPE_ENUM:
        ev = field.enum_type.values_by_number.get(value)
        return ev.name if ev is not None else str(value)
    if field.type == FieldDescriptor.TYPE_BOOL:
        return "true" if value else "false"
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return _message_inline(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _message_inline(msg: Message) -> str:
    full = msg.DESCRIPTOR.full_name
    if full == "accord.v1.Date":
        return _date(msg)
    if full == "google.protobuf.Timestamp":
        seconds, nanos = getattr(msg, "seconds"), getattr(msg, "nanos")
        return str(getattr(msg, "ToJsonString")()) if (seconds or nanos) else ""
    if full == "google.protobuf.Duration":
        return str(getattr(msg, "ToJsonString")())
    parts = []
    for f, v in msg.ListFields():
        parts.append(f"{f.name}={_value(f, v)}")
    return " ".join(parts)


def _value(field: Any, value: Any) -> str:
    if _is_map(field):
        vf = field.message_type.fields_by_name["value"]
        return ", ".join(f"{k}={_scalar(vf, value[k])}" for k in sorted(value))
    if is_repeated(field):
        if field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.full_name not in (
                "accord.v1.Date",):
            n = len(value)
            return f"({n} {field.name})" if n else ""
        return ", ".join(_scalar(field, v) for v in value)
    return _scalar(field, value)


def cell(msg: Message, column: str) -> str:
    """One field of ``msg`` as table/CSV text ("" when unset)."""
    field = msg.DESCRIPTOR.fields_by_name.get(column)
    if field is None:
        return ""
    if field.has_presence and not msg.HasField(column):
        return ""
    return _value(field, getattr(msg, column))


def _details(msg: Message) -> List[List[str]]:
    """FIELD/VALUE rows for one message; repeated messages one per line."""
    rows: List[List[str]] = []
    for field, value in msg.ListFields():
        if (is_repeated(field)
                and field.type == FieldDescriptor.TYPE_MESSAGE and not _is_map(field)):
            for i, item in enumerate(value):
                rows.append([field.name if i == 0 else "", "- " + _message_inline(item)])
        else:
            rows.append([field.name, _value(field, value)])
    return rows


_CTRL = re.compile(r"[\r\n\t]+")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]],
           max_width: Optional[int]) -> str:
    def clip(s: str) -> str:
        s = _CTRL.sub(" ", s)
        if max_width is not None and len(s) > max_width:
            return s[: max_width - 1] + "…"
        return s

    body = [[clip(c) for c in r] for r in rows]
    head = [h.upper() for h in header]
    widths = [len(h) for h in head]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    lines = []
    for r in [head] + body:
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n"


def to_dict(msg: Message, *, proto_names: bool = True,
            emit_defaults: bool = False) -> Dict[str, Any]:
    """:func:`accord_client.data.to_dict` (snake_case keys, numbers as numbers)."""
    return _to_dict(msg, proto_names=proto_names, emit_defaults=emit_defaults)


def to_json(value: Any) -> str:
    """JSON text, indented, non-ASCII kept."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _yaml_scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    s = str(v)
    if (s == "" or s.strip() != s or s.lower() in ("true", "false", "null", "yes", "no", "~")
            or re.search(r"[:#\[\]{},&*!|>'\"%@`\n]", s) or s[0] in "-?"
            or re.fullmatch(r"[-+.\d][\d.eE+-]*", s)):
        return json.dumps(s, ensure_ascii=False)
    return s


def _yaml(value: Any, indent: int = 0) -> List[str]:
    pad = "  " * indent
    lines: List[str] = []
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines += _yaml(v, indent + 1)
            else:
                lines.append(f"{pad}{k}: " + ("{}" if v == {} else "[]" if v == []
                                              else _yaml_scalar(v)))
    elif isinstance(value, list):
        if not value:
            return [pad + "[]"]
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub = _yaml(item, indent + 1)
                lines.append(f"{pad}- " + sub[0].lstrip())
                lines += sub[1:]
            else:
                lines.append(f"{pad}- " + _yaml_scalar(item))
    else:
        lines.append(pad + _yaml_scalar(value))
    return lines


def to_yaml(value: Any) -> str:
    """Dumps dicts/lists/scalars (as from ``MessageToDict``) as block YAML."""
    return "\n".join(_yaml(value)) + "\n"


def render(msg: Message, fmt: str = "table", *, read_mask: Optional[Sequence[str]] = None,
           max_width: Optional[int] = None, headers: bool = True) -> str:
    """Renders one message (a Get's answer, the catalogue status, ...)."""
    if fmt == "json":
        return to_json(to_dict(msg))
    if fmt == "yaml":
        return to_yaml(to_dict(msg))
    if fmt == "csv":
        return render_many([msg], "csv", read_mask=read_mask, headers=headers)
    if fmt == "table":
        rows = _details(msg)
        if read_mask:
            keep = set(columns_for(msg.DESCRIPTOR, read_mask))
            rows = [r for r in rows if r[0] in keep or r[0] == ""]
        if not headers:
            return _table(["", ""], rows, max_width).split("\n", 1)[1]
        return _table(["field", "value"], rows, max_width)
    raise ValueError(f"unknown output format {fmt!r}")


def render_many(msgs: Sequence[Message], fmt: str = "table", *,
                descriptor: Any = None, read_mask: Optional[Sequence[str]] = None,
                max_width: Optional[int] = None, headers: bool = True) -> str:
    """Renders a list of messages of one type (a List's answer)."""
    if fmt == "json":
        return to_json([to_dict(m) for m in msgs])
    if fmt == "yaml":
        return to_yaml([to_dict(m) for m in msgs]) if msgs else "[]\n"
    desc = descriptor if descriptor is not None else (msgs[0].DESCRIPTOR if msgs else None)
    if desc is None:
        return ""
    cols = columns_for(desc, read_mask)
    rows = [[cell(m, c) for c in cols] for m in msgs]
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        if headers:
            w.writerow(cols)
        w.writerows(rows)
        return out.getvalue()
    if fmt == "table":
        text = _table(cols, rows, max_width)
        return text if headers else text.split("\n", 1)[1]
    raise ValueError(f"unknown output format {fmt!r}")
