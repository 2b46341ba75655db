"""The pages of the review site, each a unit: the files it writes, the files it is made from, how it is made.

A unit is rebuilt only when the content of its inputs changed (commands.site keeps the hashes), so the
inputs name everything a page reads: a plan page its plan; a 新旧対照表 both plans and the old year's
results; a results page the plan and results of its year and the year before; a branch's KPI page every
file of the branch; a ranking every branch's files of its year and the year before.  Every document is
made by the same library function its command uses, so a page reads like the command's own output.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import KenpoError
from ..labels import PERIOD_LABELS, STATUS_LABELS
from ..plan.files import results_path_for
from ..plan.store import PlanStore
from ..plan.loader import load_plan
from ..plan.vocabulary import name_of
from ..render.site import decorate
from ..results.validate import read_results_file
from ..results.report import load_report
from .diff import diff
from .kpi import kpi_view
from .outputs import DOCUMENTS, FORMATS, file_name
from .requests import OutputRequest

DOWNLOAD_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}
PERIOD_ORDER = ("q1", "h1", "q2", "q3", "year")
DOCUMENT_FORMATS = ("pdf", "docx", "xlsx")  # each page's downloads, where its command writes that format


@dataclass(frozen=True)
class Unit:
    key: str  # plan/kagoshima/2019: names the unit in the manifest and in messages
    page: str  # the HTML page, relative to the site's folder
    inputs: tuple[Path | str, ...]  # files (their content is hashed) or digests already made
    make: Callable[[], dict[str, str | bytes]]  # every file of the unit, by path relative to the site


@dataclass(frozen=True)
class FileFacts:
    """What the index and the list of pages need from a plan or results file (cached by content in the manifest,
    so a file read once is not read again until it changes)."""

    error: str | None = None  # the file does not validate: why, as validate says it
    branch_name: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    number: str | None = None
    year_label: str = ""
    kpis: tuple[str, ...] = ()
    kpi_digests: dict[str, str] = field(default_factory=dict)  # each KPI's content, for the rankings' inputs
    periods: tuple[str, ...] = ()  # of a results file, in the order of the year

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "FileFacts":
        return cls(**{**data, "kpis": tuple(data.get("kpis", ())), "periods": tuple(data.get("periods", ()))})


NO_FACTS = FileFacts()  # a file that is not there


def plan_facts(path: Path) -> FileFacts:
    try:
        plan, _warnings = load_plan(path)
    except KenpoError as exc:
        return FileFacts(error=str(exc))
    kpis = [kpi for _measure, kpi in plan.walk_kpis()]
    return FileFacts(branch_name=plan.branch_name, title=plan.title, status=plan.status,
                     status_label=STATUS_LABELS.get(plan.status, plan.status), number=plan.document.number,
                     year_label=plan.year_label, kpis=tuple(kpi.id for kpi in kpis),
                     kpi_digests={kpi.id: _digest(repr((plan.branch_name, plan.year_label, kpi))) for kpi in kpis})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def results_facts(path: Path) -> FileFacts:
    results, problems = read_results_file(path)
    if results is None:
        return FileFacts(error="; ".join(str(p) for p in problems if p.severity == "error"))
    return FileFacts(periods=tuple(sorted({r.period for r in results.reports}, key=_period_rank)))


def _period_rank(period: str) -> int:
    return PERIOD_ORDER.index(period) if period in PERIOD_ORDER else len(PERIOD_ORDER)


def results_file(store: PlanStore, branch: str, year: int) -> Path:
    """Where a year's results file is or would be (a year without a plan has none, which hashes as absent)."""
    return results_path_for(store.expected_path(branch, year))


def plan_page(branch: str, year: int) -> str:
    return f"plans/{branch}/{year}.html"


def shinkyu_page(branch: str, old: int, new: int) -> str:
    return f"shinkyu/{branch}/{old}-{new}.html"


def results_page(branch: str, year: int, period: str) -> str:
    return f"results/{branch}/{year}-{period}.html"


def kpi_page(branch: str) -> str:
    return f"kpi/{branch}.html"


def ranking_page(kpi_id: str, year: int) -> str:
    return f"kpi/{kpi_id}-{year}.html"


