from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kenpo_plans.plan.targets import Target, extract_figures, parse_target

DATA = Path(__file__).resolve().parent / "data"
SENTENCES = YAML(typ="safe").load((DATA / "kpi_sentences.yaml").read_text(encoding="utf-8"))


def test_golden_file_covers_every_seed():
    assert {entry["seed"] for entry in SENTENCES} == {"000", "001", "002", "003", "004"}
    assert len(SENTENCES) > 100


@pytest.mark.parametrize("entry", SENTENCES, ids=[f"{e['seed']}-{i}" for i, e in enumerate(SENTENCES)])
def test_every_kpi_sentence_of_the_seeds(entry):
    expected = entry["target"]
    parsed = parse_target(entry["text"])
    if expected is None:
        assert parsed is None
    else:
        assert parsed == Target.from_dict(expected)


@pytest.mark.parametrize(
    "text, relation, value, unit, basis",
    [
        ("日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を 95.4％以上とする。", "ge", 95.4, "%", "absolute"),
        ("返納金債権の回収率を対前年度以上とする。", "ge", None, None, "previous_year"),
        ("査定率について対前年度（0.359%）以上", "ge", 0.359, "%", "previous_year"),
        ("健康宣言事業所数を600事業所以上とする。", "ge", 600, "事業所", "absolute"),
        ("二次勧奨実施予定人数 1,500人", "eq", 1500, "人", "absolute"),
        ("一者応札案件の割合について、20%以下とする。前年度において20%以下となった場合は前年度以下とする。", "le", 20, "%", "absolute"),
        ("割合を対前年以下とする。", "le", None, None, "previous_year"),
        ("利用率を９５．０％以上とする。", "ge", 95.0, "%", "absolute"),
        ("施術箇所 3 部位以上、かつ月15日以上の施術の申請の割合について対前年度以下とする", "le", None, None, "previous_year"),
        ("サービススタンダードの達成状況を 100％とする。", "eq", 100, "%", "absolute"),
        ("件数を5件未満とする。", "lt", 5, "件", "absolute"),
    ],
)
def test_target_forms(text, relation, value, unit, basis):
    assert parse_target(text) == Target(relation, value, unit, basis)


def test_qualitative_kpi_has_no_target():
    assert parse_target("「経済・財政と暮らしの指標「見える化」データベース」などを活用した効果的な意見発信を実施する。") is None


def test_decimal_values_keep_their_type():
    target = parse_target("郵送化率を 90.0％以上とする。")
    assert isinstance(target.value, float) and target.value == 90.0
    assert isinstance(parse_target("1,500人").value, int)


def test_describe():
    assert parse_target("95.4％以上とする").describe() == "≥ 95.4%"
    assert parse_target("対前年度（0.359%）以上").describe() == "≥ 対前年度 (0.359%)"
    assert parse_target("対前年度以下とする").describe() == "≤ 対前年度"


def test_figures_keep_exact_spans_in_full_width_text():
    text = "健診全体の実施率目標 55.5%（168,420人）、受診対象者数：２３７，４５２人"
    figures = extract_figures(text)
    assert [(f.value, f.unit) for f in figures] == [(55.5, "%"), (168420, "人"), (237452, "人")]
    for figure in figures:
        assert text[figure.start:figure.end] == figure.raw


HARD = YAML(typ="safe").load((DATA / "kpi_hard_sentences.yaml").read_text(encoding="utf-8"))


def test_the_hard_corpus_is_large_and_covers_every_trap():
    from kenpo_plans.plan.targets import UNREADABLE

    assert len(HARD) >= 60
    assert {entry["unreadable"] for entry in HARD if "unreadable" in entry} == set(UNREADABLE)


@pytest.mark.parametrize("entry", HARD, ids=[f"hard-{i}" for i in range(len(HARD))])
def test_the_parser_never_guesses(entry):
    from kenpo_plans.plan.targets import read_target

    reading = read_target(entry["text"])
    if "target" in entry:
        assert (reading.target, reading.unreadable) == (Target.from_dict(entry["target"]), None)
    elif "unreadable" in entry:
        assert (reading.target, reading.unreadable) == (None, entry["unreadable"])
    else:
        assert (reading.target, reading.unreadable) == (None, None)


@pytest.mark.parametrize("text, japanese", [
    ("95.4％以上とする", "95.4%以上"), ("対前年度（0.359%）以上", "対前年度（0.359%）以上"), ("対前年度以下とする", "対前年度以下"),
    ("100％とする", "100%"), ("20%以下とする", "20%以下"), ("5件未満とする", "5件未満"), ("2,930事業所", "2,930事業所"),
])
def test_japanese_outputs_write_targets_the_way_plans_do(text, japanese):
    assert parse_target(text).describe_ja() == japanese


@pytest.mark.parametrize("text", [
    "前年度以上の" * 10_000,  # many conditions in a row, none with a digit between them
    "受診率1%以上の事業所数" * 5_000,
    "1%以上及び" * 8_000 + "1%以上の事業所数",
    "を割り込まない" * 8_000 + "1",
])
def test_name_conditions_and_negations_take_linear_time(text):
    import time

    from kenpo_plans.plan.targets import read_target

    start = time.perf_counter()
    read_target(text)
    assert time.perf_counter() - start < 1.0
