"""`kenpo-plans new-report`: the skeleton of one report in <FY>.results.yaml, to fill in.

The skeleton lists every KPI and measure of the plan by id, with nothing recorded yet; `validate` then
says what is still to fill.  A report that already holds figures is never replaced.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import ValidationFailed
from ..fileio import write_atomic
from ..i18n import _
from ..plan import yamlwriter
from ..plan.loader import load_plan
from ..plan.reading import parse_yaml
from ..plan.store import PlanStore, parse_year, resolve_plans_dir
from ..results.skeleton import previous_scales, skeleton, with_report
from ..results.validate import check_results


def new_report(year, branch: str, period: str, plans_dir=None) -> str:
    """Add (or refresh, while still empty) the ``period`` report of <year>.results.yaml; returns what was done."""
    store = PlanStore(resolve_plans_dir(plans_dir))
    fiscal_year = parse_year(year)
    plan_path = store.path_for(branch, fiscal_year)
    plan, _warnings = load_plan(plan_path)
    path = store.results_path(branch, fiscal_year)
    report = skeleton(plan, period, previous_scales(store, branch, fiscal_year, period))
    if path.exists():
        text, action = with_report(path, period, report), _("added the {period} report to {path}")
    else:
        data = CommentedMap([("branch", branch), ("fiscal_year", fiscal_year), ("reports", CommentedSeq([report]))])
        text = yamlwriter.dump(data, yamlwriter.RESULTS_SCHEMA)
        action = _("created {path} with the {period} report")
    _results, problems = check_results(parse_yaml(text, str(path)), lambda: plan)
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    write_atomic(path, text, plan=True, hint=_("check that the plans folder is writable"))
    lines = [action.format(period=period, path=path)] + [str(p) for p in problems]
    lines.append(_("next: fill in the figures in {path}, then run kenpo-plans validate").format(path=path))
    return "\n".join(lines) + "\n"
