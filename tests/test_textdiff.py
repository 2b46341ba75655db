"""Inline diff tuned for Japanese: exact spans, whole numbers, lossless, width-aware."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_plans.diff.textdiff import DELETE, EQUAL, INSERT, inline_diff, new_text, old_text, only_formatting, tokenize


def changed(segments, op):
    return [s.text for s in segments if s.op == op and not s.formatting]


def test_small_insertion_highlights_exactly_those_characters():
    # seed 003, 現金給付の適正化の推進
    segments = inline_diff("傷病手当金と障害年金の併給調整について、確実に実施する。",
                           "傷病手当金と障害年金等との併給調整について、確実に実施する。")
    assert changed(segments, INSERT) == ["等と"] and changed(segments, DELETE) == []


def test_inserted_phrase_is_one_span():
    # seed 003, 限度額認定証の利用促進
    segments = inline_diff("地域の医療機関と連携し、医療機関の窓口に申請書を配置する",
                           "地域の医療機関や市町村と連携し、医療機関の窓口に申請書を配置する")
    assert changed(segments, INSERT) == ["や市町村"]


def test_rewritten_phrase_is_not_a_scatter_of_characters():
    old = "医療機関における資格確認業務については、引き続き利用率の向上に向けて、職員による該当医療機関に利用勧奨を行なうなど、その効果を高めるための取組を実施する。"
    new = "現在協会けんぽが独自に実施しているオンライン資格確認については、引き続きその利用率向上に向けて取り組む。"
    segments = inline_diff(old, new)
    # no single-character equal island between two changes
    for before, middle, after in zip(segments, segments[1:], segments[2:]):
        if middle.op == EQUAL and before.op != EQUAL and after.op != EQUAL:
            assert len(middle.text) > 1, segments
    assert len([s for s in segments if s.op != EQUAL]) <= 10


def test_numbers_are_whole_tokens():
    segments = inline_diff("保険証回収率を 95.0％以上とする", "保険証回収率を 95.4％以上とする")
    assert changed(segments, DELETE) == ["95.0"] and changed(segments, INSERT) == ["95.4"]
    segments = inline_diff("二次勧奨実施予定人数 1,000人", "二次勧奨実施予定人数 1,500人")
    assert changed(segments, DELETE) == ["1,000"] and changed(segments, INSERT) == ["1,500"]
    segments = inline_diff("受診対象者数：２２８，０１３人", "受診対象者数：２３７，４５２人")
    assert changed(segments, DELETE) == ["２２８，０１３"] and changed(segments, INSERT) == ["２３７，４５２"]


def test_tokenize_keeps_numbers_together():
    assert tokenize("率10.6％（24,169人）") == ["率", "10.6", "％", "（", "24,169", "人", "）"]


def test_width_only_difference_is_formatting():
    segments = inline_diff("実施率 53.0%以上", "実施率 ５３．０％以上")
    assert only_formatting(segments)
    assert changed(segments, INSERT) == [] and changed(segments, DELETE) == []


def test_exact_mode_reports_width_as_change():
    segments = inline_diff("実施率 53.0%以上", "実施率 53.0％以上", exact=True)
    assert changed(segments, DELETE) == ["%"] and changed(segments, INSERT) == ["％"]


def test_real_change_next_to_width_change_keeps_both_apart():
    segments = inline_diff("健診全体の実施率目標 55.0％（161,390人）", "健診全体の実施率目標 55.5%（168,420人）")
    assert changed(segments, DELETE) == ["55.0", "161,390"]
    assert changed(segments, INSERT) == ["55.5", "168,420"]
    assert any(s.formatting for s in segments)


def test_identical_and_empty():
    assert inline_diff("同じ", "同じ") == inline_diff("同じ", "同じ", exact=True)
    assert [s.op for s in inline_diff("同じ", "同じ")] == [EQUAL]
    assert inline_diff("", "") == []
    assert [(s.op, s.text) for s in inline_diff("", "新設")] == [(INSERT, "新設")]


japanese = st.text(alphabet=st.sampled_from(list("保険証回収率をの以上とする。、０１２３４５６７８９0123456789.,％% 　ＫＰＩ")),
                   max_size=60)


@settings(max_examples=300, deadline=None)
@given(japanese, japanese, st.booleans())
def test_segments_are_lossless(old, new, exact):
    segments = inline_diff(old, new, exact)
    assert old_text(segments) == old
    assert new_text(segments) == new


def show(segments):
    return "".join(s.text if s.op == EQUAL else (f"[-{s.text}-]" if s.op == DELETE else f"{{+{s.text}+}}")
                   for s in segments)


def test_a_phrase_edited_in_small_pieces_reads_as_one_replacement():
    # seed 003, 【資格点検】
    assert show(inline_diff("喪失後受診に対する取組みを強化する。", "喪失後受診に対する取組み強化を図る。")) == \
        "喪失後受診に対する取組み[-を強化す-]{+強化を図+}る。"


def test_an_unchanged_word_inside_a_rewrite_stays_unmarked():
    # seed 003, 【外傷点検】
    assert show(inline_diff("加害者へ早期回収のため文書・電話等による二次、三次催告を実施する。",
                            "加害者へ早期回収のため文書・電話等による催告強化を図る。")) == \
        "加害者へ早期回収のため文書・電話等による[-二次、三次-]催告[-を実施す-]{+強化を図+}る。"


def test_every_edited_pair_of_the_kagoshima_plans_is_readable(kagoshima):
    """No lone unchanged character between two changes in any real edit of 2018 → 2019 (figures apart)."""
    from kenpo_plans.diff.plans import diff_plans
    from kenpo_plans.plan.targets import FIGURE

    checked = 0
    for entry in diff_plans(kagoshima[2018], kagoshima[2019]).entries:
        for segments in [entry.text_segments, entry.title_segments, *entry.notes_segments]:
            if not segments:
                continue
            checked += 1
            assert new_text(segments) == (entry.new_text if segments is entry.text_segments else new_text(segments))
            real = [s for s in segments if not s.formatting]  # width-only pairs read as unchanged
            for k in range(1, len(real) - 1):
                middle = real[k]
                if middle.op == EQUAL and real[k - 1].op != EQUAL and real[k + 1].op != EQUAL:
                    near = [s for s in real[max(0, k - 2):k] + real[k + 1:k + 3] if s.op != EQUAL]
                    figures = any(FIGURE.search(s.text) for s in near)
                    assert len(middle.text) > 1 or figures, show(segments)
    assert checked > 50
