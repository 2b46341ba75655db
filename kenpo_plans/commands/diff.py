"""`kenpo-plans diff`: the command, for one branch (commands.compare) or every branch (commands.batch)."""

from __future__ import annotations

from ..errors import UsageError
from ..i18n import _
from .batch import diff_all_branches
from .compare import DiffRequest, diff, write_diff
from .outputs import Outcome, OutputRequest, check_request

__all__ = ["DiffRequest", "run", "diff"]


def run(request: DiffRequest, output: OutputRequest, progress=None) -> Outcome:
    """The whole command: one branch, or every branch with ``all_branches``."""
    check_diff_options(request, output)
    if request.all_branches:
        outcome = diff_all_branches(request, output, progress)
    else:
        outcome = write_diff(diff(request.versions, request.branch, request.plans_dir, request.exact,
                                  request.encoding, request.rev), output)
    outcome.exit_on_changes = request.exit_code
    return outcome


def check_diff_options(request: DiffRequest, output: OutputRequest) -> None:
    check_request(output, directory_output=request.all_branches)
    if request.all_branches and request.branch:
        raise UsageError(_("--all-branches renders every branch; leave out --branch (or leave out --all-branches)."))
    if not request.all_branches and (request.jobs or request.force):
        raise UsageError(_("{option} applies to --all-branches only.").format(
            option="--jobs" if request.jobs else "--force"))
