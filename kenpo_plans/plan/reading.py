"""Plan files → raw YAML trees with positions: the first two of loading's three steps.

Reading is in small steps so each can fail with its own clear
message: bytes → text (encoding, size), text → YAML tree (syntax, aliases);
tree → model is plan/build.py, after the schema has accepted it, and plan/loader.py puts the steps and the
checks together.  The YAML tree keeps
ruamel's line/column data, so every later problem can name its line.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EmptyFile, PlanReadError
from ..fileio import file_kind
from ..i18n import N_, _
from ..textsafety import BOM, NOT_YAML, SURROGATES, UNSAFE, describe_unsafe, first_place, visible
from .conflicts import check_for_conflicts
from .model import Location

MAX_PLAN_BYTES = 2 * 1024 * 1024  # the Kagoshima plan is ~40 KB; 2 MB leaves room for any branch
MAX_ALIASES = 50  # plans need no aliases; more than a few means an alias bomb ("billion laughs")
MAX_DEPTH = 60  # real plans nest about 12 levels
MAX_NODES = 200_000  # nodes of the document with every alias expanded; the Kagoshima plan has ~4,000


@dataclass
class RawPlan:
    """A parsed YAML document as plain data, with the position of every node."""

    data: Any
    text: str
    file: str | None
    positions: dict[tuple, tuple[int, int]]
    unsafe: list[tuple[tuple, str]] = field(default_factory=list)  # (path, original text) of made-visible values

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """1-based (line, column) of the node at ``path``, or of its nearest ancestor."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (None, None))

    def location(self, path: tuple) -> Location:
        line, column = self.where(path)
        return Location(self.file, line or 1, column or 1)


# --- bytes → text ------------------------------------------------------------


def decode_plan_bytes(raw: bytes, file: str | None, encoding: str | None = None) -> str:
    """Text of a plan file, each file on its own: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Shift_JIS (CP932) when it is not UTF-8 but reads as Japanese; or the one ``encoding`` forces."""
    name = file or "<input>"
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanReadError(_too_large(len(raw)), name)
    if encoding is None and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Notepad's "Unicode" is UTF-16 with a byte-order mark; its NULs are not binary garbage.
        encoding = "utf-16"
    if encoding is None and b"\x00" in raw[:8192]:
        raise PlanReadError(_("this is a binary file, not a YAML plan. Check the path."), name)
    if encoding:
        try:
            text = raw.decode(encoding)
        except LookupError as exc:
            raise PlanReadError(_("--encoding {encoding} is not an encoding Python knows; use cp932 "
                                  "(Shift_JIS), utf-8 or utf-16, or leave --encoding out.").format(
                encoding=encoding), name) from exc
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise PlanReadError(
                _("this file is not {encoding} text (the byte {byte:#04x} at offset "
                  "{offset} cannot be {encoding}). Leave --encoding out to let each file be read as UTF-8, "
                  "UTF-16 with a byte-order mark or Shift_JIS on its own.").format(
                    encoding=encoding, byte=exc.object[exc.start], offset=exc.start), name, line) from exc
    else:
        text = _decode_utf8(raw, name)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    surrogate = first_place(SURROGATES, text)  # UTF-7 or unicode_escape can decode to half a UTF-16 pair
    if surrogate:
        raise PlanReadError(_("the file decodes to U+{code:04X}, half of a UTF-16 pair with no other half, which is "
                              "not a character (the file is not {encoding} text, or is damaged). Save it as UTF-8.")
                            .format(code=ord(surrogate[0]), encoding=encoding or "UTF-8"), name, *surrogate[1:])
    return text


def _too_large(size: int, more: bool = False) -> str:
    megabytes = size / 1024 / 1024
    limit = MAX_PLAN_BYTES // 1024 // 1024
    if more:
        return _("the file is more than {size:.1f} MB; plans are limited to {limit} MB. "
                 "Check that this is really a plan file.").format(size=megabytes, limit=limit)
    return _("the file is {size:.1f} MB; plans are limited to {limit} MB. "
             "Check that this is really a plan file.").format(size=megabytes, limit=limit)


