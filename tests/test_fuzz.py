"""Property-based robustness: whatever the input, only kenpo-plans' own errors come out.

Runs load → validate → diff → render-context on random bytes, random YAML-ish text, random plans and
random mutations of the Kagoshima plans.  The default run is quick; set KENPO_FUZZ_EXAMPLES=2000 (or
more) for a long run.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kenpo_plans.diff.plans import diff_plans
from kenpo_plans.errors import KenpoError
from kenpo_plans.plan.reading import decode_plan_bytes
from kenpo_plans.render.shinkyu import RenderOptions, build_context
from kenpo_plans.plan.validate import check_text

ROOT = Path(__file__).resolve().parent.parent
REAL = {year: (ROOT / "plans" / "kagoshima" / f"{year}.yaml").read_text(encoding="utf-8") for year in (2018, 2019)}
EXAMPLES = int(os.environ.get("KENPO_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 60,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASELINE = check_text(REAL[2018], "plans/kagoshima/2018.yaml").plan


def pipeline(text: str, name: str = "plans/kagoshima/2019.yaml") -> None:
    """Everything a plan goes through; a KenpoError is an acceptable outcome, anything else a bug."""
    try:
        report = check_text(text, name)
        for problem in report.problems:
            assert problem.message and str(problem)
        if report.plan is None:
            return
        for old, new in ((BASELINE, report.plan), (report.plan, BASELINE), (report.plan, report.plan)):
            for exact in (False, True):
                result = diff_plans(old, new, exact=exact)
                result.to_dict()
                build_context(result, RenderOptions(changes_only=exact))
    except KenpoError:
        pass


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    try:
        text = decode_plan_bytes(data, "fuzz.yaml")
    except KenpoError:
        return
    pipeline(text)


yaml_alphabet = st.sampled_from(list("abcdefghij:-[]{}&*!|>'\"#%@`,?\n\n  \t0123456789.事業計画○《》（）、。％") +
                                ["sections:", "measures:", "id:", "title:", "items:", "kpis:", "text:", "- ", "  "])


@FUZZ
@given(st.lists(yaml_alphabet, max_size=300).map("".join))
def test_random_yaml_like_text(text):
    pipeline(text)


ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40)
kpi_texts = st.one_of(texts, st.builds(lambda n, rel: f"実施率を{n}％{rel}とする。",
                                       st.floats(0, 1000, allow_nan=False).map(lambda f: round(f, 1)),
                                       st.sampled_from(["以上", "以下", "未満", "超", ""])))
items = st.recursive(st.fixed_dictionaries({"text": texts}, optional={"marker": texts, "id": ids}),
                     lambda children: st.fixed_dictionaries({"text": texts}, optional={"items": st.lists(children, max_size=3)}),
                     max_leaves=8)
kpis = st.fixed_dictionaries({"id": ids, "text": kpi_texts},
                             optional={"notes": st.lists(texts, max_size=2), "qualitative": st.booleans()})
measures = st.recursive(
    st.fixed_dictionaries({"id": ids, "title": texts}, optional={
        "label": texts, "groups": st.lists(st.sampled_from(["企画総務G", "業務G", "レセプトG", "保健G"]), unique=True),
        "blocks": st.lists(st.fixed_dictionaries({"items": st.lists(items, max_size=4)},
                                                 optional={"heading": texts}), max_size=3),
        "kpis": st.lists(kpis, max_size=3)}),
    lambda children: st.fixed_dictionaries({"id": ids, "title": texts, "measures": st.lists(children, max_size=3)}),
    max_leaves=6)
plans = st.fixed_dictionaries({
    "branch": st.just({"id": "kagoshima", "name": "鹿児島支部"}),
    "fiscal_year": st.integers(1985, 2100),
    "title": texts,
    "status": st.sampled_from(["draft", "final", "案"]),
    "sections": st.lists(st.fixed_dictionaries({"id": ids, "title": texts, "label": texts,
                                                 "measures": st.lists(measures, max_size=4)}), max_size=3),
})


@FUZZ
@given(plans)
def test_random_plans(data):
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    pipeline(out.getvalue())


@FUZZ
@given(st.data())
def test_random_mutations_of_the_kagoshima_plans(data):
    year = data.draw(st.sampled_from([2018, 2019]))
    lines = REAL[year].splitlines(keepends=True)
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    for _ in range(data.draw(st.integers(1, 6))):
        i = rng.randrange(len(lines))
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "truncate", "insert",
                                        "replace-number", "tab"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:]
        elif op == "truncate":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == "insert":
            lines.insert(i, data.draw(texts) + "\n")
        elif op == "replace-number":
            lines[i] = lines[i].replace("9", str(rng.randrange(100)))
        elif op == "tab":
            lines[i] = lines[i].replace("  ", "\t", 1)
        if not lines:
            break
    pipeline("".join(lines), f"plans/kagoshima/{year}.yaml")


# --- second round: the new classes ----------------------------------------------------------

hostile_chars = st.sampled_from(["\\e", "\\x9b", "\u202e", "\u2066", "\\b", "\\r", "\\0", "\\x7f"])
nesting = st.sampled_from(["- ", "? ", "[", "{a: ", "a:\n" + " "])


@FUZZ
@given(nesting, st.integers(1, 400), st.sampled_from(["x", "", "]", "}"]))
def test_nesting_through_any_construct_is_a_message_not_a_crash(opener, depth, tail):
    text = "sections:\n" + (opener * depth if not opener.startswith("a:") else
                            "".join(" " * i + "a:\n" for i in range(depth))) + tail + "\n"
    pipeline(text)


@FUZZ
@given(st.lists(st.one_of(hostile_chars, texts), min_size=1, max_size=6).map("".join))
def test_control_characters_never_survive_into_any_output(title):
    from kenpo_plans.render.shinkyu_text import to_json, to_text
    from kenpo_plans.textsafety import UNSAFE

    escaped = title.replace("\\", "\\\\").replace('"', '\\"').replace("\\\\e", "\\e").replace("\\\\x", "\\x") \
        .replace("\\\\b", "\\b").replace("\\\\r", "\\r").replace("\\\\0", "\\0")
    text = REAL[2019].replace("title: サービス水準の向上\n", f'title: "{escaped}"\n', 1)
    try:
        report = check_text(text, "plans/kagoshima/2019.yaml")
    except KenpoError:
        return
    if report.plan is None:
        return
    result = diff_plans(BASELINE, report.plan)
    for output in (to_text(result), to_json(result)):
        assert not UNSAFE.search(output.replace("\\u001b", ""))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("0123456789.,，．０１２３ ％%以上以下未満超対前年度比（）()〜～▲△分の約万千円件人事業所とする、。かつ ")),
               max_size=300))
def test_the_kpi_parser_answers_or_declines_on_anything(text):
    from kenpo_plans.plan.targets import UNREADABLE, read_target

    reading = read_target(text)
    assert reading.target is None or reading.unreadable is None
    assert reading.unreadable is None or reading.unreadable in UNREADABLE
    if reading.target is not None and reading.target.value is not None:
        assert reading.target.value == reading.target.value  # never NaN


results_kpis = st.lists(st.fixed_dictionaries(
    {"id": st.sampled_from(["satei-ritsu", "service-standard", "yusoka-ritsu", "no-such-kpi"])},
    optional={"actual": st.one_of(texts, st.builds(lambda v: f"{v}%", st.decimals(0, 200, places=2,
                                                                                  allow_nan=False))),
              "rank": st.integers(-3, 60), "rating": st.sampled_from(["○", "×", "Ａ", "-", "X", ""]),
              "rating_basis": st.sampled_from(["computed", "rank", "judgement", "guess"])}), max_size=4)


@FUZZ
@given(results_kpis, st.sampled_from(["q1", "h1", "year", "q9"]))
def test_random_results_files_give_only_kenpo_plans_errors(kpis, period):
    import io

    from ruamel.yaml import YAML

    from kenpo_plans.results.evaluate import evaluate
    from kenpo_plans.results.validate import check_results

    data = {"branch": "kagoshima", "fiscal_year": 2018, "reports": [{
        "id": "r", "period": period, "title": "結果", "kpis": kpis,
        "scales": {"kpi": {"name": "達成状況", "marks": [{"mark": "○", "meaning": "達成", "achieved": True},
                                                       {"mark": "×", "meaning": "未達成", "achieved": False}]}}}]}
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    from kenpo_plans.plan.reading import parse_yaml

    try:
        raw = parse_yaml(out.getvalue(), "plans/kagoshima/2018.results.yaml")
        results, problems = check_results(raw, lambda: BASELINE)
    except KenpoError:
        return
    for problem in problems:
        assert problem.message and str(problem)
    if results is not None and not any(p.severity == "error" for p in problems):
        evaluate(BASELINE, results, results.reports[0])
