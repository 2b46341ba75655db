"""Plans across git revisions: a plan as it was at a commit, a tag or a branch, and what ``--rev`` means."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..i18n import _
from ..plan.reading import MAX_PLAN_BYTES, decode_plan_bytes
from ..plan.model import Plan
from ..plan.loader import load_plan, load_plan_text
from . import repo as gitrepo


def load_at(path: Path, rev: str | None, encoding: str | None = None) -> Plan:
    """The plan in ``path`` at git revision ``rev`` (None: as it is on disk now)."""
    if rev is None:
        plan, _warnings = load_plan(path, encoding)
        root = _root_if_any(path)
        plan.revision = {"rev": gitrepo.WORKING_TREE} if root else None
        return plan
    root = gitrepo.repo_root(path.parent if path.parent.exists() else Path.cwd())
    commit = gitrepo.resolve(root, rev)
    plan = plan_at(root, commit, gitrepo.relative(root, path), encoding)
    plan.revision = commit.to_dict(rev)
    return plan


def _root_if_any(path: Path) -> Path | None:
    try:
        return gitrepo.repo_root(path)
    except gitrepo.GitError:
        return None


def split_range(rev: str) -> tuple[str, str | None]:
    """'A..B' → (A, B); 'A' → (A, None) meaning the working tree."""
    if "..." in rev:
        raise UsageError(_("--rev {rev}: use A..B (two dots) to compare two revisions.").format(rev=rev))
    if ".." in rev:
        old, new = rev.split("..", 1)
        if not old or not new:
            raise UsageError(_("--rev {rev}: give both ends, e.g. --rev v2019-draft1..v2019-final.").format(rev=rev))
        return old, new
    return rev, None


def plan_at(root: Path, commit: gitrepo.Commit, relpath: str, encoding: str | None = None) -> Plan:
    """A plan as committed, named ``<short id>:<path>`` in messages."""
    label = f"{commit.short}:{relpath}"
    raw = gitrepo.read_at(root, commit, relpath, limit=MAX_PLAN_BYTES)
    plan, _warnings = load_plan_text(decode_plan_bytes(raw, label, encoding), label)
    plan.source = label
    return plan


