"""Next year's draft from this year's plan (`kenpo-plans new 2020 --branch kagoshima`).

The plan is edited with ruamel's round-trip mode so that comments, key
order, quoting and layout survive: the new file differs from the old one
only in the header lines that must change.
"""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from . import era
from ..errors import PlanNotFound, KenpoError, OutputError, UsageError, ValidationFailed
from ..i18n import _, listing
from .loader import read_plan_text
from ..fileio import checked_target, write_atomic
from .store import PlanStore
from .validate import check_text


class PlanExists(KenpoError):
    """Raised when `new` would overwrite an existing plan without --force."""


@dataclass
class RollForward:
    path: Path
    source: Path
    backup: Path | None
    warnings: list


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long Japanese sentence
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def retitle(title: str, old_year: int, new_year: int, old_era: str | None) -> str:
    """「平成31年度 事業計画（鹿児島支部）」 → 「令和2年度 事業計画（鹿児島支部）」."""
    old_label = era.format_fiscal_year(old_year, old_era)
    if old_label in title:
        return title.replace(old_label, era.format_fiscal_year(new_year), 1)
    if f"{old_year}年度" in title:
        return title.replace(f"{old_year}年度", f"{new_year}年度", 1)
    return f"{era.format_fiscal_year(new_year)} {title}"


def first_plan_text(text: str, national_year: int, year: int, branch: str, name: str) -> str:
    """A branch's first plan from the association-wide one: its sections, measures and shared KPIs, to fill in."""
    yaml = _yaml()
    data = yaml.load(text)
    data["branch"] = {"id": branch, "name": name}
    data["fiscal_year"] = year
    data["title"] = f"{era.format_fiscal_year(year)} 事業計画（{name}）"
    data["status"] = "draft"
    for key in ("document", "excerpt", "era"):
        if key in data:
            del data[key]
    out = io.StringIO()
    yaml.dump(data, out)
    lines = out.getvalue().splitlines(keepends=True)
    # the national file's header notes are about its source document, not about this branch's plan
    header = [line for line in lines[:next((i for i, l in enumerate(lines) if not l.startswith("#")), 0)]
              if line.startswith("# yaml-language-server:")]
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(header + lines[start:])


def roll_forward_text(text: str, old_year: int, new_year: int) -> str:
    """The new year's plan text: fiscal_year, title and status changed, last year's document data dropped."""
    yaml = _yaml()
    data = yaml.load(text)
    old_era = data.get("era")
    data["fiscal_year"] = new_year
    data["title"] = retitle(str(data["title"]), old_year, new_year, old_era)
    data["status"] = "draft"
    if "document" in data:
        del data["document"]  # 資料番号 and date belong to last year's document
    if "era" in data and new_year != 2019:
        del data["era"]  # only FY2019 has two era names
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _first_plan(store: PlanStore, branch: str, year: int, name: str | None) -> RollForward:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", branch):
        raise UsageError(_("'{branch}' cannot be a branch id: use lowercase letters, digits and '-' (fukuoka).")
                         .format(branch=branch))
    national = [y for y in store.years(NATIONAL) if y <= year] if NATIONAL in store.branches() else []
    if not national:
        store.path_for(branch, year)  # the did-you-mean message for a mistyped branch
    if not name:
        raise UsageError(_("{branch} has no plan yet; starting its first plan from the association-wide plan needs "
                           "its name: kenpo-plans new {year} -b {branch} --name 福岡支部")
                         .format(branch=branch, year=year))
    source = store.path_for(NATIONAL, max(national))
    target = store.root / branch / f"{year}.yaml"
    text = first_plan_text(read_plan_text(source), max(national), year, branch, name)
    report = check_text(text, str(target))
    if not report.ok:
        raise ValidationFailed(report.problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text, plan=True, hint=_("check that the plans folder is writable"))
    return RollForward(target, source, None, report.warnings)


BACKUP_DIR = ".kenpo-plans-backup"  # beside plans/, not inside it, where `git add -A plans` would take it


def _backup_path(store: PlanStore, branch: str, target: Path) -> Path:
    """A new file every time (never an earlier backup overwritten), outside the plans directory."""
    root = store.root.resolve().parent / BACKUP_DIR
    folder = root / branch
    folder.mkdir(parents=True, exist_ok=True)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# backups kenpo-plans new --force keeps; git never takes them\n*\n", encoding="utf-8")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{target.name}.{stamp}.bak"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{target.name}.{stamp}-{n}.bak"
    return candidate


def _backup(store: PlanStore, branch: str, target: Path) -> Path:
    backup = _backup_path(store, branch, target)
    try:
        shutil.copy2(target, backup)
    except OSError as exc:
        raise OutputError(_("cannot keep a backup of {target} in {backup}: {reason}; it was not replaced.").format(
            target=target, backup=backup, reason=exc.strerror or exc)) from exc
    return backup


NATIONAL = "national"  # the association-wide plan a branch's first plan starts from


def new_plan(store: PlanStore, branch: str, year: int, from_year: int | None = None,
             force: bool = False, name: str | None = None) -> RollForward:
    """Create plans/<branch>/<year>.yaml from an existing year (default: the latest before it), or, for a
    branch with no plan yet, from the association-wide plan (``name`` is the branch's name, 福岡支部)."""
    if branch not in store.branches():
        return _first_plan(store, branch, year, name)
    years = store.years(branch)
    if from_year is None:
        earlier = [y for y in years if y < year]
        if not earlier:
            if not years:
                store.path_for(branch, year)  # an unknown branch: the did-you-mean message
            shown = listing(str(y) for y in years)
            raise PlanNotFound(_("{branch} has no plan before {year} to start it from (its years: {shown}). "
                                 "Name one with --from, e.g. kenpo-plans new {year} -b {branch} --from {first}.")
                               .format(branch=branch, year=year, shown=shown, first=years[0]))
        from_year = max(earlier)
    if from_year == year:
        raise UsageError(_("--from {from_year} is the year being created; roll forward from an earlier year.")
                         .format(from_year=from_year))
    source = store.path_for(branch, from_year)
    target = store.expected_path(branch, year)
    backup = None
    replacing = target.exists()
    if replacing:
        if not force:
            raise PlanExists(_("{target} already exists; it was not changed. Use --force to replace it "
                               "(a backup copy is kept in {backups}).")
                             .format(target=target, backups=store.root.resolve().parent / BACKUP_DIR))
        checked_target(target, plan=True)  # a directory or a FIFO is refused before anything is made
    text = roll_forward_text(read_plan_text(source), from_year, year)
    report = check_text(text, str(target))
    if not report.ok:
        raise ValidationFailed(report.problems)
    if replacing:
        backup = _backup(store, branch, target)
    write_atomic(target, text, plan=True, hint=_("check that the plans folder is writable"))
    return RollForward(target, source, backup, report.warnings)