def _with_downloads(page: str, html: str, documents: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The page decorated for the site, and its PDF/Word/Excel beside it under the commands' file names."""
    folder = page.rpartition("/")[0]
    root = "../" * page.count("/")
    downloads = [{"label": DOWNLOAD_LABELS[name.rpartition(".")[2]], "href": name} for name in documents]
    files: dict[str, str | bytes] = {page: decorate(html, root, downloads)}
    files.update({f"{folder}/{name}": data for name, data in documents.items()})
    return files


def document_files(document: str, subject, page: str, formats: tuple[str, ...]) -> dict[str, str | bytes]:
    """One document of the format registry as the site's page, with every download the registry offers for it
    among ``formats`` (a 新旧対照表 has no workbook, a KPI view no Word file)."""
    def made(fmt: str) -> str | bytes:
        return FORMATS[fmt].writers[document](subject, OutputRequest(fmt=fmt))

    stem = DOCUMENTS[document].stem(subject)
    offered = [fmt for fmt in formats if document in FORMATS[fmt].writers]
    return _with_downloads(page, made("html"), {file_name(stem, fmt): made(fmt) for fmt in offered})


def _plan_unit(store: PlanStore, branch: str, year: int, formats: tuple[str, ...]) -> Unit:
    path = store.path_for(branch, year)

    def make():
        return document_files("plan", load_plan(path)[0], plan_page(branch, year), formats)

    return Unit(f"plan/{branch}/{year}", plan_page(branch, year), (path,), make)


def _shinkyu_unit(store: PlanStore, branch: str, old: int, new: int, formats: tuple[str, ...]) -> Unit:
    inputs = (store.path_for(branch, old), store.path_for(branch, new), results_file(store, branch, old))

    def make():
        result = diff((str(old), str(new)), branch, store.root)
        return document_files("diff", result, shinkyu_page(branch, old, new), formats)

    return Unit(f"shinkyu/{branch}/{old}-{new}", shinkyu_page(branch, old, new), inputs, make)


def _results_unit(store: PlanStore, branch: str, year: int, period: str, formats: tuple[str, ...]) -> Unit:
    inputs = (store.expected_path(branch, year), results_file(store, branch, year),
              store.expected_path(branch, year - 1), results_file(store, branch, year - 1))

    def make():
        report = load_report(year, branch, store.root, period)
        return document_files("results", report, results_page(branch, year, period), formats)

    return Unit(f"results/{branch}/{year}/{period}", results_page(branch, year, period), inputs, make)


def _kpi_unit(store: PlanStore, branch: str, files: tuple[Path, ...], formats: tuple[str, ...]) -> Unit:
    def make():
        return document_files("kpi", kpi_view(None, branch, plans_dir=store.root), kpi_page(branch), formats)

    return Unit(f"kpi/{branch}", kpi_page(branch), files, make)


def _ranking_unit(store: PlanStore, kpi_id: str, year: int, inputs: tuple[Path | str, ...],
                  formats: tuple[str, ...]) -> Unit:
    def make():
        view = kpi_view(kpi_id, None, True, year, store.root)
        return document_files("kpi", view, ranking_page(kpi_id, year), formats)

    return Unit(f"ranking/{kpi_id}/{year}", ranking_page(kpi_id, year), inputs, make)


def units(store: PlanStore, facts: dict[Path, FileFacts], formats: tuple[str, ...] = DOCUMENT_FORMATS) -> list[Unit]:
    """Every page of the site for the plans in ``store``; ``facts`` holds plan_facts/results_facts by path;
    ``formats`` the downloads beside each page (the live preview leaves them out to show an edit sooner)."""
    found: list[Unit] = []
    branch_files: dict[str, tuple[Path, ...]] = {}
    for branch in store.branches():
        years = store.years(branch)
        branch_files[branch] = tuple(p for y in years for p in (store.path_for(branch, y),
                                                                results_file(store, branch, y)))
        for year in years:
            found.append(_plan_unit(store, branch, year, formats))
            for period in facts.get(results_file(store, branch, year), NO_FACTS).periods:
                found.append(_results_unit(store, branch, year, period, formats))
        found += [_shinkyu_unit(store, branch, old, new, formats) for old, new in zip(years, years[1:])]
        found.append(_kpi_unit(store, branch, branch_files[branch], formats))
    for (kpi_id, year), branches in sorted(shared_kpis(store, facts).items()):
        # a ranking reads one KPI of each plan: an edit elsewhere in the plans leaves it as it is
        digests = tuple(f"{branch}:{facts[store.path_for(branch, year)].kpi_digests[kpi_id]}"
                        for branch in branches)
        inputs = digests + tuple(results_file(store, branch, y) for branch in branches for y in (year - 1, year))
        found.append(_ranking_unit(store, kpi_id, year, inputs, formats))
    return found


def shared_kpis(store: PlanStore, facts: dict[Path, FileFacts]) -> dict[tuple[str, int], list[str]]:
    """(KPI, year) → the branches whose plan of that year has it, for KPIs two or more branches share."""
    holders: dict[tuple[str, int], list[str]] = defaultdict(list)
    for branch in store.branches():
        for year in store.years(branch):
            for kpi_id in dict.fromkeys(facts.get(store.path_for(branch, year), NO_FACTS).kpis):
                holders[(kpi_id, year)].append(branch)
    return {key: branches for key, branches in holders.items() if len(branches) >= 2}


def kpi_name(kpi_id: str) -> str:
    return name_of(kpi_id) or kpi_id


def period_label(period: str) -> str:
    return PERIOD_LABELS.get(period, period)
