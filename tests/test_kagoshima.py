"""The Kagoshima FY2018/FY2019 plans are complete and verbatim against seed 003.

The counts files were written while reading the seed, independently of the
YAML, so a lost or doubled bullet fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

DATA = Path(__file__).resolve().parent / "data"
SEED = (DATA / "seed003_kagoshima_shinkyu.txt").read_text(encoding="utf-8")
SEED_FLAT = re.sub(r"\s+", "", SEED)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def counts(year: int) -> dict:
    return YAML(typ="safe").load((DATA / f"kagoshima_{year}_counts.yaml").read_text(encoding="utf-8"))


def all_texts(plan) -> list[str]:
    texts = [plan.title.split(" ")[0]]
    for section in plan.sections:
        texts.append(section.title)
        blocks = list(section.blocks)
        for measure in section.walk_measures():
            texts.append(measure.title)
            texts += [t.text for t in measure.own_targets()]
            blocks += measure.blocks
            for kpi in measure.kpis:
                texts.append(kpi.text)
                texts += kpi.notes
        for block in blocks:
            stack = [block]
            while stack:
                current = stack.pop()
                if current.heading:
                    texts.append(current.heading)
                for item in current.items:
                    texts.append(item.text)
                    stack += item.blocks
                    stack += [type(current)(items=item.items)]
    return texts


@pytest.mark.parametrize("year", [2018, 2019])
def test_items_kpis_and_targets_per_measure_match_the_seed_counts(kagoshima, year):
    plan = kagoshima[year]
    expected = counts(year)
    actual = {
        m.id: {"items": len(m.own_items()), "kpis": len(m.kpis), "targets": len(m.own_targets())}
        for m in plan.walk_measures()
    }
    assert list(actual) == list(expected), "measures missing, extra or out of order"
    assert actual == expected


def test_plans_have_the_expected_shape(kagoshima):
    old, new = kagoshima[2018], kagoshima[2019]
    assert [s.id for s in new.sections] == [s.id for s in old.sections] == ["kiban", "senryaku", "soshiki"]
    assert new.status == "draft" and old.status == "final"
    assert new.document.number == "資料 2-3"
    assert sum(len(m.kpis) for m in new.walk_measures()) == 21
    assert sum(len(m.kpis) for m in old.walk_measures()) == 20
    new_ids = {m.id for m in new.walk_measures()}
    old_ids = {m.id for m in old.walk_measures()}
    assert new_ids - old_ids == {"anma-shinkyu", "iken-hasshin-taisei", "iryohi-data-bunseki",
                                 "gaibu-iken-hasshin", "compliance", "risk-kanri"}
    assert old_ids - new_ids == set()


@pytest.mark.parametrize("year", [2018, 2019])
def test_every_text_is_verbatim_from_the_seed(kagoshima, year):
    """Each text occurs in the seed (ignoring the PDF's line breaks and spacing).

    A text joined across a page break is split once, at the break, and both
    halves must occur.
    """
    missing = []
    for text in all_texts(kagoshima[year]):
        needle = flat(text)
        if needle in SEED_FLAT:
            continue
        if not any(needle[:i] in SEED_FLAT and needle[i:] in SEED_FLAT for i in range(4, len(needle) - 3)):
            missing.append(text)
    assert missing == []


def test_every_bullet_of_both_columns_is_in_a_plan(kagoshima):
    """Every ○ and ・ line of the seed starts an item of the 2018 or the 2019 plan."""
    corpus = flat("".join(all_texts(kagoshima[2018]) + all_texts(kagoshima[2019])))
    bullets = [m.group(1) for m in re.finditer(r"^\s*[○・]\s*(\S.*)$", SEED, re.MULTILINE)]
    assert len(bullets) > 150
    lost = [b for b in bullets if flat(b)[:12] not in corpus]
    assert lost == []


def test_every_kpi_line_of_the_seed_is_a_kpi(kagoshima):
    kpi_texts = flat("".join(k.text for y in (2018, 2019) for _, k in kagoshima[y].walk_kpis()))
    starts = []
    lines = SEED.splitlines()
    for i, line in enumerate(lines):
        if "《ＫＰＩ》" in line:
            following = [l for l in lines[i + 1:i + 4] if l.strip()]
            if following and not following[0].strip().startswith("《"):
                starts.append(flat(following[0])[:10])
    assert len(starts) >= 20
    assert [s for s in starts if s not in kpi_texts] == []


def test_kpi_targets_of_the_real_plans(kagoshima):
    def target(year, kpi_id):
        return next(k for _, k in kagoshima[year].walk_kpis() if k.id == kpi_id).target

    assert (target(2018, "hokensho-kaishu-ritsu").value, target(2019, "hokensho-kaishu-ritsu").value) == (95.0, 95.4)
    assert target(2019, "satei-ritsu").basis == "previous_year"
    assert target(2019, "tabui-hinkai-wariai").relation == "le"
    assert target(2019, "mieruka-iken-hasshin") is None


def test_every_plan_file_declares_its_schema_for_editors():
    root = Path(__file__).resolve().parent.parent
    for path in (root / "plans").glob("*/*.yaml"):
        if path.name.endswith(".results.yaml"):
            continue  # results files point at their own schema (test_results)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/plan.schema.json", path
        assert (path.parent / "../../schemas/plan.schema.json").resolve().is_file()
