"""`kenpo-plans site -o DIR`: every plan, 新旧対照表, results report and KPI view as one static, searchable site.

Incremental: the site's folder keeps a manifest (.kenpo-site.json) with, for each page (commands.site_units),
a hash of the content of every file it is made from, the templates and the tool's version.  A rebuild makes
only the pages whose hash changed, removes the pages whose plan is gone, and re-indexes the search only when
a page changed.  A page that cannot be made (a YAML error) keeps its last good version, and says why.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import KenpoError, OutputError, UsageError
from ..fileio import write_atomic
from ..git.changes import last_changes, revision
from ..i18n import _
from ..labels import SITE_SEARCH_TITLE
from ..plan.reading import read_limited
from ..plan.store import PlanStore, resolve_plans_dir
from ..render import site as site_render
from ..render import site_search
from ..resources import data_dir
from . import site_units
from .outputs import SITE_FOLDER
from .site_units import FileFacts, Unit

MANIFEST = ".kenpo-site.json"
MANIFEST_VERSION = 3
SEARCH_FOLDER = "pagefind"


class SiteError(KenpoError):
    """Some pages could not be made; the others were, and the last good version of those is kept."""


@dataclass
class SiteResult:
    folder: Path
    built: list[str] = field(default_factory=list)  # units made this time
    kept: int = 0  # units whose inputs had not changed
    removed: list[str] = field(default_factory=list)  # units whose plan or results are gone
    errors: list[str] = field(default_factory=list)  # "plan/kagoshima/2019: FILE:LINE: …"
    indexed: bool = False  # the search index was rebuilt
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [_("site {folder}: {built} page(s) made, {kept} unchanged, {removed} removed{search} "
                   "({seconds:.1f} s); open {index}").format(
                       folder=self.folder, built=len(self.built), kept=self.kept, removed=len(self.removed),
                       search=_(", search index rebuilt") if self.indexed else "", seconds=self.seconds,
                       index=self.folder / "index.html")]
        return "\n".join(lines + self.errors) + "\n"


class _Hashes:
    """Each input file's content hash, read once per build; a missing file hashes as absent."""

    def __init__(self):
        self.known: dict[Path, str] = {}

    def of(self, path: Path) -> str:
        if path not in self.known:
            self.known[path] = hashlib.sha256(read_limited(path)).hexdigest() if path.is_file() else "-"
        return self.known[path]


def build_site(output: Path | None = None, plans_dir=None, force: bool = False, search: bool = True,
               progress=None, documents: bool = True) -> SiteResult:
    """Build or bring up to date the site in ``output`` (default public/); raises SiteError after the rest
    is built when some page could not be made."""
    started = time.perf_counter()
    result = update_site(Path(output or SITE_FOLDER), plans_dir, force, search, progress, documents)
    result.seconds = time.perf_counter() - started
    if result.errors:
        raise SiteError(result.summary().rstrip("\n"))
    return result


def update_site(folder: Path, plans_dir=None, force: bool = False, search: bool = True,
                progress=None, documents: bool = True) -> SiteResult:
    """The build itself; errors are in the result (the live preview shows them in the page)."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    manifest = _read_manifest(folder)
    hashes = _Hashes()
    facts = _facts(store, manifest, hashes)
    formats = site_units.DOCUMENT_FORMATS if documents else ()
    units = site_units.units(store, facts, formats)
    base = _base_fingerprint() + ",".join(formats)
    result = SiteResult(folder)
    for number, unit in enumerate(units, 1):
        fingerprint = _fingerprint(base, unit, hashes)
        entry = manifest["units"].get(unit.key)
        if not force and entry and entry["fingerprint"] == fingerprint and _present(folder, entry["files"]):
            result.kept += 1
            continue
        try:
            files = unit.make()
        except KenpoError as exc:
            result.errors.append(f"{unit.key}: {exc}")
            if progress:
                progress(number, len(units), unit.key, _("failed"))
            continue
        if progress:
            progress(number, len(units), unit.key, _("made"))
        _write_unit(folder, files, entry)
        manifest["units"][unit.key] = {"fingerprint": fingerprint, "files": sorted(files), "page": unit.page}
        result.built.append(unit.key)
    current = {unit.key for unit in units}
    for key in [key for key in manifest["units"] if key not in current]:
        _remove(folder, manifest["units"].pop(key)["files"])
        result.removed.append(key)
    if search and (result.built or result.removed or not (folder / SEARCH_FOLDER).is_dir()
                   or not (folder / site_search.SCRIPT).is_file()):
        index_search(folder)
        write_atomic(folder / site_search.SCRIPT, site_search.offline_index(folder, (SEARCH_FOLDER,)))
        result.indexed = True
    _write_site_pages(folder, store, manifest, facts, result)
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, sort_keys=True))
    return result


def _read_manifest(folder: Path) -> dict:
    empty = {"version": MANIFEST_VERSION, "tool": __version__, "units": {}, "facts": {}, "pages": ""}
    path = folder / MANIFEST
    if folder.exists() and not folder.is_dir():
        raise OutputError(_("{folder} is a file; give a folder for the site (-o public).").format(folder=folder))
    if folder.is_dir() and any(folder.iterdir()) and not path.is_file():
        raise UsageError(_("{folder} is not empty and was not made by kenpo-plans site (it has no {manifest}); "
                           "choose a new or empty folder, so nothing of yours is replaced.").format(
                               folder=folder, manifest=MANIFEST))
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else empty
    except (OSError, ValueError):
        return empty  # a damaged manifest only costs a full build
    if data.get("version") != MANIFEST_VERSION or data.get("tool") != __version__:
        return {**empty, "units": data.get("units", {})}  # files kept for removal, every hash stale
    return data


def _facts(store: PlanStore, manifest: dict, hashes: _Hashes) -> dict[Path, FileFacts]:
    """plan_facts/results_facts of every file, reused from the manifest when its content is the same."""
    cached, fresh, found = manifest.get("facts", {}), {}, {}
    for branch in store.branches():
        for year in store.years(branch):
            for path, read in ((store.path_for(branch, year), site_units.plan_facts),
                               (site_units.results_file(store, branch, year), site_units.results_facts)):
                digest = hashes.of(path)
                if digest == "-":
                    continue
                facts = _cached_facts(cached.get(digest)) or read(path)
                fresh[digest] = facts.to_dict()
                found[path] = facts
    manifest["facts"] = fresh
    return found


def _cached_facts(data) -> FileFacts | None:
    """The facts the manifest kept; None (read the file again) for an entry a hand or a bug damaged."""
    try:
        return FileFacts.from_dict(data) if isinstance(data, dict) else None
    except (TypeError, ValueError):
        return None


def _base_fingerprint() -> str:
    """The tool's version and every shipped template: a new version or template makes every page again."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(data_dir("templates").iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _fingerprint(base: str, unit: Unit, hashes: _Hashes) -> str:
    digest = hashlib.sha256(f"{base}\0{unit.key}".encode())
    for source in unit.inputs:
        digest.update((f"\0{source}" if isinstance(source, str) else f"\0{source.name}:{hashes.of(source)}").encode())
    return digest.hexdigest()


