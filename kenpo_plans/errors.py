"""Every error the tool reports to a user derives from ``KenpoError``.

The command-line entry point catches ``KenpoError`` once, prints its
message and exits with ``exit_code``; anything else is a bug and shows a
traceback only under ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _


class KenpoError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code = 1


class UsageError(KenpoError):
    """Raised when options or arguments do not make sense together (same year twice, …)."""


class PlanNotFound(KenpoError):
    """Raised when a branch, year or plans directory does not exist; the message lists what does."""


class PlanReadError(KenpoError):
    """Raised when a plan file cannot be read as text or parsed as YAML (encoding, syntax, size).

    Where it happened travels with it: the file, and the line and column when the reader knows them,
    so validation reports it in place like every other problem; ``str()`` reads FILE:LINE:COL: message.
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.message, self.file, self.line, self.column = message, file, line, column
        where = ":".join(str(part) for part in (file, line, column) if part is not None)
        super().__init__(f"{where}: {message}" if where else message)


class EmptyFile(PlanReadError):
    """Raised when a file to be read as a plan (or results) holds no YAML document at all."""


class OutputError(KenpoError):
    """Raised when an output file cannot be written (unwritable directory, disk full)."""


@dataclass(frozen=True)
class Problem:
    """One finding of validation, with where it is and what to do."""

    file: str | None
    line: int | None
    column: int | None
    path: str  # where inside the document, e.g. sections[0].measures[2].kpis[0].text
    message: str
    severity: str = "error"  # or "warning"

    @classmethod
    def at(cls, loc, path: str, message: str, severity: str = "error") -> "Problem":
        """A problem at a model ``Location`` (or nowhere in particular when there is none)."""
        if loc is None:
            return cls(None, None, None, path, message, severity)
        return cls(loc.file, loc.line, loc.column, path, message, severity)

    @classmethod
    def from_read_error(cls, exc: PlanReadError, path: str | None = None) -> "Problem":
        """A reader's error as a located problem, so its line starts FILE:LINE:COL like every other;
        an error about the whole file is placed at its first line."""
        file = exc.file if exc.file is not None and (path is None or exc.file == path) else path
        if file is None:
            return cls(None, None, None, "", exc.message)
        located = file == exc.file and exc.line is not None
        return cls(file, exc.line if located else 1, (exc.column or 1) if located else 1, "", exc.message)

    @classmethod
    def all_from_read_error(cls, exc: PlanReadError, path: str | None = None) -> list["Problem"]:
        """The problems a reader's error stands for: one, or one per conflict a merge left in the file."""
        return list(getattr(exc, "problems", None) or [cls.from_read_error(exc, path)])

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        inside = f" [{self.path}]" if self.path else ""
        severity = {"error": _("error"), "warning": _("warning")}.get(self.severity, self.severity)
        return f"{where}: {severity}:{inside} {self.message}"


class ValidationFailed(KenpoError):
    """Raised once validation has collected every problem and at least one is an error."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == "error")
        lines = [str(p) for p in problems]
        lines.append(_("{errors} error(s), {warnings} warning(s)")
                     .format(errors=errors, warnings=len(problems) - errors))
        super().__init__("\n".join(lines))
