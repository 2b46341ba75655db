"""Plan files → raw YAML trees with positions → ``model.Plan``.

Reading is in three small steps so each can fail with its own clear
message: bytes → text (encoding, size), text → YAML tree (syntax, aliases),
tree → model (after the schema has accepted it).  The YAML tree keeps
ruamel's line/column data, so every later problem can name its line.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PlanReadError
from .model import Block, Document, Item, Kpi, Location, Measure, Plan, PlanTarget, Section
from .targets import Target

MAX_PLAN_BYTES = 2 * 1024 * 1024  # the Kagoshima plan is ~40 KB; 2 MB leaves room for any branch
MAX_ALIASES = 50  # plans need no aliases; more than a few means an alias bomb ("billion laughs")
MAX_DEPTH = 60  # real plans nest about 12 levels


@dataclass
class RawPlan:
    """A parsed YAML document with the positions ruamel recorded."""

    data: Any
    text: str
    file: str | None

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """1-based (line, column) of the node at ``path``, or of its nearest ancestor."""
        return locate(self.data, path)

    def location(self, path: tuple) -> Location:
        line, column = self.where(path)
        return Location(self.file, line or 1, column or 1)


# --- bytes → text ------------------------------------------------------------


def decode_plan_bytes(raw: bytes, file: str | None, encoding: str | None = None) -> str:
    """Text of a plan file: UTF-8 (with or without BOM, any newline) or an explicit encoding."""
    name = file or "<input>"
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanReadError(_too_large(name, len(raw)))
    if b"\x00" in raw[:8192]:
        raise PlanReadError(f"{name}: this is a binary file, not a YAML plan. Check the path.")
    if encoding:
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise PlanReadError(f"{name}: cannot read the file as {encoding}: {exc}") from exc
    else:
        text = _decode_utf8(raw, name)
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _too_large(name: str, size: int) -> str:
    return (
        f"{name}: the file is {size / 1024 / 1024:.1f} MB; plans are limited to "
        f"{MAX_PLAN_BYTES // 1024 // 1024} MB. Check that this is really a plan file."
    )


def _decode_utf8(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if _looks_like_cp932(raw):
            raise PlanReadError(
                f"{name}:{line}: the file is encoded in Shift_JIS (CP932), not UTF-8. "
                "Save it as UTF-8 (メモ帳: 名前を付けて保存 → 文字コード UTF-8), "
                "or read it as it is with --encoding cp932."
            ) from exc
        raise PlanReadError(
            f"{name}:{line}: the file is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}). Save it as UTF-8."
        ) from exc


def _looks_like_cp932(raw: bytes) -> bool:
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return False
    japanese = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    return japanese > 0


def read_plan_text(path: Path, encoding: str | None = None) -> str:
    try:
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise PlanReadError(_too_large(str(path), path.stat().st_size))
        raw = path.read_bytes()
    except IsADirectoryError as exc:
        raise PlanReadError(f"{path}: is a directory, not a plan file.") from exc
    except FileNotFoundError as exc:
        raise PlanReadError(f"{path}: no such file.") from exc
    except PermissionError as exc:
        raise PlanReadError(f"{path}: permission denied; check the file's permissions.") from exc
    return decode_plan_bytes(raw, str(path), encoding)


# --- text → YAML tree ----------------------------------------------------------

_YAML_HINTS = {
    "found character '\\t'": "tab characters cannot indent YAML; indent with spaces",
    "found duplicate key": "a key appears twice in the same mapping; remove or rename one",
    "mapping values are not allowed here": (
        "a ':' followed by a space inside a value; quote the text or check the indentation of this line"
    ),
    "could not find expected ':'": "a line is not 'key: value'; check indentation and quotes",
    "found unexpected end of stream": "a quote or bracket is never closed",
    "did not find expected key": "the indentation of this line does not match the lines around it",
    "did not find expected '-' indicator": "a list item is indented differently from the others",
    "expected <block end>, but found": "the indentation of this line does not match the lines around it",
}


def parse_yaml(text: str, file: str | None = None) -> RawPlan:
    """Parse YAML text keeping positions; refuse syntax errors, alias bombs and extreme nesting."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    name = file or "<input>"
    _check_nesting(text, name)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        if "*" in text:
            _count_aliases(yaml, text, name)
        data = yaml.load(io.StringIO(text))
    except MarkedYAMLError as exc:
        raise PlanReadError(_describe_yaml_error(exc, name)) from exc
    except YAMLError as exc:
        raise PlanReadError(f"{name}: not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise PlanReadError(f"{name}: the YAML nests too deeply to be a plan.") from exc
    if data is None:
        raise PlanReadError(f"{name}: the file is empty. A plan starts with branch:, fiscal_year:, title:.")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise PlanReadError(
            f"{name}:1:1: the file holds {kind}, but a plan is a mapping that starts with "
            "branch:, fiscal_year:, title:, status:, sections:."
        )
    return RawPlan(data, text, file)


def _check_nesting(text: str, name: str) -> None:
    # Flow collections ([[[[…) nest without indentation and would exhaust the parser's stack.
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    if deepest > MAX_DEPTH:
        raise PlanReadError(f"{name}: brackets nest {deepest} levels deep; a plan never needs more than {MAX_DEPTH}.")


def _count_aliases(yaml: Any, text: str, name: str) -> None:
    from ruamel.yaml.events import AliasEvent

    aliases = 0
    for event in yaml.parse(io.StringIO(text)):
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else None
                where = f"{name}:{line}" if line else name
                raise PlanReadError(
                    f"{where}: the file uses more than {MAX_ALIASES} YAML aliases (*name); "
                    "this looks like an alias bomb, and plans do not need aliases. Write the text out."
                )


def _describe_yaml_error(exc: Any, name: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    hint = next((h for key, h in _YAML_HINTS.items() if key in problem), "check the YAML syntax near this line")
    return f"{where}: YAML syntax error: {problem.strip()} — {hint}."


# --- positions ----------------------------------------------------------------


def locate(data: Any, path: tuple) -> tuple[int | None, int | None]:
    line = column = None
    node = data
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and step in node:
                if lc is not None:
                    line, column = lc.value(step) if not isinstance(node[step], (dict, list)) else lc.key(step)
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                if lc is not None:
                    line, column = lc.item(step)
                node = node[step]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if line is None and getattr(data, "lc", None) is not None:
        line, column = data.lc.line, data.lc.col
    return (None if line is None else line + 1, None if column is None else column + 1)


def to_plain(node: Any) -> Any:
    """ruamel's tree as plain JSON-like data (dates as ISO strings), for the schema validator."""
    if isinstance(node, dict):
        return {str(key) if not isinstance(key, (str, int, float, bool)) else key: to_plain(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


# --- tree → model (the schema has already accepted the tree) -------------------


def build_plan(raw: RawPlan) -> Plan:
    data = to_plain(raw.data)
    return _Builder(raw).plan(data)


class _Builder:
    def __init__(self, raw: RawPlan):
        self.raw = raw

    def loc(self, path: tuple) -> Location:
        return self.raw.location(path)

    def plan(self, data: dict) -> Plan:
        document = data.get("document") or {}
        return Plan(
            branch_id=data["branch"]["id"],
            branch_name=data["branch"]["name"],
            fiscal_year=data["fiscal_year"],
            title=data["title"],
            status=data["status"],
            era=data.get("era"),
            document=Document(number=document.get("number"), date=_as_text(document.get("date"))),
            sections=[self.section(s, ("sections", i)) for i, s in enumerate(data.get("sections", []))],
            source=self.raw.file,
            loc=self.loc(()),
        )

    def section(self, data: dict, path: tuple) -> Section:
        return Section(
            id=data["id"],
            label=data.get("label", ""),
            title=data["title"],
            blocks=self.blocks(data, path),
            measures=[self.measure(m, path + ("measures", i)) for i, m in enumerate(data.get("measures", []))],
            loc=self.loc(path),
        )

    def measure(self, data: dict, path: tuple) -> Measure:
        return Measure(
            id=data["id"],
            label=data.get("label", ""),
            title=data["title"],
            groups=list(data.get("groups", [])),
            goals=list(data.get("goals", [])),
            targets=[self.plan_target(t, path + ("targets", i)) for i, t in enumerate(data.get("targets", []))],
            blocks=self.blocks(data, path),
            measures=[self.measure(m, path + ("measures", i)) for i, m in enumerate(data.get("measures", []))],
            kpis=[self.kpi(k, path + ("kpis", i)) for i, k in enumerate(data.get("kpis", []))],
            loc=self.loc(path),
        )

    def blocks(self, data: dict, path: tuple) -> list[Block]:
        return [self.block(b, path + ("blocks", i)) for i, b in enumerate(data.get("blocks", []))]

    def block(self, data: dict, path: tuple) -> Block:
        return Block(
            heading=data.get("heading"),
            items=[self.item(it, path + ("items", i)) for i, it in enumerate(data.get("items", []))],
            loc=self.loc(path),
        )

    def item(self, data: dict, path: tuple) -> Item:
        return Item(
            text=data["text"],
            marker=data.get("marker", "○"),
            id=data.get("id"),
            items=[self.item(it, path + ("items", i)) for i, it in enumerate(data.get("items", []))],
            blocks=self.blocks(data, path),
            loc=self.loc(path),
        )

    def plan_target(self, data: dict, path: tuple) -> PlanTarget:
        return PlanTarget(
            text=data["text"],
            marker=data.get("marker", ""),
            id=data.get("id"),
            breakdown=[self.plan_target(t, path + ("breakdown", i)) for i, t in enumerate(data.get("breakdown", []))],
            loc=self.loc(path),
        )

    def kpi(self, data: dict, path: tuple) -> Kpi:
        declared = data.get("target")
        return Kpi(
            id=data["id"],
            text=data["text"],
            notes=list(data.get("notes", [])),
            declared_target=Target.from_dict(declared) if declared else None,
            qualitative=bool(data.get("qualitative", False)),
            loc=self.loc(path),
            text_loc=self.loc(path + ("text",)),
        )


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)
