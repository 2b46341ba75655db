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


# --- issue 28: marks on real texts ------------------------------------------------------------------


def test_real_public_pairs_are_marked_as_a_reader_marks_them():
    """The hand-marked corpus of real old/new pairs: ahead of diff-match-patch with semantic clean-up."""
    from markscore import dmp_semantic, load_pairs, ours, score, show

    pairs = load_pairs()
    assert len(pairs) >= 40
    mine, baseline = score(ours, pairs), score(dmp_semantic, pairs)
    missed = [f"{show(p['old'], ours(p['old'], p['new'])[0])} | {show(p['new'], ours(p['old'], p['new'])[1])}"
              for p in mine["misses"]]
    assert mine["exact"] >= len(pairs) - 2, missed
    assert mine["mean_f1"] >= 0.995
    assert mine["exact"] > baseline["exact"] and mine["mean_f1"] > baseline["mean_f1"]


def test_kanji_numerals_are_one_number_marked_whole_on_both_sides():
    assert show(inline_diff("第十二条", "第十三条")) == "第[-十二-]{+十三+}条"
    # 二十五→二十: the new side must show the change too, not only the deleted 五
    assert show(inline_diff("期間が二十五年以上であること。", "期間が二十年以上であること。")) == \
        "期間が[-二十五-]{+二十+}年以上であること。"
    assert show(inline_diff("金額は、四十万八千円とする。", "金額は、四十八万八千円とする。")) == \
        "金額は、[-四十万八千-]{+四十八万八千+}円とする。"
    assert show(inline_diff("目標 １万人", "目標 ２万人")) == "目標 [-１万-]{+２万+}人"
    assert tokenize("第十二条の２千円") == ["第", "十二", "条", "の", "２千", "円"]


def test_a_word_holding_a_number_is_replaced_whole():
    # 船員保険 平成28年度事業計画 新旧対照表
    assert show(inline_diff("計画について、初年度の取組みを着実に", "計画について、2年目の取組みを着実に")) == \
        "計画について、[-初年度-]{+2年目+}の取組みを着実に"
    # the counter stays: only the ordinal's figure changed
    assert show(inline_diff("第3期アクションプラン", "第4期アクションプラン")) == "第[-3-]{+4+}期アクションプラン"
    assert show(inline_diff("第２期保健事業実施計画", "第３期保健事業実施計画")) == "第[-２-]{+３+}期保健事業実施計画"


def test_a_phrase_with_kana_between_two_edits_stays_unmarked():
    # both edits are longer than the island; it stays because it is a phrase of its own, not glue
    segments = inline_diff("被保険者が届け出た旧住所を現在の住所とみなして通知する。",
                           "事業主から届出のあった居所を現在の住所として取り扱う。")
    assert all("を現在の住所" not in s.text for s in segments if s.op != EQUAL)
    assert "を現在の住所" in "".join(s.text for s in segments if s.op == EQUAL)


def test_a_kanji_replaced_inside_a_two_kanji_word_marks_the_word():
    # 健康保険法 第九十九条第四項
    assert show(inline_diff("支給を始めた日から起算して一年六月を超えないものとする。",
                            "支給を始めた日から通算して一年六月間とする。")) == \
        "支給を始めた日から[-起算-]{+通算+}して一年六月[-を超えないもの-]{+間+}とする。"
