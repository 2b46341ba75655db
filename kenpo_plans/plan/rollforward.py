"""Next year's draft from this year's plan (`kenpo-plans new 2020 --branch kagoshima`).

The plan is edited with ruamel's round-trip mode so that comments, key
order, quoting and layout survive: the new file differs from the old one
only in the header lines that must change.
"""

from __future__ import annotations

import difflib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import KenpoError, OutputError, PlanNotFound, UsageError, ValidationFailed
from ..fileio import checked_target, write_atomic
from ..i18n import _, listing
from ..resources import shipped_national_plans
from . import era, yamlwriter
from .reading import read_plan_text
from .store import PlanStore
from .validate import check_text
from .yamlwriter import PLAN_SCHEMA


class PlanExists(KenpoError):
    """Raised when `new` would overwrite an existing plan without --force."""


@dataclass
class RollForward:
    path: Path
    source: Path
    backup: Path | None
    warnings: list


def retitle(title: str, old_year: int, new_year: int, old_era: str | None) -> str:
    """「平成31年度 事業計画（鹿児島支部）」 → 「令和2年度 事業計画（鹿児島支部）」."""
    old_label = era.format_fiscal_year(old_year, old_era)
    if old_label in title:
        return title.replace(old_label, era.format_fiscal_year(new_year), 1)
    if f"{old_year}年度" in title:
        return title.replace(f"{old_year}年度", f"{new_year}年度", 1)
    return f"{era.format_fiscal_year(new_year)} {title}"


FIRST_PLAN_HEADER = """\
# {name}の最初の計画: {source_label}の協会全体の事業計画（{source}）から作りました。
# TODO: 支部の計画として書き直してください。
#   - 全国の目標値（健康宣言事業所数など）を支部の目標値にする。
#   - per_branch: true のＫＰＩ（目標値は支部ごとに設定）に支部の目標値を書き、per_branch の行を消す
#     （kenpo-plans validate が残っている間は警告します）。
#   - 施策ごとの担当グループを groups: [企画総務G] のように書く（【…G】として印刷されます）。
#   - {source_label}の年度を名指しした文（「…年度中に」など）を今年度の文にする。
"""


def _mappings(node):
    """Every mapping of a YAML tree, each before what it holds (so a caller may edit it first)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _mappings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _mappings(value)


def _drop_notes(node) -> None:
    """A note gives the reason for this year's change (the 新旧対照表's 備考): next year's draft starts without."""
    for mapping in _mappings(node):
        mapping.pop("note", None)


def _branch_items(node) -> None:
    """The national transcription prints its paragraphs bare (marker ''); a branch plan prints ○."""
    for mapping in _mappings(node):
        if mapping.get("marker") == "" and "text" in mapping:
            mapping["marker"] = "○"


def first_plan_text(text: str, national_year: int, year: int, branch: str, name: str, source: str = "") -> str:
    """A branch's first plan from the association-wide one: its sections, measures and shared KPIs, to fill in.

    Read without its comments (they describe the national transcription, not this branch's plan) and
    written afresh, with a header that lists what the branch still has to do."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(text)
    data["branch"] = {"id": branch, "name": name}
    data["fiscal_year"] = year
    data["title"] = f"{era.format_fiscal_year(year)} 事業計画（{name}）"
    data["status"] = "draft"
    for key in ("document", "excerpt", "era"):
        data.pop(key, None)
    _branch_items(data.get("sections", []))
    header = FIRST_PLAN_HEADER.format(name=name, source=source or f"{national_year}.yaml",
                                      source_label=era.format_fiscal_year(national_year))
    return yamlwriter.dump(data, PLAN_SCHEMA, header, block_style=True)


def stale_year_mentions(text: str, national_year: int) -> int:
    """How many lines of the new plan still name the source plan's fiscal year (令和３年度中に…)."""
    import unicodedata

    labels = {era.format_fiscal_year(national_year), f"{national_year}年度"}
    lines = [unicodedata.normalize("NFKC", line) for line in text.splitlines() if not line.lstrip().startswith("#")]
    return sum(1 for line in lines if any(unicodedata.normalize("NFKC", label) in line for label in labels))


def roll_forward_text(text: str, old_year: int, new_year: int) -> str:
    """The new year's plan text: fiscal_year, title and status changed, last year's document data dropped."""
    data = yamlwriter.load(text)
    old_era = data.get("era")
    data["fiscal_year"] = new_year
    data["title"] = retitle(str(data["title"]), old_year, new_year, old_era)
    data["status"] = "draft"
    if "document" in data:
        del data["document"]  # 資料番号 and date belong to last year's document
    if "era" in data and new_year != 2019:
        del data["era"]  # only FY2019 has two era names
    _drop_notes(data.get("sections"))
    return yamlwriter.dump(data)