def _decode_utf8(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if _looks_like_cp932(raw):
            return raw.decode("cp932")  # a Shift_JIS file from an office PC is read as it is
        raise PlanReadError(
            _("the file is not UTF-8 text (byte {byte:#04x} at offset {offset}). Save it as UTF-8.").format(
                byte=exc.object[exc.start], offset=exc.start), name, line) from exc


def _looks_like_cp932(raw: bytes) -> bool:
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return False
    japanese = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    return japanese > 0


def read_plan_text(path: Path, encoding: str | None = None) -> str:
    return decode_plan_bytes(read_limited(path), str(path), encoding)


def read_limited(path: Path, limit: int = MAX_PLAN_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` (more is an error), never blocking.

    A FIFO would block ``open`` until someone writes and a device (/dev/zero) never ends, so only
    regular files are read; the size is counted on what is read, since ``stat`` can lie (/proc).
    """
    import stat as stat_module

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError as exc:
        raise PlanReadError(_("is a directory, not a plan file."), str(path)) from exc
    except FileNotFoundError as exc:
        raise PlanReadError(_("no such file."), str(path)) from exc
    except PermissionError as exc:
        raise PlanReadError(_("permission denied; check the file's permissions."), str(path)) from exc
    except OSError as exc:
        raise PlanReadError(_("cannot be opened: {reason}.").format(reason=exc.strerror or exc), str(path)) from exc
    mode = os.fstat(fd).st_mode  # before fdopen, which refuses a directory with its own exception
    if not stat_module.S_ISREG(mode):
        os.close(fd)
        raise PlanReadError(_("is {kind}, not a plan file; only regular files are read. "
                              "Check the path.").format(kind=file_kind(mode)), str(path))
    with os.fdopen(fd, "rb") as stream:
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise PlanReadError(_too_large(len(raw), more=True), str(path))
    return raw


# --- text → YAML tree ----------------------------------------------------------

# Keys are ruamel's own (English) problem texts; values are hints for the user, translated where shown.
_YAML_HINTS = {
    "found character '\\t'": N_("tab characters cannot indent YAML; indent with spaces"),
    "found a tab character": N_("tab characters cannot indent YAML; indent with spaces"),
    "mapping values are not allowed here": N_(
        "a ':' followed by a space inside a value; quote the text or check the indentation of this line"
    ),
    "mapping values are not allowed in this context": N_(
        "a ':' followed by a space inside a value; quote the text or check the indentation of this line"
    ),
    "could not find expected ':'": N_("a line is not 'key: value'; check indentation and quotes"),
    "found unexpected end of stream": N_("a quote or bracket is never closed"),
    "did not find expected key": N_("the indentation of this line does not match the lines around it"),
    "did not find expected '-' indicator": N_("a list item is indented differently from the others"),
    "expected <block end>, but found": N_("the indentation of this line does not match the lines around it"),
    "could not determine a constructor for the tag": N_(
        "YAML tags (!name) and the '=' value key have no place in a plan; write plain text, quoted if needed"
    ),
}


def parse_yaml(text: str, file: str | None = None) -> RawPlan:
    """Parse YAML text into plain data plus node positions.

    ruamel composes the node graph (in C when ruamel.yaml.clib is present,
    several times faster than building round-trip objects); the plain data is
    built here so that duplicate keys, aliases and depth are checked on the
    way and every node's line and column is kept.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    name = file or "<input>"
    check_for_conflicts(text, name)  # before YAML, which would call a marker a syntax error
    yaml = YAML(typ="safe", pure=False)
    builder = _TreeBuilder(yaml.constructor, name)
    try:
        _check_events(yaml, text, name)
        root = yaml.compose(io.StringIO(text))
        if root is None:
            raise EmptyFile(_("the file is empty. A plan starts with branch:, fiscal_year:, title:."), name)
        data = builder.build(root, ())
    except MarkedYAMLError as exc:
        raise PlanReadError(*_describe_yaml_error(exc, name, text)) from exc
    except ReaderError as exc:
        raise PlanReadError(*_describe_refused_character(exc, name, text)) from exc
    except YAMLError as exc:
        raise PlanReadError(_("not valid YAML: {error}").format(error=exc), name) from exc
    except RecursionError as exc:
        raise PlanReadError(_("the YAML nests too deeply to be a plan."), name) from exc
    if not isinstance(data, dict):
        if isinstance(data, list):
            kind = _("a list")
        else:
            kind = _("a single {type} value").format(type=type(data).__name__)
        raise PlanReadError(_("the file holds {kind}, but a plan is a mapping that starts with "
                              "branch:, fiscal_year:, title:, status:, sections:.").format(kind=kind), name, 1, 1)
    return RawPlan(data, text, file, builder.positions, builder.unsafe)


class _TreeBuilder:
    """ruamel nodes → plain dict/list/scalars, recording positions, refusing what plans never need."""

    def __init__(self, constructor: Any, name: str):
        self.constructor = constructor
        self.name = name
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.aliases = 0
        self.unsafe: list[tuple[tuple, str]] = []

    def _where(self, node: Any) -> tuple[str, int, int]:
        return self.name, node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: Any, path: tuple) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        if len(path) > MAX_DEPTH:
            raise PlanReadError(_("the YAML nests more than {limit} levels deep; "
                                  "a plan never needs that many.").format(limit=MAX_DEPTH), *self._where(node))
        if isinstance(node, (MappingNode, SequenceNode)):
            if id(node) in self.seen:
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise PlanReadError(_too_many_aliases(), *self._where(node))
            self.seen.add(id(node))
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node)
        if isinstance(value, str) and UNSAFE.search(value):
            self.unsafe.append((path, value))
            value = visible(value)
        return value

    def _mapping(self, node: Any, path: tuple) -> dict:
        from ruamel.yaml.nodes import ScalarNode

        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise PlanReadError(_("a key must be a plain word such as title:, not a list or mapping."),
                                    *self._where(key_node))
            key = self._scalar(key_node)
            if not isinstance(key, str):
                raise PlanReadError(_("the key {key!r} is not a word; plan keys are words such as "
                                      "title: or measures: (quote it if it must be a number).").format(
                    key=key_node.value), *self._where(key_node))
            key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                first = self.positions[path + (key,)][0]
                raise PlanReadError(
                    _("YAML syntax error: found duplicate key '{key}' (first at line "
                      "{first}) — a key appears twice in the same mapping; remove or rename one.").format(
                        key=key, first=first), *self._where(key_node))
            value_at = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            # Scalars point at their value; collections at their key, where a reader looks.
            self.positions[path + (key,)] = value_at if isinstance(value_node, ScalarNode) else key_at
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: Any) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            # 2019-02-30 looks like a date, 10**5000 like an integer: neither can be one.
            raise PlanReadError(_unreadable_value(node, exc), *self._where(node)) from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise PlanReadError(_("{value!r} is not a number a plan can hold "
                                  "(NaN or infinity); write the figure, or quote it to keep it as text.").format(
                value=node.value), *self._where(node))
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, bytes):
            raise PlanReadError(_("binary data (!!binary) has no place in a plan."), *self._where(node))
        return value


def _unreadable_value(node: Any, exc: Exception) -> str:
    """The message for a scalar that looks like a date or number but cannot be one."""
    value = node.value[:40]
    if "date" in node.tag or "timestamp" in node.tag:
        return _("{value!r} is not a valid date (YYYY-MM-DD with a real day of that month); correct it, "
                 "or quote it to keep it as text.").format(value=value)
    if "int" in node.tag:
        return _("{value!r} is too long to be a number; a plan's figures have a few digits. "
                 "Quote it to keep it as text.").format(value=value)
    return _("{value!r} cannot be read ({error}); quote it to keep it as text.").format(value=value, error=exc)


def _too_many_aliases() -> str:
    return _("the file uses more than {limit} YAML aliases (*name); this looks like an alias bomb, and plans "
             "do not need aliases. Write the text out.").format(limit=MAX_ALIASES)


def _check_events(yaml: Any, text: str, name: str) -> None:
    """Depth, aliases and expanded size, checked on the parser's event stream before anything is built.

    libyaml's parser is iterative, so a hostile document cannot exhaust the stack here, whether it nests
    through brackets, block sequences, block mappings or complex keys; composing it (recursive) could.
    Text inside strings and comments never produces events, so it never counts.
    """
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent, ScalarEvent

    depth = 0
    expanded = 0
    aliases = 0
    sizes: dict[str, int] = {}
    open_anchors: list[tuple[str | None, int]] = []

    def where(event: Any) -> tuple[str, int, int]:
        return name, event.start_mark.line + 1, event.start_mark.column + 1

    for event in yaml.parse(io.StringIO(text)):
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PlanReadError(_too_many_aliases(), *where(event))
            expanded += sizes.get(event.anchor, 1)
        elif isinstance(event, NodeEvent):
            expanded += 1
        if expanded > MAX_NODES:
            raise PlanReadError(
                _("with its aliases (*name) expanded the document has more than {limit:,} "
                  "values; this looks like an alias bomb. Write the text out instead of repeating aliases.").format(
                    limit=MAX_NODES), *where(event))
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise PlanReadError(_("the YAML nests more than {limit} levels deep; "
                                      "a plan never needs that many.").format(limit=MAX_DEPTH), *where(event))
            open_anchors.append((event.anchor, expanded - 1))
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
            anchor, start = open_anchors.pop()
            if anchor:
                sizes[anchor] = expanded - start
        elif isinstance(event, ScalarEvent) and event.anchor:
            sizes[event.anchor] = 1


def _describe_refused_character(exc: Any, name: str, text: str) -> tuple:
    """(message, file, line, column) for a character the YAML reader refuses, found in the text itself:
    the reader only gives an offset, and its message runs over two lines."""
    refused = first_place(NOT_YAML, text)
    if refused is None:
        return (_("not valid YAML: {error}").format(error=" ".join(str(exc).split())), name)
    return (_("the text contains {what}, a character a YAML file cannot hold (Word writes U+000B for a line "
              "break inside a paragraph); delete it, or replace it with a space or a line break.").format(
        what=describe_unsafe(refused[0])), name, *refused[1:])


def _describe_yaml_error(exc: Any, name: str, text: str) -> tuple:
    """(message, file, line, column) for ruamel's syntax error, with a hint for the usual mistakes."""
    mark = exc.problem_mark or exc.context_mark
    bom = first_place(BOM, text)
    if bom and (mark is None or bom[1] <= mark.line + 1):
        return (_("a byte-order mark (U+FEFF) stands inside the file, invisible in most editors (it is left where "
                  "two files were joined); delete it."), name, *bom[1:])
    where = (name, mark.line + 1, mark.column + 1) if mark else (name,)
    problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    lines = text.splitlines()
    if mark and "cannot start any token" in problem and mark.line < len(lines) and "\t" in lines[mark.line]:
        problem = "found character '\\t' that cannot start any token"
    hint = next((_(h) for key, h in _YAML_HINTS.items() if key in problem), None)
    if hint is None:
        hint = _("check the YAML syntax near this line")
    return (_("YAML syntax error: {problem} — {hint}.").format(problem=problem.strip(), hint=hint), *where)
