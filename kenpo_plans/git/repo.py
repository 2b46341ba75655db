"""Plans in git: reading a plan at a revision, the commits that touched it.

We call the git command line rather than GitPython or pygit2: planners
already have git, it needs no native library of its own (pygit2 brings
libgit2), GitPython shells out to the same CLI anyway, and git's own
handling of subdirectories, worktrees and revision syntax (HEAD~3,
v2019-final, A..B) comes for free.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import KenpoError
from ..i18n import N_, _, listing

WORKING_TREE = "working tree"


class GitError(KenpoError):
    """Raised when git is missing, a directory is not in a repository, or a revision or file is not there."""


@dataclass(frozen=True)
class Commit:
    sha: str
    short: str
    date: str  # committer date, YYYY-MM-DD
    author: str
    subject: str
    parents: tuple[str, ...] = ()  # a merge commit has two or more

    def describe(self) -> str:
        return f"{self.short} ({self.date})"

    def to_dict(self, rev: str) -> dict:
        return {"rev": rev, "commit": self.sha, "short": self.short, "date": self.date, "author": self.author,
                "subject": self.subject}


def describe_revision(revision: dict | None) -> str:
    """What the user typed when it names something (v2019-final, review), else 'abc1234 (2019-02-20)'; 作業中
    for the working tree.  A hash the user typed is shown short, with its date."""
    if not revision or revision.get("rev") == WORKING_TREE:
        return "作業中"
    typed = revision.get("rev") or ""
    if typed and not revision.get("commit", "").startswith(typed) and "~" not in typed and "^" not in typed:
        return f"{typed} ({revision['date']})"
    return f"{revision['short']} ({revision['date']})"


def _git(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    if shutil.which("git") is None:
        raise GitError(_("git is not installed; install it (sudo apt-get install git) to compare revisions."))
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(_("git {command} failed: {message}").format(command=" ".join(args), message=message))
    return result


def repo_root(path: Path, purpose: str = N_("--rev cannot be used there")) -> Path:
    """The top of the git repository that holds ``path``; ``purpose`` says what needs it, in the message.

    ``purpose`` is English marked with ``N_()``; it is translated here, where it is shown.
    """
    folder = path if path.is_dir() else path.parent
    if not folder.exists():
        raise GitError(_("{folder} does not exist.").format(folder=folder))
    result = _git(["rev-parse", "--show-toplevel"], folder, check=False)
    if result.returncode != 0:
        if purpose.startswith("--rev"):
            message = _("{folder} is not inside a git repository, so {purpose}. "
                        "Run `git init` in your planning repository, or compare files without --rev.")
        else:
            message = _("{folder} is not inside a git repository, so {purpose}. "
                        "Run `git init` in your planning repository, or set one up with kenpo-plans init.")
        raise GitError(message.format(folder=folder.resolve(), purpose=_(purpose)))
    return Path(result.stdout.decode().strip()).resolve()


_FORMAT = "%H%x1f%h%x1f%cs%x1f%an%x1f%P%x1f%s"


def _parse_commit(line: str) -> Commit:
    sha, short, date, author, parents, subject = line.split("\x1f", 5)
    return Commit(sha, short, date, author, subject, tuple(parents.split()))


def resolve(root: Path, rev: str) -> Commit:
    """The commit a revision names; a clear message listing branches and tags when there is none.

    The user's text reaches git only after --end-of-options, so a value such as --output=FILE names a
    revision (that does not exist), never an option; everything after it uses the resolved commit id.
    """
    sha = None
    if rev and not rev.startswith("-") and "\n" not in rev:
        found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root,
                     check=False)
        sha = found.stdout.decode().strip() if found.returncode == 0 else None
    result = _git(["log", "-1", f"--format={_FORMAT}", sha, "--"], root, check=False) if sha else None
    if result is None or result.returncode != 0 or not result.stdout.strip():
        names = _git(["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags"], root,
                     check=False).stdout.decode().split()
        known = listing(names[:12]) or _("none")
        raise GitError(_("revision '{rev}' does not exist in {root}. Branches and tags: {known}. "
                         "Revisions look like HEAD~3, a commit id, a branch or a tag.").format(
                             rev=rev, root=root, known=known))
    return _parse_commit(result.stdout.decode().strip())


def relative(root: Path, path: Path) -> str:
    """``path`` as git names it inside the repository (forward slashes)."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError as exc:
        raise GitError(_("{path} is outside the git repository {root}; point --plans-dir inside it.").format(
            path=path, root=root)) from exc


def read_at(root: Path, commit: Commit, relpath: str, limit: int | None = None) -> bytes:
    """The file's bytes at a commit; a blob larger than ``limit`` is refused before it is read."""
    if limit is not None:
        size = _git(["cat-file", "-s", f"{commit.sha}:{relpath}"], root, check=False)
        if size.returncode == 0 and int(size.stdout.decode().strip() or 0) > limit:
            raise GitError(_("{path} at {commit} is {size:.1f} MB; plans are "
                             "limited to {limit} MB, so it is not read.").format(
                                 path=relpath, commit=commit.short, size=int(size.stdout) / 1024 / 1024,
                                 limit=limit // 1024 // 1024))
    result = _git(["show", f"{commit.sha}:{relpath}"], root, check=False)
    if result.returncode != 0:
        raise GitError(_("{path} does not exist at {commit} ({date} {subject!r}); "
                         "it was added later or has another name there.").format(
                             path=relpath, commit=commit.short, date=commit.date, subject=commit.subject))
    return result.stdout


def file_history(root: Path, relpath: str) -> list[tuple[Commit, str]]:
    """Commits that touched the file, newest first, with the path it had in each (renames followed).

    Merge commits that changed the file against a parent are among them (``-m``: git lists such a commit
    once per parent; the first listing is kept)."""
    result = _git(["log", "--follow", "-m", "--name-only", f"--format=\x1e{_FORMAT}", "--", relpath], root)
    history, seen = [], set()
    for record in result.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        lines = [line for line in record.splitlines() if line.strip()]
        if not lines:
            continue
        commit = _parse_commit(lines[0])
        if commit.sha in seen:
            continue
        seen.add(commit.sha)
        path = lines[1] if len(lines) > 1 else relpath
        history.append((commit, path))
    return history


def git_dir(root: Path) -> Path:
    """The repository's .git directory (a worktree's own one included)."""
    result = _git(["rev-parse", "--absolute-git-dir"], root)
    return Path(result.stdout.decode().strip())


def git_config(root: Path, key: str, value: str) -> None:
    _git(["config", "--local", key, value], root)


def check_attr(root: Path, attribute: str, relpath: str) -> str:
    """The value git gives ``attribute`` for ``relpath`` (``unspecified`` when no line sets it)."""
    result = _git(["check-attr", "-z", attribute, "--", relpath], root)
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    return fields[2] if len(fields) > 2 else "unspecified"


def init(folder: Path) -> None:
    _git(["init", "-q"], folder)
