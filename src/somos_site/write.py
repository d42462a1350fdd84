"""Stage 7, write: publish the in-memory site atomically.

The site is written into a staging folder beside the output and swapped in with one
atomic rename (Linux `renameat2(RENAME_EXCHANGE)`), so readers and a killed build only
ever see the old site or the new one, never a mix. Stale files cannot survive: the new
folder is built from nothing. Nothing outside the output folder is written or deleted.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from somos_site.diagnostics import Diagnostic, error

MARKER = ".somos-site"  # marks a folder this tool made, so it may replace it
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_output_folder(out: Path, protected: dict[str, Path]) -> list[Diagnostic]:
    """Refuse an output folder that is, contains or lies inside a source folder, and one
    holding files this tool did not make."""
    out = out.resolve()
    for name, folder in protected.items():
        folder = folder.resolve()
        if out == folder or out in folder.parents:
            return [
                error(
                    "output-unsafe",
                    f"the output folder {out} is or contains the {name} ({folder})",
                    hint="choose --out DIR elsewhere, e.g. _site",
                )
            ]
        if name != "project root" and folder in out.parents:
            return [
                error(
                    "output-unsafe",
                    f"the output folder {out} is inside the {name} ({folder})",
                    hint="choose --out DIR outside it",
                )
            ]
    if out.exists() and not out.is_dir():
        return [error("output-unsafe", f"{out} exists and is not a folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return [
            error(
                "output-unsafe",
                f"{out} holds files somos-site did not write; refusing to replace them",
                hint="empty it or choose another --out",
            )
        ]
    return []


def publish(
    outputs: dict[str, bytes], static_dirs: list[Path], static_files: frozenset[str], out: Path, search: bool = True
) -> None:
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        write_tree(staging, outputs, static_dirs, static_files)
        if search:
            index_for_search(staging)
        swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def sync(out: Path, before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """Bring a published site from `before` to `after` in place, file by file, each
    replaced atomically: what the dev server does after a small change."""
    for relative, data in sorted(after.items()):
        if before.get(relative) != data:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
    for relative in sorted(set(before) - set(after)):
        (out / relative).unlink(missing_ok=True)


def write_tree(root: Path, outputs: dict[str, bytes], static_dirs: list[Path], static_files: frozenset[str]) -> None:
    for relative, data in sorted(outputs.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for relative in sorted(static_files):
        # The first folder holding the file wins: a site's own file over the theme's.
        source = next((d / relative for d in static_dirs if (d / relative).is_file()), None)
        if source is not None:
            target = root / "static" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    (root / MARKER).write_text("This folder is written by somos-site and replaced on every build.\n", encoding="utf-8")


def index_for_search(root: Path) -> None:
    """Pagefind indexes the finished pages (one index per language, from `<html lang>`)
    into root/pagefind/. The binary ships in the `pagefind` package; nothing is fetched."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(root), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {(result.stderr or result.stdout).strip()}")


def swap_in(staging: Path, out: Path) -> None:
    """Put `staging` at `out`; afterwards `staging` holds the previous site (or is gone)."""
    if not out.exists():
        os.rename(staging, out)
        return
    if exchange(staging, out):
        return
    # No atomic exchange on this system: two renames, and `recover` mends the gap if a
    # build dies between them.
    previous = out.with_name(f".{out.name}.previous-{os.getpid()}")
    os.rename(out, previous)
    os.rename(staging, out)
    os.rename(previous, staging)


def exchange(a: Path, b: Path) -> bool:
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def recover(out: Path) -> None:
    """Clean up after a build that was killed: restore the previous site if it was moved
    aside, and delete abandoned staging folders."""
    leftovers = sorted(out.parent.glob(f".{out.name}.previous-*"))
    if not out.exists() and leftovers:
        os.rename(leftovers.pop(), out)
    for folder in [*leftovers, *out.parent.glob(f".{out.name}.staging-*")]:
        shutil.rmtree(folder, ignore_errors=True)
