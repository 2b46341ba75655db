"""The one format registry: which formats exist, which documents offer each, how each is written and delivered.

Every command that writes something (diff and its batch, show, results, kpi) checks its request, names its
file and delivers through ``write`` here, so a format, its suffix or its writer is declared once: adding a
format is one ``Format`` entry plus its writer (commands.writers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..fileio import write_atomic
from ..i18n import _, listing
from ..labels import OLD_WORD
from . import writers
from .requests import SUMMARY_PLACES, OutputRequest

__all__ = ["FORMATS", "DOCUMENTS", "Format", "Document", "Outcome", "OutputRequest", "check_request", "deliver",
           "file_name", "formats_for", "write"]

# Where `site` builds the review site unless told otherwise (and what `init`'s .gitignore leaves out of git).
SITE_FOLDER = "public"
# The options that only shape a document, as the request names them and as the user typed them.
LAYOUT_OPTIONS = {"landscape": "--landscape", "old_left": "--old-left", "monochrome": "--monochrome",
                  "changes_only": "--changes-only", "font": "--font", "template_dir": "--template-dir",
                  "layout": "--layout", "computed": "--computed", "remarks": "--remarks"}
# What shapes the two-column table only: a document of revisions has no columns, no summary, no template.
TABLE_OPTIONS = {"old_left": "--old-left", "monochrome": "--monochrome", "changes_only": "--changes-only",
                 "remarks": "--remarks", "template_dir": "--template-dir"}


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # of the file name, without the dot
    binary: bool
    to_file: bool  # written to a file even without -o (a document or an image); else printed
    writers: Mapping[str, Callable] = field(default_factory=dict)  # document → writer(subject, rendering)
    shaped_by: frozenset[str] = frozenset()  # the layout options (LAYOUT_OPTIONS) this format honours
    templated: bool = False  # made from the HTML templates (templates/, --template-dir)


@dataclass(frozen=True)
class Document:
    """One kind of document a command writes: its format without --format, its file name, its sources."""

    name: str
    default: str
    stem: Callable  # subject → the file name without suffix
    sources: Callable = writers.no_sources  # subject → files an output never replaces


EVERY_OPTION = frozenset(LAYOUT_OPTIONS) | {"old_word", "summary"}
FORMATS = {spec.name: spec for spec in (
    Format("pdf", "pdf", binary=True, to_file=True, shaped_by=EVERY_OPTION, templated=True, writers={
        "diff": writers.diff_page, "plan": writers.plan_page, "results": writers.results_page,
        "kpi": writers.kpi_page}),
    Format("html", "html", binary=False, to_file=True, shaped_by=EVERY_OPTION, templated=True, writers={
        "diff": writers.diff_page, "plan": writers.plan_page, "results": writers.results_page,
        "kpi": writers.kpi_page}),
    Format("docx", "docx", binary=True, to_file=True, shaped_by=EVERY_OPTION, writers={
        "diff": writers.diff_docx, "plan": writers.plan_docx, "results": writers.results_docx}),
    Format("xlsx", "xlsx", binary=True, to_file=True, writers={
        "diff": writers.diff_xlsx, "results": writers.results_xlsx, "kpi": writers.kpi_xlsx}),
    Format("svg", "svg", binary=False, to_file=True, shaped_by=frozenset({"font"}), writers={
        "kpi": writers.kpi_chart}),
    Format("png", "png", binary=True, to_file=True, shaped_by=frozenset({"font"}), writers={
        "kpi": writers.kpi_chart}),
    Format("json", "json", binary=False, to_file=False, writers={
        "diff": writers.diff_json, "plan": writers.plan_json, "results": writers.results_json,
        "kpi": writers.kpi_json}),
    Format("text", "txt", binary=False, to_file=False, writers={
        "diff": writers.diff_text, "plan": writers.plan_text, "results": writers.results_text,
        "kpi": writers.kpi_text}),
)}
DOCUMENTS = {document.name: document for document in (
    Document("diff", "pdf", writers.diff_stem, writers.diff_sources),
    Document("plan", "text", writers.plan_stem, writers.plan_sources),
    Document("results", "pdf", writers.results_stem, writers.results_sources),
    Document("kpi", "html", writers.kpi_stem),
)}
DOCUMENT_FORMATS = tuple(name for name, spec in FORMATS.items() if spec.shaped_by == EVERY_OPTION)


def formats_for(document: str) -> tuple[str, ...]:
    """The formats one document offers, its default first (the choices of its --format)."""
    default = DOCUMENTS[document].default
    return (default, *(name for name, spec in FORMATS.items() if document in spec.writers and name != default))


def file_name(stem: str, fmt: str) -> str:
    """kagoshima_2018-2019_shinkyu + pdf → kagoshima_2018-2019_shinkyu.pdf"""
    return f"{stem}.{FORMATS[fmt].suffix}"


@dataclass
class Outcome:
    """What a command did: text for stdout, files written or kept, differences found, branches that failed."""

    stdout: str = ""
    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    has_changes: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)
    exit_on_changes: bool = False  # diff --exit-code: differences are exit status 1

    @property
    def exit_code(self) -> int:
        if self.failures:  # with --exit-code, 1 means "differences": a failure must say something else
            return 2 if self.exit_on_changes else 1
        return 1 if self.exit_on_changes and self.has_changes else 0


def check_request(rendering: OutputRequest, document: str | None = None, directory_output: bool = False) -> None:
    """Refuse a format the document does not offer, options that would silently do nothing, and an -o whose
    suffix names another format."""
    spec = FORMATS[rendering.fmt]
    if document is not None and document not in spec.writers:
        raise UsageError(_("--format {format} is not one of {formats}.").format(
            format=rendering.fmt, formats=listing(formats_for(document))))
    given = [flag for name, flag in LAYOUT_OPTIONS.items() if getattr(rendering, name) and name not in spec.shaped_by]
    if rendering.old_word != OLD_WORD and "old_word" not in spec.shaped_by:
        given.append("--old-word")
    if rendering.summary != SUMMARY_PLACES[0] and "summary" not in spec.shaped_by:
        given.append("--summary")
    if given:
        raise UsageError(_("{options} only shape documents (pdf, html, docx); --format {format} "
                           "ignores them. Leave them out, or choose --format pdf.").format(
                               options=listing(given), format=rendering.fmt))
    if rendering.track_changes:
        _check_track_changes(rendering)
    output = rendering.output
    if output is None or directory_output or not output.suffix or output.is_dir():
        return
    wanted = "." + spec.suffix
    if output.suffix.lower() != wanted and not (rendering.fmt == "text" and output.suffix == ".text"):
        named = output.suffix.lstrip(".").lower()
        named = next((name for name, each in FORMATS.items() if each.suffix == named), None)
        if named is None:
            raise UsageError(_("-o {output} ends in {suffix}, which is not a format kenpo-plans writes; "
                               "use -o {fixed_output}.").format(output=output, suffix=output.suffix,
                                                                fixed_output=output.with_suffix(wanted)))
        raise UsageError(_("-o {output} ends in {suffix} but --format is {format}; "
                           "use -o {fixed_output} or --format {suffix_format}.").format(
                               output=output, suffix=output.suffix, format=rendering.fmt,
                               fixed_output=output.with_suffix(wanted), suffix_format=named))


def _check_track_changes(rendering: OutputRequest) -> None:
    if rendering.fmt != "docx":
        raise UsageError(_("--track-changes writes Word revisions; use it with --format docx."))
    given = [flag for name, flag in TABLE_OPTIONS.items() if getattr(rendering, name)]
    given += ["--old-word"] if rendering.old_word != OLD_WORD else []
    given += ["--summary"] if rendering.summary != SUMMARY_PLACES[0] else []
    if given:
        raise UsageError(_("{options} shape the two-column table; --track-changes writes the new plan with "
                           "revisions instead. Leave them out, or leave out --track-changes.").format(
                               options=listing(given)))


def write(document: str, subject, rendering: OutputRequest, outcome: Outcome | None = None,
          default_name: str | None = None) -> Outcome:
    """``subject`` as ``document`` in the requested format, printed or written (see ``deliver``)."""
    spec, kind = FORMATS[rendering.fmt], DOCUMENTS[document]
    data = spec.writers[document](subject, rendering)
    name = default_name or file_name(kind.stem(subject), rendering.fmt)
    return deliver(data, rendering, name, kind.sources(subject), outcome)


def deliver(data: str | bytes, rendering: OutputRequest, default_name: str, protected=(),
            outcome: Outcome | None = None) -> Outcome:
    """Text on stdout, or a file: -o (a directory takes the default name), else the default name here."""
    outcome = outcome or Outcome()
    target = rendering.output
    spec = FORMATS[rendering.fmt]
    if target is None and (spec.to_file or spec.binary):  # bytes never go to a terminal
        target = Path(default_name)
    if target is not None and target.is_dir():
        target = target / default_name
    if target is None:
        outcome.stdout = data if isinstance(data, str) else ""
        return outcome
    outcome.written.append(write_atomic(target, data, protected=protected))
    return outcome
