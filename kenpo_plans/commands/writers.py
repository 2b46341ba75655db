"""The writers of the format registry (commands.outputs): one document in one format, as text or bytes.

A writer is ``writer(subject, rendering) -> str | bytes``: the subject is what the command computed (a
DiffResult, a Plan, an evaluated report, a KPI view), ``rendering`` the OutputRequest.  The renderers are
imported inside each writer, so naming the formats costs the command line nothing at start-up.
"""

from __future__ import annotations

import json

from ..labels import REVISIONS_HEADER


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# The 新旧対照表 (a DiffResult)

def shinkyu_stem(branch: str, old_year: int, new_year: int) -> str:
    """kagoshima_2018-2019_shinkyu: one branch's 新旧対照表, alone or in a batch."""
    return f"{branch}_{old_year}-{new_year}_shinkyu"


def diff_stem(result) -> str:
    return shinkyu_stem(result.new.branch, result.old.fiscal_year, result.new.fiscal_year)


def diff_sources(result) -> tuple:
    return result.old.source, result.new.source


def render_options(rendering, with_font: bool = True):
    from ..render.fonts import choose_font
    from ..render.shinkyu import RenderOptions

    return RenderOptions(old_left=rendering.old_left, old_word=rendering.old_word, monochrome=rendering.monochrome,
                         changes_only=rendering.changes_only, landscape=rendering.landscape,
                         remarks=rendering.remarks, summary=rendering.summary,
                         **({"font_family": choose_font(rendering.font)} if with_font else {}))


def diff_text(result, rendering) -> str:
    from ..render import shinkyu_text

    return shinkyu_text.to_text(result, color=rendering.color)


def diff_json(result, rendering) -> str:
    from ..render import shinkyu_text

    return shinkyu_text.to_json(result)


def diff_page(result, rendering) -> str | bytes:
    from ..render.shinkyu import render_document
    from ..render.templates import template_dir

    return render_document(result, rendering.fmt, render_options(rendering), template_dir(rendering.template_dir))


def diff_docx(result, rendering) -> bytes:
    if rendering.track_changes:
        return _diff_revisions(result, rendering)
    from ..render.office import shinkyu_docx
    from ..render.shinkyu import build_context

    context = build_context(result, render_options(rendering, with_font=False))
    return shinkyu_docx.build(context, rendering.font, rendering.landscape)


def _diff_revisions(result, rendering) -> bytes:
    from ..render.office import shinkyu_revisions
    from ..render.revisions import revision_paragraphs

    header = REVISIONS_HEADER.format(branch=result.new.branch_name, title=result.new.title, old=result.old.year_label)
    return shinkyu_revisions.build(revision_paragraphs(result), result.new.title, header, result.new.branch_name,
                                   revision_date(result), rendering.font, rendering.landscape)


def revision_date(result) -> str:
    """When the changes were made, as far as the plans tell: the new plan's commit, else now."""
    from datetime import datetime, timezone

    committed = (result.new.revision or {}).get("date")
    when = datetime.fromisoformat(committed) if committed else datetime.now(timezone.utc)
    if when.tzinfo is None:  # git gives the committer's day: its start, in UTC
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def diff_xlsx(result, rendering) -> bytes:
    from ..render.office import shinkyu_xlsx
    from ..render.shinkyu import build_context

    context = build_context(result)
    return shinkyu_xlsx.build(result, context["title"], context["running_head"])


# One plan (a Plan)

def plan_stem(plan) -> str:
    return f"{plan.branch_id}_{plan.fiscal_year}_plan"


def plan_sources(plan) -> tuple:
    return (plan.source,)


def plan_text(plan, rendering) -> str:
    from ..render.outline import outline

    return outline(plan)


def plan_json(plan, rendering) -> str:
    from ..plan.model import plan_to_dict

    return to_json(plan_to_dict(plan))


