"""``--help`` laid out for Japanese as well as English text.

Click measures text by characters and breaks lines only at spaces. Japanese has no spaces and each
character takes two columns of a terminal, so Japanese help ran past the window's edge. This
formatter measures display columns and may break between any two Japanese characters, except before
closing punctuation (。、）」) and after opening brackets (（「), as Japanese typesetting does.
"""

from __future__ import annotations

import unicodedata

import click
from click.formatting import HelpFormatter

from .i18n import N_, _
from .textsafety import columns

NO_LINE_START = set("。、，．）」』】〉》”’：；？！・ー…％)]}.,:;?!")
NO_LINE_END = set("（「『【〈《“‘([{")


def _units(text: str) -> list[str]:
    """Pieces a line may break between: words of narrow letters, single wide characters, spaces."""
    units: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        glue_to_previous = units and (ch in NO_LINE_START or units[-1][-1] in NO_LINE_END
                                      or (not wide and not ch.isspace() and not units[-1].isspace()
                                          and unicodedata.east_asian_width(units[-1][-1]) not in "WF"))
        if glue_to_previous and not ch.isspace():
            units[-1] += ch
        else:
            units.append(ch)
    return units


def wrap_line(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    lines, line, indent = [], "", first
    for unit in _units(" ".join(text.split())):
        if unit.isspace() and not line:
            continue
        if line and columns(indent + line + unit) > width and not unit.isspace():
            lines.append(indent + line.rstrip())
            line, indent = unit, rest
        else:
            line += unit
    if line.strip():
        lines.append(indent + line.rstrip())
    return lines


def wrap_paragraphs(text: str, width: int, indent: str) -> str:
    """Paragraphs (blank-line separated) rewrapped to ``width`` columns; one after a lone ``\b`` line is
    kept as written, as click does (example commands)."""
    out = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b"):
            out.append("\n".join(indent + line for line in paragraph[1:].lstrip("\n").splitlines()))
        else:
            out.append("\n".join(wrap_line(paragraph, width, indent, indent)))
    return "\n\n".join(out)


class WideHelpFormatter(HelpFormatter):
    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, second) for first, second in rows]
        first_col = min(max((columns(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n")
                self.write(" " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_line(second, text_width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class WideContext(click.Context):
    formatter_class = WideHelpFormatter


class TranslatedRange(click.IntRange):
    """A whole-number range, described in words the catalog translates (click prints 1<=x<=256)."""

    def _describe_range(self) -> str:
        return _("{low} to {high}").format(low=self.min, high=self.max)


# click writes a value's kind in English capitals (TEXT, DIRECTORY); the help shows them in the user's language
METAVARS = {"text": N_("TEXT"), "directory": N_("DIRECTORY"), "path": N_("PATH"), "file": N_("FILE"),
            "integer": N_("NUMBER"), "integer range": N_("NUMBER")}


def localize_metavars(command: click.Command) -> None:
    original = command.__dict__.setdefault("msgid_options_metavar", command.options_metavar)
    if original:
        command.options_metavar = _(original)
    if isinstance(command, click.Group):
        original = command.__dict__.setdefault("msgid_subcommand_metavar", command.subcommand_metavar)
        command.subcommand_metavar = _(original)
    for param in command.params:
        if isinstance(param, click.Argument):
            _localize_argument(param)
            continue
        if not isinstance(param, click.Option) or param.is_flag or isinstance(param.type, click.Choice):
            continue
        original = param.__dict__.setdefault("msgid_metavar", param.metavar or METAVARS.get(param.type.name))
        if original:
            param.metavar = _(original)


N_("[OPTIONS]")
N_("COMMAND [ARGS]...")


# the arguments' placeholders (kenpo-plans show YEAR); KPI_ID stays, as messages name it so
ARGUMENT_METAVARS = {"year": N_("YEAR"), "folder": N_("FOLDER"), "versions": N_("VERSIONS"), "paths": N_("PATHS")}


def _localize_argument(param: click.Argument) -> None:
    """As click writes it ([FOLDER], VERSIONS...), in the user's language."""
    original = param.__dict__.setdefault("msgid_metavar", ARGUMENT_METAVARS.get(param.name or ""))
    if not original:
        return
    shown = _(original)
    shown = shown if param.required else f"[{shown}]"
    param.metavar = shown + ("..." if param.nargs != 1 else "")
