"""Writing outputs so that nothing is ever half-written, and nothing the user keeps is destroyed.

Each file is written to a temporary file in the target directory and
renamed over the target only once complete: an interrupted or failing
render leaves any previous output untouched.  Before that, the target is
checked: an output never replaces a directory, a device, a FIFO or a
socket, never an input of the same command, and never a plan or results
file (``-o plans/kagoshima/2019.yaml`` would turn a plan into JSON).

A symbolic link is written through: the file it points to is replaced (in
that file's own directory, atomically) and the link stays a link, so an
office's shortcut to a shared folder keeps working.  A link that points
nowhere is refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import Iterable

from .errors import OutputError
from .i18n import _
from .plan.files import is_kept_file


def file_kind(mode: int) -> str:
    """'a directory', 'a named pipe (FIFO)', 'a device', 'a socket': what a path is when it is not a file."""
    import stat as stat_module

    if stat_module.S_ISDIR(mode):
        return _("a directory")
    if stat_module.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return _("a device")
    if stat_module.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def _refuse(path: Path, why: str) -> OutputError:
    return OutputError(_("refusing to write {path}: {why} Choose another -o path.").format(path=path, why=why))


def checked_target(path: Path, protected: Iterable[str | os.PathLike | None] = (), plan: bool = False,
                   follow_links: bool = True) -> Path:
    """The file an output will replace, after every check; raises ``OutputError`` when it must not be.

    With ``follow_links=False`` a symbolic link is itself replaced (for the tool's own bookkeeping files,
    where a link can only have been planted)."""
    path = Path(path)
    target = path
    if path.is_symlink() and not follow_links:
        return path
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            raise _refuse(path, _("it is a symbolic link to {target}, which does not exist.").format(target=target))
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # does not exist yet; a missing directory is reported when writing
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from exc
    if mode is not None and not stat.S_ISREG(mode):
        raise _refuse(path, _("it is {kind}, which an output never replaces.").format(kind=file_kind(mode)))
    if mode is not None:
        for source in protected:
            if source and Path(source).exists() and os.path.samefile(target, source):
                raise _refuse(path, _("it is {source}, an input of this command; the output would destroy it.").format(
                    source=source))
        if is_kept_file(target.name) and not plan:
            raise _refuse(path, _("it is a plan or results file (<year>.yaml / <year>.results.yaml); outputs never "
                                  "replace one."))
    return target


def _mode_for(target: Path) -> int:
    """The replaced file's own mode, so a report kept private (0600) stays private; for a new file what the
    owner's umask gives (the temporary file is always 0600, whatever the umask)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask; Linux says it in /proc, elsewhere it is read by setting it back at once."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, protected: Iterable[str | os.PathLike | None] = (),
                 plan: bool = False, hint: str | None = None, follow_links: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; ``plan`` is for the one writer of plans (`new`).

    ``hint`` says what to do when the file cannot be written (already in the user's language);
    by default, to choose another -o path.
    """
    path = Path(path)
    if hint is None:
        hint = _("choose another -o path")
    target = checked_target(path, protected, plan, follow_links)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(_("cannot write {path}: the directory {folder} does not exist; create it, or {hint}.").format(
            path=path, folder=folder, hint=hint))
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason} — {hint}.").format(
            path=path, reason=exc.strerror or exc, hint=hint)) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, _mode_for(target))
        os.replace(temp_name, target)
    except BaseException as exc:  # KeyboardInterrupt and SystemExit from SIGTERM/SIGHUP included
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(_("cannot write {path}: {reason} — {hint}.").format(
                path=path, reason=exc.strerror or exc, hint=hint)) from exc
        raise
    return path
