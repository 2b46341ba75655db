"""The four results/progress reports beside their originals: every heading, measure and planned action, in
the original's order, each once.

The expected sequences are read from the seed text (tests/data/seed00N_*.txt) where its extraction keeps the
order (seeds 000, 001), and written out where it does not (seed 004's pages come out of order), each title
checked against the seed text so the list is the document's, not the plan's.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from conftest import PLANS
from kenpo_plans.commands import results as api
from kenpo_plans.render.results import render_results_document

DATA = Path(__file__).parent / "data"
REPORTS = {
    "kumamoto-2021": (2021, "kumamoto", None, "seed000_kumamoto_2021_kekka.txt"),
    "kumamoto-2024": (2024, "kumamoto", None, "seed002_kumamoto_2024_kekka.txt"),
    "yamaguchi-2021": (2021, "yamaguchi", "q1", "seed001_yamaguchi_2021_q1.txt"),
    "national-2021": (2021, "national", "h1", "seed004_national_2021_h1.txt"),
}


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", htmllib.unescape(re.sub(r"<[^>]+>", "", text)))


_CACHE: dict = {}


def report(name: str) -> tuple[dict, str]:
    if name not in _CACHE:
        year, branch, period, _seed = REPORTS[name]
        evaluated = api.load_results(year, branch, PLANS, period)
        # the original's part: what the tables print, without the annex of computed judgements
        html = render_results_document(evaluated, "html", "IPAexMincho", computed="none")
        html = re.sub(r'<span class="fig">([^<]*)</span>', r"\1", html)  # figures kept whole, read as text
        _CACHE[name] = (evaluated, html)
    return _CACHE[name]


def seed(name: str) -> str:
    return (DATA / REPORTS[name][3]).read_text(encoding="utf-8")


def html_measures(html: str) -> list[str]:
    """The measure headings as the report prints them, in order (sub-items listed in a 項目 cell included)."""
    found = re.findall(r'<(?:span|h3)[^>]*class="(?:measure-title|subtitle-item|measure-heading[^"]*)"[^>]*>(.*?)'
                       r'(?:<span class="goals">|</span>|</h3>)', html, re.S)
    return [squeeze(text) for text in found]


# --- seed 000: 熊本 R3 -----------------------------------------------------------------------------------


def seed000_items() -> list[str]:
    """「1. 健全な財政運営」「I. 特定健診…」「i. 人事制度の適正な運用」 as the 項目 columns print them, in order."""
    out: list[str] = []
    for line in seed("kumamoto-2021").splitlines():
        for cell in line.split("\t")[:2]:
            for part in re.split(r" (?=(?:[ivx]+|[IV]+)\. )", cell):
                match = re.match(r"^(\d+\.|[IV]+\.|[ivx]+\.) (\S.*)$", part.strip())
                if match and "基盤的" not in part and "戦略的" not in part and "組織・運営" not in part:
                    out.append(squeeze(match.group(1) + match.group(2)))
    return out


def test_kumamoto_2021_prints_every_item_heading_and_sub_item_in_the_documents_order():
    _evaluated, html = report("kumamoto-2021")
    expected = seed000_items()
    assert "1.データ分析に基づいた第2期保健事業実施計画（データヘルス計画）の着実な実施" in expected
    assert "iii.OJTを中心とした人材育成" in expected and len(expected) == 35
    assert html_measures(html) == expected


def test_kumamoto_2021_activity_rows_follow_their_kpis_and_carry_their_marks():
    evaluated, html = report("kumamoto-2021")
    body = squeeze(html)
    order = [body.index(squeeze(t)) for t in (
        "生活習慣病予防健診受診率：63.0%以上", "対象者個人への案内を含めた年度2回目の大規模勧奨",
        "事業者健診データ取得率：11.0%以上", "事業者健診結果の提供勧奨及び紙媒体のデータ化",
        "被扶養者の特定健診受診率：28.5%以上", "協会けんぽ主催集団健診")]
    assert order == sorted(order)
    # 1.-8.: the second rate is printed on the activity row beside its ○, with the （債権管理） label on its KPI
    row = re.search(r'<tr class="activity-row[^"]*">(?:(?!</tr>).)*債権回収フローに沿った(?:(?!</tr>).)*</tr>', html, re.S)
    assert row and "66.39%" in row.group(0) and "○" in row.group(0)
    assert "（保険証回収）" in html and "（債権管理）" in html
    assert html.count("66.39%") == 1


# --- seed 001: 山口 Q1 -------------------------------------------------------------------------------------


def seed001_measures() -> list[str]:
    out: list[str] = []
    for line in seed("yamaguchi-2021").splitlines():
        match = re.match(r"^#+ ○(.+)$", line) or re.match(r"^[-#]+ (\(\d\) \S+?)(?: ■.*)?$", line)
        if match:
            title = squeeze(match.group(1))
            if not out or out[-1] != title:  # a measure carried over to the next page repeats its heading
                out.append(title)
    return out


def test_yamaguchi_q1_prints_the_measures_in_the_documents_order():
    _evaluated, html = report("yamaguchi-2021")
    expected = seed001_measures()
    assert expected[:7] == ["サービス水準の向上", "業務の標準化・効率化・簡素化の推進", "現金給付の適正化の推進",
                            "効果的なレセプト点検の推進", "(1)資格点検", "(2)外傷点検", "(3)内容点検"]
    assert html_measures(html) == expected


def test_yamaguchi_q1_lists_every_planned_action_with_or_without_a_result():
    evaluated, html = report("yamaguchi-2021")
    planned = [n for n in evaluated["outline"] if n["kind"] == "item" and n["id"]]
    without = [n["id"] for n in planned if not n["reported"]]
    assert len(planned) > 100 and len(without) >= 25
    shown = {i for ids in re.findall(r'data-(?:item|policy)="([^"]+)"', html) for i in ids.split()}
    assert [n["id"] for n in planned if n["id"] not in shown] == []
    text = squeeze(html)
    for note in ("【課題】", "上位目標：高血圧性疾患の外来受診率を全国平均までに減少させる",
                 "被保険者の生活習慣病予防健診実施機関が不足しており"):
        assert squeeze(note) in text


def test_yamaguchi_q1_keeps_nested_bullets_inside_their_action_and_each_result_once():
    evaluated, html = report("yamaguchi-2021")
    row = re.search(r'<tr[^>]*data-item="okyakusama-manzokudo-1">.*?</tr>', html, re.S).group(0)
    assert "朝礼時に唱和を実施する。" in row and "令和3年度お客様満足度向上会議を開催" in row
    # three bullets of one cell and the one result cell beside them: one row, not the results under the first bullet
    row = re.search(r'<tr[^>]*data-item="hokenshakan-chosei-1 hokenshakan-chosei-2 hokenshakan-chosei-3">.*?</tr>',
                    html, re.S).group(0)
    assert "法的手続きの確実な実施" in row and "訴訟の提起による和解判決" in row
    for entry in evaluated["measures"]:
        for line in entry["activities"]:
            assert html.count(htmllib.escape(line["text"], quote=False)) >= 1
    lines = [line["text"] for entry in evaluated["measures"] for line in entry["activities"]]

    def printed(text: str) -> int:
        return html.count(">" + htmllib.escape(text, quote=False) + "</p>")
    assert [t for t in lines if printed(t) != lines.count(t)] == []


# --- seed 004: national 上期 ---------------------------------------------------------------------------

NATIONAL = [
    "(1)健全な財政運営", "(2)サービス水準の向上", "(3)限度額適用認定証の利用促進", "(4)現金給付の適正化の推進",
    "(5)効果的なレセプト内容点検の推進", "(6)柔道整復施術療養費の照会業務の強化",
    "(7)あんまマッサージ指圧・はりきゅう施術療養費の審査手順の最適化の推進",
    "(8)返納金債権発生防止のための保険証回収強化及び債権管理回収業務の推進", "(9)被扶養者資格の再確認の徹底",
    "(10)オンライン資格確認の円滑な実施", "(11)業務改革の推進",
    "（1）第２期保健事業実施計画（データヘルス計画）の着実な実施", "ⅰ）特定健診実施率・事業者健診データ取得率等の向上",
    "ⅱ）特定保健指導の実施率及び質の向上", "ⅲ）重症化予防対策の推進", "ⅳ）コラボヘルスの推進",
    "(2)広報活動や健康保険委員を通じた加入者等の理解促進", "(3)ジェネリック医薬品の使用促進",
    "(4)インセンティブ制度の実施及び検証", "(5)支部で実施した好事例の全国展開",
    "(6)地域の医療提供体制等への働きかけや医療保険制度に係る意見発信", "ⅰ）医療計画及び医療費適正化計画に係る意見発信",
    "ⅱ）医療提供体制に係る意見発信", "ⅲ）医療保険制度の持続可能性の確保等に向けた意見発信",
    "ⅳ）上手な医療のかかり方に係る働きかけ", "(7)調査研究の推進", "ⅰ）本部・支部による医療費分析",
    "ⅱ）外部有識者を活用した調査研究の実施", "ⅲ）調査研究の推進並びに研究成果の社会的還元に向けた各種施策の検討及び実施",
    "Ⅰ）人事・組織に関する取組", "(1)人事制度の適正な運用と標準人員に基づく人員配置", "(2)人事評価制度の適正な運用",
    "(3)ＯＪＴを中心とした人材育成", "(4)本部機能及び本部支部間の連携の強化", "(5)支部業績評価の実施",
    "Ⅱ）内部統制に関する取組", "(1)内部統制の強化", "(2)リスク管理", "(3)コンプライアンスの徹底",
    "Ⅲ）その他の取組", "(1)費用対効果を踏まえたコスト削減等", "(2)協会システムの安定運用",
    "(3)制度改正等にかかる適切なシステム対応", "(4)中長期を見据えたシステム構想の実現",
]


def test_national_h1_prints_every_heading_in_plan_order():
    text = squeeze(seed("national-2021"))
    assert [title for title in NATIONAL if title not in text] == []
    _evaluated, html = report("national-2021")
    assert html_measures(html) == NATIONAL


def test_national_h1_prints_goals_tags_and_the_plan_column():
    _evaluated, html = report("national-2021")
    text = squeeze(html)
    assert "〈Ⅰ、Ⅱ、Ⅲ〉" in html and "〈Ⅱ、Ⅲ〉" in html
    assert "事業計画（主な重点事項）" in html
    assert squeeze("【戦略的保険者機能の発揮により実現すべき目標】") in text
    assert squeeze("（※）査定率＝レセプト点検により査定（減額）した額÷協会けんぽの医療費総額") in text


# --- every report: the JSON lists every planned action ------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_json_outline_lists_the_plan_in_order_with_every_planned_action(name, run):
    year, branch, period, _seed = REPORTS[name]
    args = ["results", str(year), "-b", branch, "--plans-dir", str(PLANS), "-f", "json"]
    result = run(*args, *(["-p", period] if period else []))
    assert result.code == 0, result
    data = json.loads(result.out)
    ids = [n["id"] for n in data["outline"] if n["kind"] in ("measure", "item") and n["id"]]
    assert len(ids) == len(set(ids))
    reported = {m["id"] for m in data["measures"]}
    assert reported <= set(ids)
    assert [n["id"] for n in data["outline"] if n["kind"] == "kpi"] == [k["id"] for k in data["kpis"]]


# --- tallies, dates, every output lists the planned actions -------------------------------------------


def test_kumamoto_2024_shows_the_documents_tally_beside_the_computed_one_and_where_they_differ():
    evaluated, _html = report("kumamoto-2024")
    text = squeeze(render_results_document(evaluated, "html", "IPAexMincho"))
    assert squeeze("文書の評価による集計: 達成 11、未達成 6") in text
    assert squeeze("達成 9、未達成 8") in text
    assert squeeze("食い違い: ①生活習慣病予防健診実施率") in text


def test_dates_are_printed_in_the_documents_era_form():
    _evaluated, html = report("yamaguchi-2021")
    assert "令和3年7月14日" in html and "2021-07-14" not in html


def test_text_and_workbook_list_every_planned_action(run, tmp_path):
    from openpyxl import load_workbook

    evaluated, _html = report("yamaguchi-2021")
    planned = [n for n in evaluated["outline"] if n["kind"] == "item" and n["id"]]
    base = ["results", "2021", "-b", "yamaguchi", "-p", "q1", "--plans-dir", str(PLANS)]
    text = run(*base, "-f", "text", "--no-color").out
    assert [n["text"] for n in planned if n["text"] not in text] == []
    reported = {n["id"] for n in planned if n["reported"]} | {n["parent"] for n in planned if n["reported"]}
    waiting = [n["text"] for n in planned if n["id"] not in reported]
    assert len(waiting) >= 25
    assert [t for t in waiting if f"{t}　（実績なし）" not in text] == []
    assert text.count("（実績なし）") == len(waiting)
    assert run(*base, "-f", "xlsx", "-o", str(tmp_path / "q1.xlsx")).code == 0
    book = load_workbook(tmp_path / "q1.xlsx")
    sheet = book[[name for name in book.sheetnames if name.endswith("施策")][0]]
    written = {str(cell.value).strip("　") for cell in sheet["D"] if cell.value}
    assert [n["text"] for n in planned if n["text"] not in written] == []


def test_workbook_keeps_the_decimals_as_printed(run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "n.xlsx"
    assert run("results", "2021", "-b", "national", "-p", "h1", "--plans-dir", str(PLANS), "-f", "xlsx",
               "-o", str(out)).code == 0
    sheet = load_workbook(out).worksheets[0]
    formats = {row[7].value: row[6].number_format for row in sheet.iter_rows(min_row=2) if row[7].value}
    assert formats["0.320%"] == "0.000%"


def test_kumamoto_2024_carries_the_text_of_its_picture_pages_under_their_kpis():
    _evaluated, html = report("kumamoto-2024")
    details = {m.group(1): m.group(0) for m in re.finditer(r'<div class="detail" data-kpi="([^"]+)">.*?</div>', html, re.S)}
    expected = {"seikatsu-kenshin-ritsu": ["約33,000事業所"], "hifuyosha-kenshin-ritsu": ["くまとく健診"],
                "jushin-kansho-jushin-wariai": ["腎臓専門機関受診"],
                "kenko-sengen-jigyoshosu": ["出前講座の概要", "15テーマ", "事業所カルテのイメージ"],
                "generic-shiyo-wariai": ["約10,000人", "1,362件", "回答数:250", "50.8％", "43.6%", "1.2%"]}
    for kpi, words in expected.items():
        assert [w for w in words if w not in details[kpi]] == [], kpi
    assert all(squeeze(seed("kumamoto-2024")).count(squeeze(w)) for ws in expected.values() for w in ws)


def test_kumamoto_2024_prints_each_shared_explanation_and_note_once():
    _evaluated, html = report("kumamoto-2024")
    for text in ("医療機関から提出された診療報酬明細書（レセプト）について", "主に健康保険の資格喪失後、誤って資格が切れた保険証",
                 "※1:当該項目（査定率及び返納金回収率）は", "事業所における健康保険担当者や健康づくり担当者"):
        assert html.count(text) == 1, text


def test_national_h1_ends_with_its_kpi_list_and_prints_its_footnotes():
    evaluated, html = report("national-2021")
    assert "<h2>４．令和３年度KPI一覧（上期の結果）</h2>" in html
    listed = re.findall(r'<tr data-kpi="([^"]+)">', html.split("KPI一覧（上期の結果）")[-1])
    assert listed == [k["id"] for k in evaluated["kpis"]]
    text = squeeze(html)
    for note in ("※ 医科、DPC、歯科、調剤", "令和３年６月診療分で47支部中30支部がKPIを達成。"):
        assert squeeze(note) in text


@pytest.mark.parametrize("layout", ["grade", "status", "progress"])
def test_every_layout_lists_every_planned_action(layout):
    evaluated = api.load_results(2021, "yamaguchi", PLANS, "q1")
    html = render_results_document(evaluated, "html", "IPAexMincho", layout=layout)
    text = squeeze(html)
    planned = [n for n in evaluated["outline"] if n["kind"] == "item" and n["id"]]
    missing = [n["id"] for n in planned if squeeze(n["text"]) not in text]
    assert missing == []
    assert f"layout-{layout}" in html


def test_the_legend_heads_every_table_so_every_page_repeats_it():
    _evaluated, html = report("kumamoto-2021")
    heads = re.findall(r"<thead>(.*?)</thead>", html, re.S)
    assert len(heads) == 3 and all("◎：目標を大きく上回る" in head for head in heads)
    _evaluated, html = report("kumamoto-2024")
    heads = re.findall(r"<thead>(.*?)</thead>", html, re.S)
    assert heads and all("Ａ：目標を大きく上回った" in head or "A：目標を大きく上回った" in head for head in heads)


def test_national_in_the_status_layout_keeps_the_sections_preamble():
    evaluated = api.load_results(2021, "national", PLANS, "h1")
    html = render_results_document(evaluated, "html", "IPAexMincho", layout="status")
    assert "【戦略的保険者機能の発揮により実現すべき目標】" in html
    assert html_measures(html) == NATIONAL


def test_ranks_and_targets_get_their_columns_in_the_status_layout():
    evaluated = api.load_results(2024, "kumamoto", PLANS, None)
    html = render_results_document(evaluated, "html", "IPAexMincho", layout="status")
    assert "<th>全国順位</th>" in html and "<th>目標</th>" in html
    row = re.search(r'<tr class="kpi-row[^"]*" data-kpi="seikatsu-kenshin-ritsu">.*?</tr>', html, re.S).group(0)
    assert "14位" in row and "68.2％以上" in row


def test_no_always_empty_columns_and_no_empty_rows():
    _evaluated, html = report("national-2021")
    assert "（—）" not in html  # no 前年度目標 column where no KPI has one
    for table in re.findall(r"<table.*?</table>", html, re.S):
        if "<th>達成支部</th>" in table:
            assert "支部" in re.sub(r"<th>達成支部</th>", "", table)
    _evaluated, html = report("kumamoto-2021")
    rows = re.findall(r'<tr class="activity-row[^"]*">(.*?)</tr>', html, re.S)
    assert rows and all(re.sub(r"<[^>]+>", "", row).strip() for row in rows)


def test_figures_stay_with_their_counters():
    for name, figures in (("kumamoto-2021", ["約9億円", "約9.8万人"]), ("yamaguchi-2021", ["10日間", "（118件）"])):
        year, branch, period, _seed = REPORTS[name]
        html = render_results_document(api.load_results(year, branch, PLANS, period), "html", "IPAexMincho")
        assert [f for f in figures if f'<span class="fig">{f}</span>' not in html] == [], name
    assert ".fig { white-space: nowrap; }" in html


def test_kumamoto_2024_prints_groups_kpis_and_plan_rows_in_the_documents_order():
    evaluated, html = report("kumamoto-2024")
    text = squeeze(seed("kumamoto-2024"))
    printed = [squeeze(t) for t in re.findall(r'<h2 class="group-title">(.*?)</h2>', html)]
    assert printed == ["業務グループ", "レセプトグループ", "保健グループ", "企画総務グループ"]
    rows = [squeeze(m) for m in re.findall(r'<table class="results plan-table">(.*?)</table>', html, re.S)]
    titles = [m["title"] for m in evaluated["measures"]]
    assert all(any(squeeze(t) in r for r in rows) for t in titles)
    at = 0
    for title in [m for g in re.findall(r'<table class="results plan-table">.*?</table>', html, re.S)
                  for m in re.findall(r"<td>([^<]+?)(?:<|$)", g)]:
        found = text.find(squeeze(title), at)
        assert found >= 0, title  # each plan row after the one before it, as the document prints them
        at = found
    at = 0
    for kpi in evaluated["kpis"]:
        found = text.find(squeeze(kpi["text"])[:12], at)
        assert found >= 0, kpi["text"]
        at = found
