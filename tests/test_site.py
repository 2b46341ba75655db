"""`kenpo-plans site`: every plan, 新旧対照表, results report and KPI view on the real plans; rebuilt incrementally."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kenpo_plans.commands.serve import check_host, with_reload
from kenpo_plans.commands.site import MANIFEST, SiteError, build_site, update_site

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def broken_links(site: Path) -> list[str]:
    """Every href/src of every page that is not a file of the site (or that leaves the computer)."""
    broken = []
    for page in site.rglob("*.html"):
        if "pagefind" in page.relative_to(site).parts:
            continue
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") or link.startswith("//"):
                broken.append(f"{page}: external {link}")
            elif parts.scheme or not parts.path:
                continue  # data:, mailto:, #fragment
            elif not (page.parent / unquote(parts.path)).resolve().is_file():
                broken.append(f"{page}: {link}")
    return broken


@pytest.fixture
def small_plans(tmp_path):
    """Two real branches a test may edit: Kagoshima (two years, one 新旧対照表) and Yamaguchi (results)."""
    for branch in ("kagoshima", "yamaguchi"):
        shutil.copytree(PLANS / branch, tmp_path / "plans" / branch)
    return tmp_path / "plans"


@pytest.fixture(scope="module")
def html_site(tmp_path_factory):
    """The real plans as a site of pages only (no PDF/Word/Excel, no search index): fast to build."""
    folder = tmp_path_factory.mktemp("site") / "public"
    result = build_site(folder, PLANS, search=False, documents=False)
    return folder, result


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_site_has_every_branch_year_pair_report_and_kpi_page(html_site):
    folder, result = html_site
    assert result.errors == []
    index = (folder / "index.html").read_text(encoding="utf-8")
    for branch in ("kagoshima", "kumamoto", "yamaguchi", "national"):
        years = sorted(int(p.stem) for p in (PLANS / branch).glob("[0-9][0-9][0-9][0-9].yaml"))
        for year in years:
            assert (folder / f"plans/{branch}/{year}.html").is_file()
            assert f'href="plans/{branch}/{year}.html"' in index
        for old, new in zip(years, years[1:]):
            page = folder / f"shinkyu/{branch}/{old}-{new}.html"
            assert page.is_file() and f'href="shinkyu/{branch}/{old}-{new}.html"' in index
        assert (folder / f"kpi/{branch}.html").is_file()
    assert (folder / "shinkyu/kumamoto/2021-2023.html").is_file()  # successive plan years, not calendar years
    assert (folder / "results/kumamoto/2024-year.html").is_file()
    assert (folder / "results/yamaguchi/2021-q1.html").is_file()
    assert (folder / "results/national/2021-h1.html").is_file()
    assert list((folder / "kpi").glob("seikatsu-kenshin-ritsu-2021.html"))  # a ranking across branches
    assert '<html lang="ja">' in index and "作成" in index


def test_pages_are_the_commands_documents_marked_for_search(html_site, run, tmp_path):
    folder, _result = html_site
    page = (folder / "plans/kagoshima/2019.html").read_text(encoding="utf-8")
    shown = tmp_path / "plan.html"
    assert run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "html", "-o", shown).code == 0
    body = shown.read_text(encoding="utf-8").split("<body", 1)[1].split(">", 1)[1]
    assert body.strip()[:2000] in page  # the document itself, unchanged after the site's bar
    assert "data-pagefind-body" in page and 'data-pagefind-ignore="all"' in page
    assert "ジェネリック" in page


def test_the_offline_search_data_holds_what_pagefind_indexes_and_no_bar(html_site):
    """A site on a file server searches search-data.js: the documents' text (a plan's sentence, a KPI, a result), not
    the site's own lists and not the navigation bar Pagefind is told to ignore."""
    from kenpo_plans.render.site_search import offline_index

    folder, _result = html_site
    script = offline_index(folder, ("pagefind",))
    assert script.startswith("window.KENPO_SEARCH = ") and "</" not in script
    pages = {page["u"]: page for page in json.loads(script[len("window.KENPO_SEARCH = "):].rstrip(";\n"))}
    assert "index.html" not in pages and "search.html" not in pages and "kpi/index.html" not in pages
    plan = pages["plans/kagoshima/2019.html"]
    assert any("ジェネリック" in block for block in plan["b"]) and plan["t"]
    assert not any(block in ("一覧", "ＫＰＩ", "検索") for block in plan["b"])  # the bar is not content
    assert any(page.startswith("results/") for page in pages) and any(page.startswith("shinkyu/") for page in pages)
    sentence = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
    assert any(sentence in block for block in pages["plans/kagoshima/2019.html"]["b"])


def test_every_local_link_resolves_and_nothing_is_external(html_site):
    folder, _result = html_site
    assert broken_links(folder) == []


def test_unchanged_rebuild_makes_nothing(html_site):
    folder, _result = html_site
    again = update_site(folder, PLANS, search=False, documents=False)
    assert again.built == [] and again.removed == [] and again.kept > 10


