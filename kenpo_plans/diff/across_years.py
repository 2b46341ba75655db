"""A plan against last year's: ids reused for something unrelated, figures carried over unchanged.

The diff warns about a reused id (it would otherwise call an unrelated measure a rename) and
validation reports both findings at their place in the file, so both read them from here.
"""

from __future__ import annotations

from ..errors import Problem
from ..i18n import _
from ..plan.model import Plan
from .align import similarity
from .index import index_kpis, index_measures, measure_text
from .result import DiffWarning, NodeKind, WarningKind

_problem = Problem.at

UNRELATED = 0.15  # below this, two nodes that share an id share nothing else


def reused_id_warnings(old: Plan, new: Plan) -> list[DiffWarning]:
    """Ids that name something unrelated in the other version: a reused id, not a rename."""
    warnings = []
    old_measures, _ = index_measures(old)
    new_measures, _ = index_measures(new)
    for key in old_measures.keys() & new_measures.keys():
        a, b = old_measures[key], new_measures[key]
        if similarity(a.title, b.title) < UNRELATED and similarity(measure_text(a), measure_text(b)) < UNRELATED:
            warnings.append(_reuse_warning(NodeKind.MEASURE, key, a.title, b.title, old, new))
    old_kpis, _ = index_kpis(old)
    new_kpis, _ = index_kpis(new)
    for key in old_kpis.keys() & new_kpis.keys():
        if similarity(old_kpis[key].text, new_kpis[key].text) < UNRELATED:
            warnings.append(_reuse_warning(NodeKind.KPI, key, old_kpis[key].text, new_kpis[key].text, old, new))
    return sorted(warnings, key=lambda w: (w.node, w.id))


def _reuse_warning(node: NodeKind, key: str, old_text: str, new_text: str, old: Plan, new: Plan) -> DiffWarning:
    noun = "施策" if node == NodeKind.MEASURE else "ＫＰＩ"
    message = (f"id '{key}' は{old.year_label}の{noun}「{old_text[:30]}」と{new.year_label}の{noun}"
               f"「{new_text[:30]}」に使われていますが、内容に共通点がありません。別の{noun}なら新しい id を"
               "付けてください（このままでは名称変更として扱われます）。")
    return DiffWarning(WarningKind.REUSED_ID, message, node, key, old_text, new_text)


def carried_over_problems(plan: Plan, last_year: Plan) -> list[Problem]:
    """KPIs that still quote last year's figure word for word (「対前年度（0.359%）以上」).

    A roll-forward copies them unchanged; until a planner puts in the new baseline or marks the
    KPI ``confirmed: true`` they are reported, so a stale figure never reaches the council.
    """
    previous = {kpi.id: kpi.text for _, kpi in last_year.walk_kpis()}
    problems = []
    for measure, kpi in plan.walk_kpis():
        target = kpi.parsed_target
        if kpi.confirmed or target is None or target.basis != "previous_year" or target.value is None:
            continue
        if previous.get(kpi.id) == kpi.text:
            problems.append(_problem(
                kpi.text_loc, f"{measure.id}.kpis.{kpi.id}",
                _("carried over from {last_year}: the KPI still quotes last year's figure "
                  "({figure}). Put in the figure for {year}'s baseline, or add "
                  "`confirmed: true` to this KPI to keep it.").format(
                      last_year=last_year.year_label, figure=target.describe(), year=plan.year_label), "warning"))
    return problems


def reused_id_problems(plan: Plan, last_year: Plan) -> list[Problem]:
    """An id that last year named something unrelated: the diff would call it a rename."""
    where = {m.id: m.loc for m in plan.walk_measures()} | {k.id: k.loc for _, k in plan.walk_kpis()}
    problems = []
    for warning in reused_id_warnings(last_year, plan):
        if warning.node == NodeKind.MEASURE:
            message = _("id '{id}' named an unrelated measure in {year} "
                        "(「{old}」, now 「{new}」); if this is a new measure, "
                        "give it a new id, or the diff will call it a rename.")
        else:
            message = _("id '{id}' named an unrelated KPI in {year} "
                        "(「{old}」, now 「{new}」); if this is a new KPI, "
                        "give it a new id, or the diff will call it a rename.")
        problems.append(_problem(where.get(warning.id), warning.id,
                                 message.format(id=warning.id, year=last_year.year_label,
                                                old=warning.old[:30], new=warning.new[:30]), "warning"))
    return problems
