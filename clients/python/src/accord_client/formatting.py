"""Renders Accord messages as a table, JSON, YAML, CSV or names (used by the CLI).

* ``table``: aligned columns with an upper-case header, fitted to ``width``
  (the terminal's): the NAME column is never clipped; the widest other
  columns (long text) shrink first, their cells ending in "…". A single
  resource is shown as FIELD/VALUE rows.
* ``wide``: a table of every top-level field, never clipped.
* ``name``: one resource name per line.
* ``json``: :func:`accord_client.data.to_dict` (snake_case keys unless
  ``proto_names=False``, numbers as numbers, enums by name, dates with their
  precision); a list is a JSON array.
* ``yaml``: the same data as YAML (block style; strings JSON-quoted when
  needed).
* ``csv``: a header row, then one row per resource (one collection only).

``select`` paths (``name``, ``sign_date``, ``events[0].date``,
``events[*].date``, ``record_counts.agreements``) pick the columns of
table/csv output and the keys of json/yaml output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from accord_client.data import _is_map, date_text, is_repeated
from accord_client.data import to_dict as _to_dict

__all__ = ["FORMATS", "DEFAULT_COLUMNS", "cell", "columns_for", "render", "render_many",
           "to_dict", "to_json", "to_yaml"]

#: The output formats.
FORMATS = ("table", "wide", "name", "json", "yaml", "csv")

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
        return date_text(msg)
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
#: Columns narrower than this are not shrunk further.
MIN_COLUMN = 8
_SEP = "  "


def fit_widths(header: Sequence[str], widths: Sequence[int], width: Optional[int],
               fixed: Sequence[int] = (0,)) -> List[int]:
    """Column widths that fit ``width`` characters where possible.

    Columns in ``fixed`` (the NAME column) keep their width. Otherwise the
    widest column shrinks first (long text before short codes), down to
    ``max(MIN_COLUMN, len(header))``; if even that does not fit, columns are
    hidden (width 0) from the right, until the line fits or only fixed
    columns are left.
    """
    out = list(widths)
    if width is None:
        return out
    floor = [max(min(MIN_COLUMN, w), min(len(h), w)) for h, w in zip(header, widths)]
    total = sum(out) + len(_SEP) * (len(out) - 1)
    while total > width:
        cand = [i for i in range(len(out)) if i not in fixed and out[i] > floor[i]]
        if not cand:
            break
        i = max(cand, key=lambda k: (out[k], k))
        others = [out[k] for k in cand if k != i]
        target = max(floor[i], out[i] - (total - width), max(others) if others else 0)
        if target >= out[i]:
            target = out[i] - 1
        total -= out[i] - target
        out[i] = target
    # Still too wide: hide columns from the right (width 0), never a fixed one.
    for i in reversed(range(len(out))):
        if total <= width:
            break
        if i not in fixed and out[i]:
            total -= out[i] + len(_SEP)
            out[i] = 0
    return out


def _clip(s: str, w: int) -> str:
    return s if len(s) <= w else (s[: max(0, w - 1)] + "…")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]],
           max_width: Optional[int] = None, width: Optional[int] = None,
           fixed: Sequence[int] = (0,), hidden: Optional[List[str]] = None) -> str:
    body = [[_CTRL.sub(" ", c) for c in r] for r in rows]
    if max_width is not None:
        body = [[_clip(c, max_width) if i not in fixed else c for i, c in enumerate(r)]
                for r in body]
    head = [h.upper() for h in header]
    widths = [len(h) for h in head]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    widths = fit_widths(head, widths, width, fixed)
    if hidden is not None:
        hidden += [h for h, w in zip(head, widths) if w == 0]
    lines = []
    for r in [head] + body:
        cells = [_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(r) if widths[i]]
        lines.append(_SEP.join(cells).rstrip())
    return "\n".join(lines) + "\n"


_PATH = re.compile(r"([^.\[\]]+)|\[(\*|-?\d+)\]")


def parse_path(path: str) -> List[Union[str, int, None]]:
    """``events[0].date`` -> ``["events", 0, "date"]``; ``[*]`` is None.

    Raises:
        ValueError: a malformed path.
    """
    out: List[Union[str, int, None]] = []
    pos = 0
    path = path.strip()
    if path.startswith("."):
        path = path[1:]
    while pos < len(path):
        if path[pos] == ".":
            pos += 1
        m = _PATH.match(path, pos)
        if not m:
            raise ValueError(f"malformed field path {path!r} at character {pos + 1}")
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            out.append(None if m.group(2) == "*" else int(m.group(2)))
        pos = m.end()
    if not out:
        raise ValueError("empty field path")
    return out


def select(value: Any, path: Union[str, List[Union[str, int, None]]]) -> Any:
    """The value at ``path`` (see :func:`parse_path`) in data from
    :func:`to_dict`, or None where there is none. ``[*]`` maps the rest of
    the path over a list (giving a list)."""
    steps = parse_path(path) if isinstance(path, str) else path
    for i, step in enumerate(steps):
        if value is None:
            return None
        if step is None:
            if not isinstance(value, list):
                return None
            return [select(v, steps[i + 1:]) if steps[i + 1:] else v for v in value]
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        elif isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list):  # a field of every element of a list
            value = [select(v, [step]) for v in value]
        else:
            return None
    return value


def display(value: Any, key: str = "") -> str:
    """A value from :func:`to_dict` as one table/CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return f"({len(value)} {key})" if key else f"({len(value)})"
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={display(v)}" for k, v in value.items())
    return str(value)


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


