"""What git knows about a plans folder as a whole: the revision it is at and when each file last changed.

The site shows both; a folder outside git (or no git installed) simply has neither.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _run(args: list[str], cwd: Path) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def revision(folder: Path) -> dict | None:
    """{"commit": short hash, "date": ISO date, "dirty": files under ``folder`` differ from it} or None."""
    head = _run(["log", "-1", "--format=%h %cI"], folder)
    if not head or not head.strip():
        return None
    commit, _, date = head.strip().partition(" ")
    status = _run(["status", "--porcelain", "--", "."], folder) or ""
    return {"commit": commit, "date": date, "dirty": bool(status.strip())}


def last_changes(folder: Path) -> dict[str, str]:
    """Each committed file under ``folder`` (its path relative to ``folder``) → the ISO date of its last commit.

    One ``git log`` for the whole folder, newest first: the first date seen for a file is its last change.
    """
    top = _run(["rev-parse", "--show-prefix"], folder)
    if top is None:
        return {}
    prefix = top.strip()
    listed = _run(["log", "--format=@%cI", "--name-only", "--no-renames", "--", "."], folder) or ""
    found: dict[str, str] = {}
    date = ""
    for line in listed.splitlines():
        if line.startswith("@"):
            date = line[1:]
        elif line and line.startswith(prefix):
            found.setdefault(line[len(prefix):], date)
    return found
