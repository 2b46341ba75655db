"""How a process of kenpo-plans ends when it is told to: cleanly, leaving no temporary file behind.

Used by the command line for itself and by ``--all-branches`` for its worker processes, so it sits
below both: a worker never needs the command line to set itself up.
"""

from __future__ import annotations

import signal


class Terminated(SystemExit):
    """Raised in place of a terminating signal, so every ``finally`` (temporary files) runs."""


def _raise_terminated(signum, _frame) -> None:
    raise Terminated(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP end the command like Ctrl-C does: cleanly, leaving no temporary file."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _raise_terminated)


def worker_setup() -> None:
    """In each worker: clean up on SIGTERM/SIGHUP, and die with the parent even if it is killed outright."""
    install_signal_handlers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux): SIGTERM when the parent dies
    except (OSError, AttributeError):
        pass