def _dicts(msgs: Sequence[Message], select_paths: Optional[Sequence[str]], proto_names: bool,
           emit_defaults: bool) -> List[Any]:
    out: List[Any] = []
    for m in msgs:
        d = to_dict(m, proto_names=proto_names, emit_defaults=emit_defaults)
        if select_paths:
            snake = to_dict(m, emit_defaults=emit_defaults) if not proto_names else d
            out.append({p: select(snake, p) for p in select_paths})
        else:
            out.append(d)
    return out


def wide_columns(descriptor: Any) -> List[str]:
    """Every top-level field: the default columns first."""
    names = [f.name for f in descriptor.fields]
    first = DEFAULT_COLUMNS.get(descriptor.full_name, [])
    return list(first) + [n for n in names if n not in first]


def render(msg: Message, fmt: str = "table", *, read_mask: Optional[Sequence[str]] = None,
           max_width: Optional[int] = None, headers: bool = True, width: Optional[int] = None,
           select_paths: Optional[Sequence[str]] = None, proto_names: bool = True,
           emit_defaults: bool = False) -> str:
    """Renders one message (a Get's answer, the catalogue status, ...)."""
    if fmt in ("json", "yaml"):
        (d,) = _dicts([msg], select_paths, proto_names, emit_defaults)
        return to_json(d) if fmt == "json" else to_yaml(d)
    if fmt in ("csv", "name") or select_paths:
        return render_many([msg], fmt, read_mask=read_mask, headers=headers, width=width,
                           select_paths=select_paths, emit_defaults=emit_defaults)
    if fmt in ("table", "wide"):
        rows = _details(msg)
        if emit_defaults:
            have = {r[0] for r in rows}
            rows += [[f.name, display(to_dict(msg, emit_defaults=True).get(f.name), f.name)]
                     for f in msg.DESCRIPTOR.fields if f.name not in have]
        if read_mask:
            keep = set(columns_for(msg.DESCRIPTOR, read_mask))
            rows = [r for r in rows if r[0] in keep or r[0] == ""]
        w = None if fmt == "wide" else width
        mw = None if fmt == "wide" else max_width
        text = _table(["field", "value"], rows, mw, w, fixed=(0,))
        return text if headers else text.split("\n", 1)[1]
    raise ValueError(f"unknown output format {fmt!r}")


def render_many(msgs: Sequence[Message], fmt: str = "table", *,
                descriptor: Any = None, read_mask: Optional[Sequence[str]] = None,
                max_width: Optional[int] = None, headers: bool = True,
                width: Optional[int] = None, select_paths: Optional[Sequence[str]] = None,
                proto_names: bool = True, emit_defaults: bool = False,
                hidden: Optional[List[str]] = None) -> str:
    """Renders a list of messages of one type (a List's answer). Columns that
    did not fit ``width`` are appended to ``hidden``.

    Raises:
        ValueError: csv of messages of more than one type, or an unknown
            format.
    """
    if fmt == "json":
        return to_json(_dicts(msgs, select_paths, proto_names, emit_defaults))
    if fmt == "yaml":
        return to_yaml(_dicts(msgs, select_paths, proto_names, emit_defaults)) if msgs else "[]\n"
    if fmt == "name":
        return "".join(getattr(m, "name", "") + "\n" for m in msgs)
    kinds = {m.DESCRIPTOR.full_name for m in msgs}
    if fmt == "csv" and len(kinds) > 1:
        raise ValueError("csv output holds one collection; got " + ", ".join(sorted(kinds)))
    desc = descriptor if descriptor is not None else (msgs[0].DESCRIPTOR if msgs else None)
    if desc is None and not select_paths:
        return ""
    if select_paths:
        cols = list(select_paths)
    elif fmt == "wide":
        cols = wide_columns(desc)
    else:
        cols = columns_for(desc, read_mask)
    data = [to_dict(m, emit_defaults=emit_defaults) for m in msgs]
    rows = [[display(select(d, c), c.split(".")[-1]) for c in cols] for d in data]
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        if headers:
            w.writerow(cols)
        w.writerows(rows)
        return out.getvalue()
    if fmt in ("table", "wide"):
        fixed = tuple(i for i, c in enumerate(cols) if c == "name") or (0,)
        if fmt == "wide":
            text = _table(cols, rows, None, None, fixed)
        else:
            text = _table(cols, rows, max_width, width, fixed, hidden)
        return text if headers else text.split("\n", 1)[1]
    raise ValueError(f"unknown output format {fmt!r}")
