"""`kenpo-plans diff`: the command, for one branch or every branch (commands.batch), written through the registry."""

from __future__ import annotations

from ..errors import UsageError
from ..i18n import _
from .batch import diff_all_branches
from .diff import diff
from .outputs import Outcome, check_request, write
from .requests import DiffRequest

__all__ = ["DiffRequest", "compare", "write_shinkyu"]


def compare(request: DiffRequest, progress=None) -> Outcome:
    """The whole command: one branch's 新旧対照表, or every branch's with ``all_branches``."""
    check_diff_options(request)
    if request.all_branches:
        outcome = diff_all_branches(request, progress)
    else:
        outcome = write_shinkyu(diff(request.versions, request.branch, request.plans_dir, request.exact,
                                     request.encoding, request.rev), request.rendering)
    outcome.exit_on_changes = request.exit_code
    return outcome


def write_shinkyu(result, rendering) -> Outcome:
    """Print text/JSON, or write the document (PDF by default) atomically next to where it is asked for."""
    return write("diff", result, rendering, Outcome(has_changes=result.has_changes))


def check_diff_options(request: DiffRequest) -> None:
    check_request(request.rendering, "diff", directory_output=request.all_branches)
    if request.all_branches and request.branch:
        raise UsageError(_("--all-branches renders every branch; leave out --branch (or leave out --all-branches)."))
    if not request.all_branches and (request.jobs or request.force):
        raise UsageError(_("{option} applies to --all-branches only.").format(
            option="--jobs" if request.jobs else "--force"))