def _present(folder: Path, files: list[str]) -> bool:
    return all((folder / name).is_file() for name in files)


def _write_unit(folder: Path, files: dict[str, str | bytes], previous: dict | None) -> None:
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    if previous:
        _remove(folder, [name for name in previous["files"] if name not in files])


def _remove(folder: Path, names: list[str]) -> None:
    """Only files the manifest says the site wrote."""
    for name in names:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            path.unlink()


def _write_site_pages(folder: Path, store: PlanStore, manifest: dict, facts: dict[Path, FileFacts],
                      result: SiteResult) -> None:
    """The index, the KPI list and the search page: remade when a page, a title, git or an error changed."""
    from .site_index import index_context, kpi_context

    git = revision(store.root)
    searchable = (folder / SEARCH_FOLDER / "pagefind-ui.js").is_file()
    state = hashlib.sha256(json.dumps([sorted((k, v["fingerprint"]) for k, v in manifest["units"].items()),
                                       git, result.errors, _base_fingerprint(), searchable], sort_keys=True).encode())
    changes = last_changes(store.root) if git else {}
    state.update(json.dumps(changes, sort_keys=True).encode())
    pages = ("index.html", "kpi/index.html", "search.html", "search.js", "favicon.ico")
    if manifest.get("pages") == state.hexdigest() and _present(folder, list(pages)):
        return
    built = time.strftime("%Y-%m-%d %H:%M %Z")
    common = {"built": built, "revision": git}
    context = index_context(store, facts, manifest["units"], changes, result.errors)
    (folder / "kpi").mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "index.html", site_render.page("site-index.html.j2", root="", **common, **context))
    write_atomic(folder / "kpi/index.html", site_render.page("site-kpi.html.j2", root="../", **common,
                                                             **kpi_context(store, facts, manifest["units"])))
    write_atomic(folder / "search.html", site_render.page("site-search.html.j2", root="", title=SITE_SEARCH_TITLE,
                                                                 searchable=searchable, **common))
    write_atomic(folder / "search.js", site_render.search_script())
    write_atomic(folder / "favicon.ico", site_render.favicon())
    manifest["pages"] = state.hexdigest()


def index_search(folder: Path) -> None:
    """Pagefind's index of the pages marked data-pagefind-body (the documents, not the site's lists)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise KenpoError(_("the search index needs Pagefind, which is missing: pip install 'pagefind[extended]' "
                           "(or build with --no-search)."))
    staged = folder / f".{SEARCH_FOLDER}.new"
    shutil.rmtree(staged, ignore_errors=True)
    done = subprocess.run([str(binary), "--site", str(folder), "--output-path", str(staged), "--silent",
                           "--keep-index-url"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        shutil.rmtree(staged, ignore_errors=True)
        raise KenpoError(_("Pagefind could not index {folder}: {message}").format(
            folder=folder, message=(done.stderr or done.stdout).strip()[-2000:]))
    old = folder / SEARCH_FOLDER
    retired = folder / f".{SEARCH_FOLDER}.old"
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    staged.rename(old)  # the last good index stays until the new one is complete
    shutil.rmtree(retired, ignore_errors=True)
