"""One writer per output folder: an advisory lock (`flock`) on a file beside the output.

A build holds it while it publishes (staging, search index, swap); `serve` holds it for as
long as it serves, since it rewrites files in place. A second writer waits, saying so, and
gives up with a clear message after a timeout. The kernel drops the lock when its holder
dies, so a killed build never leaves the folder locked; the lock file itself stays (deleting
it would let two writers lock two different files).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# How long a writer waits for another one (seconds); SOMOS_LOCK_TIMEOUT changes it.
DEFAULT_TIMEOUT = 120.0
POLL_INTERVAL = 0.1


class OutputBusy(Exception):  # noqa: N818 (reads as what happened: the output is busy)
    """Another process kept the output folder for longer than the timeout."""


_held: dict[Path, int] = {}  # lock file -> how many holders in this process (re-entrant)
_guard = threading.Lock()


def lock_path(out: Path) -> Path:
    out = out.absolute()
    return out.with_name(f".{out.name}.lock")


def timeout_from_environment() -> float:
    try:
        return max(0.0, float(os.environ.get("SOMOS_LOCK_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it ('pid 123, build'), or ''."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


@contextmanager
def hold(
    out: Path, purpose: str = "build", timeout: float | None = None, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for the `with` block. Re-entrant within a process (the
    dev server's own rebuilds publish while it holds the lock). `waiting(message)` is
    called once if another process holds it; OutputBusy is raised after `timeout` s."""
    path = lock_path(out)
    with _guard:
        if path in _held:
            _held[path] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        acquire(fd, path, out, timeout_from_environment() if timeout is None else timeout, waiting)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, {purpose}\n".encode(), 0)
        with _guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(path, None)
    finally:
        os.close(fd)  # releases the lock


def acquire(fd: int, path: Path, out: Path, timeout: float, waiting: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        who = holder(path) or "another process"
        if time.monotonic() >= deadline:
            raise OutputBusy(
                f"{out} is in use by another somos-site ({who}); gave up after {timeout:g} s. "
                "Wait for it to finish, stop it, or build into another folder with --out "
                "(SOMOS_LOCK_TIMEOUT sets how long to wait)"
            )
        if not told and waiting is not None:
            waiting(f"waiting for another somos-site ({who}) to finish with {out} ...")
            told = True
        time.sleep(POLL_INTERVAL)