def plan_page(plan, rendering) -> str | bytes:
    from ..render.fonts import choose_font
    from ..render.plan_document import TEMPLATE, render_document
    from ..render.templates import template_dir

    folder = template_dir(rendering.template_dir, TEMPLATE)
    return render_document(plan, rendering.fmt, choose_font(rendering.font), rendering.landscape, folder)


def plan_docx(plan, rendering) -> bytes:
    from ..render.office import plan_docx as word
    from ..render.plan_document import build_context

    return word.build(build_context(plan), rendering.font, rendering.landscape)


# One report of results (a results.report.EvaluatedReport: the JSON contract and the files it was read from)

def results_stem(report) -> str:
    data = report.data
    return f"{data['branch']['id']}_{data['fiscal_year']}_{data['report']['period']}_results"


def results_sources(report) -> tuple:
    return report.sources


def results_text(report, rendering) -> str:
    from ..render import results_text as text

    return text.to_text(report.data, color=rendering.color)


def results_json(report, rendering) -> str:
    return to_json(report.data)


def results_page(report, rendering) -> str | bytes:
    from ..render.fonts import choose_font
    from ..render.results import render_results_document

    return render_results_document(report.data, rendering.fmt, choose_font(rendering.font), rendering.landscape,
                                   rendering.monochrome, rendering.template_dir, layout=rendering.layout,
                                   computed=rendering.computed or "annex")


def results_docx(report, rendering) -> bytes:
    from ..render.fonts import choose_font
    from ..render.office.html_docx import html_to_docx
    from ..render.results import TEMPLATE, results_html
    from ..render.templates import template_dir

    # the very HTML the PDF prints, so the Word document holds what the PDF holds
    html = results_html(report.data, template_dir(rendering.template_dir, TEMPLATE), choose_font(rendering.font),
                        rendering.landscape, rendering.monochrome, rendering.layout, rendering.computed or "annex")
    return html_to_docx(html, rendering.font, rendering.landscape)


def results_xlsx(report, rendering) -> bytes:
    from ..render.office.results_office import results_workbook

    return results_workbook(report.every_report())


# KPIs across years or branches (a KPI view, the JSON contract)

def kpi_stem(view) -> str:
    if view["view"] == "branch":
        only = f"_{view['kpis'][0]['id']}" if len(view["kpis"]) == 1 else ""
        return f"{view['branch']['id']}{only}_kpi"
    return f"{view['kpi']['id']}_{view['fiscal_year']}_branches"


def no_sources(subject) -> tuple:
    return ()


def kpi_text(view, rendering) -> str:
    from ..render import kpi as history

    return history.to_text(view)


def kpi_json(view, rendering) -> str:
    return to_json(view)


def kpi_page(view, rendering) -> str | bytes:
    from ..render import kpi as history
    from ..render.fonts import choose_font

    return history.render_document(view, rendering.fmt, choose_font(rendering.font), rendering.template_dir)


def kpi_chart(view, rendering) -> str | bytes:
    from ..errors import UsageError
    from ..i18n import _
    from ..render import kpi as history

    if view["view"] == "branch" and len(view["kpis"]) != 1:
        raise UsageError(_("--format {format} draws one chart: name one KPI, e.g. kenpo-plans kpi "
                           "{kpi} --branch {branch} -f {format}.").format(
                               format=rendering.fmt, kpi=view["kpis"][0]["id"] if view["kpis"] else "KPI_ID",
                               branch=view["branch"]["id"]))
    return history.render_chart(view, rendering.fmt, chart_font(rendering.font))


def chart_font(asked: str | None) -> str:
    """The font asked for; else Gothic where it is installed, as charts read best in it."""
    from ..render.fonts import choose_font, japanese_families

    font = choose_font(asked)
    if asked:
        return font
    return next((f for f in ("IPAexGothic", "Noto Sans CJK JP", "IPAGothic") if f in japanese_families()), font)


def kpi_xlsx(view, rendering) -> bytes:
    from ..render.office.kpi_office import kpi_workbook

    return kpi_workbook(view)
