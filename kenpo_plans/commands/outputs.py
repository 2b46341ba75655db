"""What every command that writes something shares: the format table, the output request, file names, delivery.

One table says which formats exist, their file extension and whether they go to a file even without
``-o``; the diff, the batch, results and the KPI views all name and deliver their outputs through it,
so a format or an extension is spelled once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..fileio import write_atomic
from ..i18n import _, listing


@dataclass(frozen=True)
class Format:
    extension: str
    to_file: bool  # written to a file even without -o (a document or an image); else printed
    document: bool = False  # shaped by the layout options (--landscape, --font, …)


FORMATS = {
    "pdf": Format("pdf", to_file=True, document=True),
    "html": Format("html", to_file=True, document=True),
    "docx": Format("docx", to_file=True, document=True),
    "xlsx": Format("xlsx", to_file=True),
    "svg": Format("svg", to_file=True),
    "png": Format("png", to_file=True),
    "json": Format("json", to_file=False),
    "text": Format("txt", to_file=False),
}
DOCUMENT_FORMATS = tuple(name for name, spec in FORMATS.items() if spec.document)
# Options that only shape a document, and how the user typed them.
DOCUMENT_OPTIONS = {"landscape": "--landscape", "old_left": "--old-left", "monochrome": "--monochrome",
                    "changes_only": "--changes-only", "font": "--font", "template_dir": "--template-dir",
                    "remarks": "--remarks"}
SUMMARY_PLACES = ("end", "start", "none")  # the 新旧対照表's 変更の概要: after the table, as originals have none before it


def file_name(stem: str, fmt: str) -> str:
    """kagoshima_2018-2019_shinkyu + pdf → kagoshima_2018-2019_shinkyu.pdf"""
    return f"{stem}.{FORMATS[fmt].extension}"


@dataclass
class OutputRequest:
    fmt: str = "pdf"
    output: Path | None = None
    color: bool = False
    font: str | None = None
    template_dir: Path | None = None
    landscape: bool = False
    old_left: bool = False
    old_word: str = "旧"
    monochrome: bool = False
    changes_only: bool = False
    track_changes: bool = False  # diff -f docx: the new plan with the changes as Word revisions
    remarks: bool = False  # diff: a 備考 column
    summary: str = "end"  # diff: where the 変更の概要 goes (SUMMARY_PLACES)
    renderer: object | None = None  # a render.pdf.PdfRenderer started before the pipeline's imports


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


def check_request(request: OutputRequest, directory_output: bool = False) -> None:
    """Refuse options that would silently do nothing, and an -o whose suffix names another format."""
    if not FORMATS[request.fmt].document:
        given = [flag for name, flag in DOCUMENT_OPTIONS.items() if getattr(request, name, None)]
        if request.old_word != "旧":
            given.append("--old-word")
        if request.summary != SUMMARY_PLACES[0]:
            given.append("--summary")
        if given:
            raise UsageError(_("{options} only shape documents (pdf, html, docx); --format {format} "
                               "ignores them. Leave them out, or choose --format pdf.").format(
                                   options=listing(given), format=request.fmt))
    if request.track_changes:
        _check_track_changes(request)
    output = request.output
    if output is None or directory_output or not output.suffix or output.is_dir():
        return
    wanted = "." + FORMATS[request.fmt].extension
    if output.suffix.lower() != wanted and not (request.fmt == "text" and output.suffix == ".text"):
        named = output.suffix.lstrip(".").lower()
        named = next((name for name, spec in FORMATS.items() if spec.extension == named), None)
        if named is None:
            raise UsageError(_("-o {output} ends in {suffix}, which is not a format kenpo-plans writes; "
                               "use -o {fixed_output}.").format(output=output, suffix=output.suffix,
                                                                fixed_output=output.with_suffix(wanted)))
        raise UsageError(_("-o {output} ends in {suffix} but --format is {format}; "
                           "use -o {fixed_output} or --format {suffix_format}.").format(
                               output=output, suffix=output.suffix, format=request.fmt,
                               fixed_output=output.with_suffix(wanted), suffix_format=named))


# What shapes the two-column table only: a document of revisions has no columns, no summary, no template.
TABLE_OPTIONS = {"old_left": "--old-left", "monochrome": "--monochrome", "changes_only": "--changes-only",
                 "remarks": "--remarks", "template_dir": "--template-dir"}


def _check_track_changes(request: OutputRequest) -> None:
    if request.fmt != "docx":
        raise UsageError(_("--track-changes writes Word revisions; use it with --format docx."))
    given = [flag for name, flag in TABLE_OPTIONS.items() if getattr(request, name)]
    given += ["--old-word"] if request.old_word != "旧" else []
    given += ["--summary"] if request.summary != SUMMARY_PLACES[0] else []
    if given:
        raise UsageError(_("{options} shape the two-column table; --track-changes writes the new plan with "
                           "revisions instead. Leave them out, or leave out --track-changes.").format(
                               options=listing(given)))


def deliver(data: str | bytes, request: OutputRequest, default_name: str, protected=(),
            outcome: Outcome | None = None) -> Outcome:
    """Text on stdout, or a file: -o (a directory takes the default name), else the default name here."""
    outcome = outcome or Outcome()
    target = request.output
    if target is None and FORMATS[request.fmt].to_file:
        target = Path(default_name)
    if target is not None and target.is_dir():
        target = target / default_name
    if target is None:
        outcome.stdout = data if isinstance(data, str) else ""
        return outcome
    outcome.written.append(write_atomic(target, data, protected=protected))
    return outcome