def test_one_plan_edit_rebuilds_only_the_pages_made_from_it(small_plans, tmp_path):
    folder = tmp_path / "public"
    update_site(folder, small_plans, search=False, documents=False)
    plan = small_plans / "kagoshima" / "2019.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ジェネリック", "後発医薬品（ジェネリック）", 1),
                    encoding="utf-8")
    again = update_site(folder, small_plans, search=False, documents=False)
    assert sorted(again.built) == ["kpi/kagoshima", "plan/kagoshima/2019", "shinkyu/kagoshima/2018-2019"]
    assert "後発医薬品（ジェネリック）" in (folder / "plans/kagoshima/2019.html").read_text(encoding="utf-8")


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_rankings_are_rebuilt_only_when_their_kpi_changed(tmp_path):
    for branch in ("kumamoto", "yamaguchi"):
        shutil.copytree(PLANS / branch, tmp_path / "plans" / branch)
    plans, folder = tmp_path / "plans", tmp_path / "public"
    first = update_site(folder, plans, search=False, documents=False)
    assert "ranking/yusoka-ritsu/2021" in first.built
    plan = plans / "kumamoto" / "2021.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("限度額認定証の利用促進", "限度額適用認定証の利用促進", 1), encoding="utf-8")
    wording = update_site(folder, plans, search=False, documents=False)
    assert "plan/kumamoto/2021" in wording.built and not [k for k in wording.built if k.startswith("ranking/")]
    plan.write_text(text.replace("郵送化率：95.0%以上", "郵送化率：96.0%以上", 1), encoding="utf-8")
    target = update_site(folder, plans, search=False, documents=False)
    assert [k for k in target.built if k.startswith("ranking/")] == ["ranking/yusoka-ritsu/2021"]


def test_a_removed_plan_takes_its_pages_with_it(small_plans, tmp_path):
    folder = tmp_path / "public"
    update_site(folder, small_plans, search=False, documents=False)
    (small_plans / "kagoshima" / "2019.yaml").unlink()
    again = update_site(folder, small_plans, search=False, documents=False)
    assert "plan/kagoshima/2019" in again.removed and "shinkyu/kagoshima/2018-2019" in again.removed
    assert not (folder / "plans/kagoshima/2019.html").exists()
    assert not (folder / "shinkyu/kagoshima/2018-2019.html").exists()
    assert "shinkyu/kagoshima" not in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_a_yaml_error_is_located_and_the_last_good_page_stays(small_plans, tmp_path, run):
    folder = tmp_path / "public"
    update_site(folder, small_plans, search=False, documents=False)
    good = (folder / "plans/kagoshima/2019.html").read_text(encoding="utf-8")
    plan = small_plans / "kagoshima" / "2019.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "title: [broken\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"kagoshima/2019\.yaml:\d+:\d+: error: YAML syntax error"):
        build_site(folder, small_plans, search=False, documents=False)
    assert (folder / "plans/kagoshima/2019.html").read_text(encoding="utf-8") == good
    result = run("site", "--plans-dir", small_plans, "-o", folder, "--no-search")
    assert result.code == 1 and "2019.yaml:" in result.err and "Traceback" not in result.err
    assert "作成できなかったページ" in (folder / "index.html").read_text(encoding="utf-8")


def test_a_folder_the_site_did_not_make_is_refused(tmp_path, run):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("site", "--plans-dir", PLANS, "-o", folder, "--no-search")
    assert result.code != 0 and "not made by kenpo-plans site" in result.err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_manifest_lists_only_files_the_site_wrote(html_site):
    folder, _result = html_site
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    written = {name for unit in manifest["units"].values() for name in unit["files"]}
    assert "plans/kagoshima/2019.html" in written and all((folder / name).is_file() for name in written)


def test_preview_listens_locally_unless_asked_and_then_warns():
    assert check_host("127.0.0.1") is None
    assert "anyone who can reach this computer" in check_host("0.0.0.0")


def test_preview_pages_get_the_reload_script_past_the_documents_policy():
    page = (b'<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            b'style-src \'unsafe-inline\'"></head><body><p>x</p></body></html>')
    served = with_reload(page).decode()
    assert re.search(r"script-src 'self'; connect-src 'self'", served)
    assert served.index('<script src="/__kenpo-plans/reload.js"></script>') < served.index("</body>")


@pytest.mark.slow  # builds the whole site, renders a large PDF or times a large input
def test_site_from_the_command_line(tmp_path, run):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "kagoshima", plans / "kagoshima")
    result = run("site", "--plans-dir", plans, "-o", tmp_path / "public", "--no-search")
    assert result.code == 0, result
    assert "page(s) made" in result.out
    assert (tmp_path / "public" / "plans/kagoshima/kagoshima_2019_plan.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "public" / "shinkyu/kagoshima/kagoshima_2018-2019_shinkyu.docx").is_file()


def test_a_damaged_manifest_entry_costs_a_reading_not_the_build(small_plans, tmp_path):
    """The manifest is a file in the site's folder anyone may edit: a facts entry of the wrong shape is read again."""
    folder = tmp_path / "public"
    build_site(folder, small_plans, search=False, documents=False)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for digest in manifest["facts"]:
        manifest["facts"][digest] = {"title": "x", "unknown": 1} if digest[0] < "8" else ["not", "a", "dict"]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = update_site(folder, small_plans, search=False, documents=False)
    assert result.errors == []
    assert "平成31年度 事業計画（鹿児島支部）" in (folder / "index.html").read_text(encoding="utf-8")