def _national_source(store: PlanStore, year: int, national: Path | None) -> tuple[Path, int]:
    """The association-wide plan a first plan starts from: the file given, else plans/national, else the one
    shipped with kenpo-plans; the latest year not after ``year``."""
    if national is not None:
        if not Path(national).is_file():
            raise PlanNotFound(_("{path} does not exist; --national names an association-wide plan file "
                                 "(plans/national/<year>.yaml).").format(path=national))
        stem = Path(national).stem
        return Path(national), int(stem) if stem.isdigit() else year
    if NATIONAL in store.branches():
        years = [y for y in store.years(NATIONAL) if y <= year]
        if years:
            return store.path_for(NATIONAL, max(years)), max(years)
    shipped = {y: p for y, p in shipped_national_plans().items() if y <= year}
    if not shipped:
        raise PlanNotFound(_("no association-wide plan of {year} or before is known to start {year}'s first plan "
                             "from; give one with --national FILE (plans/national/<year>.yaml).").format(year=year))
    return shipped[max(shipped)], max(shipped)


def _first_plan(store: PlanStore, branch: str, year: int, name: str | None,
                national: Path | None = None) -> RollForward:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", branch):
        raise UsageError(_("'{branch}' cannot be a branch id: use lowercase letters, digits and '-' (fukuoka).")
                         .format(branch=branch))
    if not name:
        known = listing(b for b in store.branches() if b != NATIONAL) or _("none")
        close = difflib.get_close_matches(branch, [b for b in store.branches() if b != NATIONAL], n=1, cutoff=0.6)
        if close:
            store.path_for(branch, year)  # a mistyped branch: the did-you-mean message
        raise UsageError(_("{branch} has no plan yet (branches with plans: {known}). To start its first plan from "
                           "the association-wide plan, give the branch's name: "
                           "kenpo-plans new {year} -b {branch} --name 福岡支部")
                         .format(branch=branch, year=year, known=known))
    source, national_year = _national_source(store, year, national)
    target = store.root / branch / f"{year}.yaml"
    text = first_plan_text(read_plan_text(source), national_year, year, branch, name, source.name)
    report = check_text(text, str(target))
    if not report.ok:
        raise ValidationFailed(report.problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text, plan=True, hint=_("check that the plans folder is writable"))
    warnings: list = []
    if national_year < year - 1:
        warnings.append(_("warning: the association-wide plan it starts from is of {source} ({old}), older than "
                          "the year before {new}: read it against this year's association-wide plan, or give that "
                          "plan with --national FILE.").format(source=era.format_fiscal_year(national_year),
                                                               old=national_year, new=year))
    stale = stale_year_mentions(text, national_year)
    if stale:
        warnings.append(_("warning: {count} line(s) still name {label}, the source plan's year; rewrite them for "
                          "{new_label}.").format(count=stale, label=era.format_fiscal_year(national_year),
                                                 new_label=era.format_fiscal_year(year)))
    warnings += _national_figures(report.plan)
    return RollForward(target, source, None, warnings + report.warnings)


def _national_figures(plan) -> list[str]:
    """Counts the association sets for all branches together (57,000事業所) are no branch's target."""
    from .targets import read_target

    found = []
    for _measure, kpi in plan.walk_kpis() if plan else ():
        goal = read_target(kpi.target_source_text).target
        if goal and goal.basis == "absolute" and goal.value is not None and goal.unit not in (None, "%"):
            found.append(_("warning: KPI '{id}' ({target}) is the association-wide figure; write {name}'s own "
                           "target.").format(id=kpi.id, target=goal.describe_ja(), name=plan.branch_name))
    return found


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


def keep_backup(store: PlanStore, branch: str, target: Path) -> Path:
    backup = _backup_path(store, branch, target)
    try:
        shutil.copy2(target, backup)
    except OSError as exc:
        raise OutputError(_("cannot keep a backup of {target} in {backup}: {reason}; it was not replaced.").format(
            target=target, backup=backup, reason=exc.strerror or exc)) from exc
    return backup


NATIONAL = "national"  # the association-wide plan a branch's first plan starts from


def new_plan(store: PlanStore, branch: str, year: int, from_year: int | None = None,
             force: bool = False, name: str | None = None, national: Path | None = None) -> RollForward:
    """Create plans/<branch>/<year>.yaml from an existing year (default: the latest before it), or, for a
    branch with no plan yet, from the association-wide plan (``name`` is the branch's name, 福岡支部)."""
    if branch not in store.branches():
        return _first_plan(store, branch, year, name, national)
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
        backup = keep_backup(store, branch, target)
    write_atomic(target, text, plan=True, hint=_("check that the plans folder is writable"))
    return RollForward(target, source, backup, report.warnings)
