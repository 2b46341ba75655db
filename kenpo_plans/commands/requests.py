"""What each command is asked to do, as one frozen record: the command line builds it, the command reads it.

Frozen and plain on purpose: a request is also the ``--all-branches`` cache key (commands.batch hashes its
fields), so a field added here is part of that key without anyone having to remember it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..labels import OLD_WORD

SUMMARY_PLACES = ("end", "start", "none")  # the 新旧対照表's 変更の概要: after the table, as the originals have it


@dataclass(frozen=True)
class OutputRequest:
    """How to write a document: the format, where to, and the options that shape it (fonts, layout, …)."""

    fmt: str = "pdf"
    output: Path | None = None
    color: bool = False
    font: str | None = None
    template_dir: Path | None = None
    landscape: bool = False
    old_left: bool = False
    old_word: str = OLD_WORD
    monochrome: bool = False
    changes_only: bool = False
    layout: str | None = None  # the results table's layout (grade, status, progress)
    computed: str | None = None  # results: judgements computed from the plan's targets: annex (None), inline, none
    remarks: bool = False  # the 新旧対照表: a 備考 column
    summary: str = "end"  # the 新旧対照表: where the 変更の概要 goes (end, start, none)
    track_changes: bool = False  # the 新旧対照表 in Word: the new plan with its changes as revisions


@dataclass(frozen=True)
class DiffRequest:
    """What to compare: ``versions`` are two years (with ``branch``), two plan files, or one year with ``rev``."""

    versions: tuple[str, ...]
    branch: str | None = None
    plans_dir: Path | None = None
    exact: bool = False
    encoding: str | None = None
    rev: str | None = None
    all_branches: bool = False
    jobs: int | None = None
    force: bool = False  # --all-branches: render branches whose output is up to date too
    exit_code: bool = False  # exit status 1 when there are differences
    rendering: OutputRequest = field(default_factory=OutputRequest)


@dataclass(frozen=True)
class PlanRequest:
    """One plan, shown or published."""

    year: str
    branch: str
    plans_dir: Path | None = None
    encoding: str | None = None
    rendering: OutputRequest = field(default_factory=lambda: OutputRequest(fmt="text"))


@dataclass(frozen=True)
class ResultsRequest:
    """One report of one year's results; ``period`` None: the latest report."""

    year: str
    branch: str
    plans_dir: Path | None = None
    period: str | None = None
    encoding: str | None = None
    rendering: OutputRequest = field(default_factory=OutputRequest)


@dataclass(frozen=True)
class KpiRequest:
    """One branch's KPIs across years, or (``all_branches``) one KPI across branches in one year."""

    kpi_id: str | None = None
    branch: str | None = None
    all_branches: bool = False
    year: str | None = None
    plans_dir: Path | None = None
    rendering: OutputRequest = field(default_factory=lambda: OutputRequest(fmt="html"))
