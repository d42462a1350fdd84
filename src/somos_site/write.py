"""Stage 7, write: publish the in-memory site atomically.

The site is written into a staging folder beside the output and swapped in with one
atomic rename (Linux `renameat2(RENAME_EXCHANGE)`), so readers and a killed build only
ever see the old site or the new one, never a mix. Stale files cannot survive: the new
folder is built from nothing. Nothing outside the output folder is written or deleted.
"""

from __future__ import annotations

import ctypes
import errno
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from somos_site import lock, trash
from somos_site.diagnostics import Diagnostic, error
from somos_site.outputs import SiteFiles

MARKER = ".somos-site"  # marks a folder this tool made, so it may replace it
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_output_folder(out: Path, protected: dict[str, Path]) -> list[Diagnostic]:
    """Refuse an output folder that is, contains or lies inside a source folder, and one
    holding files this tool did not make."""
    if out.is_symlink():
        return [
            error(
                "output-unsafe",
                f"the output folder {out} is a symlink (to {os.readlink(out)})",
                hint="give the real folder as --out; the build replaces the output folder, not what a link points to",
            )
        ]
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


class PublishError(Exception):
    """The finished site could not be written, indexed or swapped in: the environment's
    doing (disk full, read-only folder, a failed search indexer), not the content's."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def publish(
    outputs: Mapping[str, bytes],
    static_dirs: list[Path],
    static_files: frozenset[str],
    out: Path,
    search: bool = True,
    waiting: Callable[[str], None] | None = None,
    early: EarlyIndex | None = None,
) -> bool:
    """Write, index and verify the site in a staging folder, then swap it in; holds the
    output folder's lock throughout. Raises PublishError or OutputBusy; either way the
    previous site is untouched. Files a `SiteFiles` knows to be unchanged since the
    published build are hard-linked from it, not written, and nothing at all is done when
    the whole tree is unchanged (returns False). `early`: the search index made of the
    spooled pages while the build checked them, used when it covers exactly the pages
    Pagefind would index in the staging folder (else the staging folder is indexed)."""
    out = out.absolute()
    files = outputs if isinstance(outputs, SiteFiles) else SiteFiles(outputs)
    try:
        return publish_tree(files, static_dirs, static_files, out, search, waiting, early)
    finally:
        if early is not None:
            early.discard()


def publish_tree(files, static_dirs, static_files, out: Path, search: bool, waiting, early) -> bool:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with lock.hold(out, "build", waiting=waiting):
            if files.same_as_published(out) and (out / MARKER).exists() and (not search or (out / "pagefind").is_dir()):
                return False
            recover(out)  # under the lock, every staging folder left is an abandoned one
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
            try:
                umask = os.umask(0)
                os.umask(umask)
                staging.chmod(0o777 & ~umask)
                # Before the spool is moved: the indexer may still be reading it.
                index = early.finish(files) if early is not None and search else None
                adopted = adopt_spools(staging, files)
                swapped = False
                try:
                    write_tree(staging, files, static_dirs, static_files, frozenset().union(*adopted.values()))
                    if search and not files.html_changed() and (out / "pagefind").is_dir():
                        link_tree(out / "pagefind", staging / "pagefind")  # the same pages: the same index
                    elif search and not (index is not None and moved(index, staging / "pagefind")):
                        index_for_search(staging)
                    verify(staging, files, static_dirs, static_files, search)
                    swap_in(staging, out)
                    swapped = True
                finally:
                    if not swapped:  # the caller still reads the pages from the spool
                        return_spools(staging, adopted)
            finally:
                # After the swap it holds the previous site; after a failure, the new one.
                if staging.exists():
                    trash.discard(staging, trash_bin(out))
    except OSError as exc:
        raise PublishError(*explain_os_error(exc, out)) from exc
    return True


def trash_bin(out: Path) -> Path:
    """Where replaced sites wait to be deleted: beside the output folder, on its file system."""
    return out.parent / f".{out.name}.trash"


def explain_os_error(exc: OSError, out: Path) -> tuple[str, str | None]:
    """What happened and what to do, for the errors a user's environment causes."""
    where = exc.filename or out
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: could not write {where}", "free some space and build again"
    if exc.errno == errno.EDQUOT:
        return f"the disk quota is used up: could not write {where}", "free some space and build again"
    if exc.errno == errno.EROFS:
        return f"{where} is on a read-only file system", "build into a writable folder with --out DIR"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to use {where}", "check its permissions, or choose another --out DIR"
    return f"could not write {where}: {exc.strerror or exc}", None


def sync(out: Path, before: Mapping[str, bytes], after: Mapping[str, bytes]) -> list[str]:
    """Bring a published site from `before` to `after` in place, file by file, each
    replaced atomically: what the dev server does after a small change. Returns the files
    written or deleted."""
    changed = []
    for relative in candidates(before, after):
        data = after[relative]
        if before.get(relative) != data:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            changed.append(relative)
    for relative in sorted(set(before) - set(after)):
        (out / relative).unlink(missing_ok=True)
        changed.append(relative)
    return changed


def candidates(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> list[str]:
    """The files of `after` that may differ from `before`, sorted: at 10,000 pages the
    test of each file one by one costs more than the rest of a one-page edit, so the
    three parts of two `SiteFiles` are compared as dictionaries."""
    if not (isinstance(before, SiteFiles) and isinstance(after, SiteFiles)):
        return [relative for relative in sorted(after) if not unchanged(before, after, relative)]
    old_memory, old_disk = before.memory, before.on_disk
    found = [p for p, data in after.memory.items() if old_memory.get(p) is not data]
    found += [p for p in after.spooled if not unchanged(before, after, p)]
    found += [p for p, d in after.on_disk.items() if old_disk.get(p) != d and not unchanged(before, after, p)]
    return sorted(found)


def unchanged(before: Mapping[str, bytes], after: Mapping[str, bytes], relative: str) -> bool:
    """Known to be the same file without comparing bytes: the same object kept from the
    last build, or the same recorded hash."""
    if not (isinstance(before, SiteFiles) and isinstance(after, SiteFiles)) or relative not in before:
        return False
    if relative in before.memory and relative in after.memory:
        return before.memory[relative] is after.memory[relative]
    return (
        relative in before.on_disk and relative in after.on_disk and before.digest(relative) == after.digest(relative)
    )


def adopt_spools(staging: Path, files: SiteFiles) -> dict[Path, set[str]]:
    """Move the spool folders' top-level entries into the staging folder whole: a spool is
    laid out as the site is, so its pages are then in place without a folder made or a file
    linked, and the spool is left empty. (Deleting a spool of several hundred folders costs
    seconds on a disk mounted with `discard`, where every rmdir waits for the device.)
    Only a spool holding exactly the files recorded from it is moved; anything else is
    linked file by file as before. Returns, per spool, the files now in the staging folder."""
    expected: dict[Path, set[str]] = {}
    for relative, (_, _, spool) in files.spooled.items():
        expected.setdefault(spool, set()).add(relative)
    adopted: dict[Path, set[str]] = {}
    for spool, paths in expected.items():
        moved: set[str] = set()
        try:
            if files_under(spool) == paths:
                for entry in sorted(os.listdir(spool)):
                    if not os.path.lexists(staging / entry):
                        os.rename(spool / entry, staging / entry)
                        moved.add(entry)
        except OSError:  # another file system (the cache elsewhere): linked or written instead
            pass
        adopted[spool] = {p for p in paths if p.split("/", 1)[0] in moved}
    return adopted


def files_under(folder: Path) -> set[str]:
    """Every file below `folder`, as `/`-separated paths relative to it."""
    found: set[str] = set()
    for directory, _, names in os.walk(folder):
        prefix = os.path.relpath(directory, folder).replace(os.sep, "/")
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in names)
    return found


def return_spools(staging: Path, adopted: dict[Path, set[str]]) -> None:
    """Undo `adopt_spools` when the site is not swapped in: the build reads its pages back
    from the spool to report on them."""
    for spool, paths in adopted.items():
        for entry in sorted({p.split("/", 1)[0] for p in paths}):
            if os.path.lexists(staging / entry) and not os.path.lexists(spool / entry):
                os.rename(staging / entry, spool / entry)


def write_tree(
    root: Path,
    outputs: Mapping[str, bytes],
    static_dirs: list[Path],
    static_files: frozenset[str],
    in_place: frozenset[str] = frozenset(),
) -> None:
    """Write the site into `root`; `in_place`: files already there (`adopt_spools`)."""
    files = outputs if isinstance(outputs, SiteFiles) else SiteFiles(outputs)
    made: set[Path] = set()
    for relative in files:
        if relative in in_place:
            continue
        target = root / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        existing = files.published_copy(relative) or files.spool_copy(relative)
        if existing is None or not link(existing, target):
            target.write_bytes(files[relative])
    for relative in sorted(static_files):
        # The first folder holding the file wins: a site's own file over the theme's.
        source = next((d / relative for d in static_dirs if (d / relative).is_file()), None)
        if source is not None:
            target = root / "static" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    (root / MARKER).write_text("This folder is written by somos-site and replaced on every build.\n", encoding="utf-8")


# Pagefind must have written these (the search page loads the UI; the UI loads the rest).
SEARCH_REQUIRED = ("pagefind.js", "pagefind-entry.json", "pagefind-ui.js", "pagefind-ui.css")
SEARCH_TIMEOUT = 600  # seconds; an indexer that hangs must not hold the output forever


def link(source: Path, target: Path) -> bool:
    """Hard-link an unchanged published file into the staging folder: no bytes written.
    The published file is never modified in place afterwards (every write makes a new
    file), so the two names stay the same bytes."""
    try:
        os.link(source, target)
        return True
    except OSError:
        return False  # another file system, or no hard links: the caller writes it


def link_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not link(path, destination):
                shutil.copyfile(path, destination)


def refresh_search_index(out: Path) -> None:
    """Index a published site again and swap the new index in whole: what the dev server
    does after a change, once the browser has reloaded (readers never see half an index)."""
    out = out.absolute()
    fresh = out / ".pagefind-next"
    shutil.rmtree(fresh, ignore_errors=True)
    index_for_search(out, fresh)
    verify_search_index(fresh)
    current = out / "pagefind"
    if not current.exists():
        os.rename(fresh, current)
    elif exchange(fresh, current):
        shutil.rmtree(fresh, ignore_errors=True)
    else:
        shutil.rmtree(current, ignore_errors=True)
        os.rename(fresh, current)


# Pagefind indexes only the pages marked with this when any page has it (the entry
# pages; see entry.html), and every page when none has.
SEARCH_BODY = b"data-pagefind-body"


class EarlyIndex:
    """Pagefind indexing the spooled entry pages in a background thread (its work is in its
    own process) while the build checks the site, instead of after the staging folder is
    written. Its index is the staging folder's when the spool holds every page Pagefind
    would index there: see `finish`."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.output = spool.with_name(f"{spool.name}.pagefind")  # beside the spool, cleared with it
        self.failed = False
        self.hung: PublishError | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            index_for_search(self.spool, self.output)
        except PublishError as failure:
            self.failed = True
            if isinstance(failure.__cause__, subprocess.TimeoutExpired):
                self.hung = failure  # reported as it is: a second try would hang as long
        except Exception:  # any other failure: the staging folder is indexed instead, and its failure reported
            self.failed = True

    def finish(self, files: SiteFiles) -> Path | None:
        """The index, once made, when it covers what Pagefind would index in the staging
        folder: every file of the spool is one of `files` and all of them are there, no
        other page carries the marker, and the spool's pages do (so both runs index the
        marked pages only). None: index the staging folder."""
        self.thread.join()
        if self.hung is not None:
            raise self.hung
        if self.failed or not self.output.is_dir():
            return None
        spooled = {p for p, (_, _, spool) in files.spooled.items() if spool == self.spool}
        others = [p for p in files if p.endswith(".html") and p not in spooled]
        try:
            if files_under(self.spool) != spooled or not spooled:
                return None
            if any(p not in files.memory or SEARCH_BODY in files.memory[p] for p in others):
                return None
            if SEARCH_BODY not in (self.spool / min(spooled)).read_bytes():
                return None
        except OSError:
            return None
        return self.output

    def discard(self) -> None:
        """Delete what is left of the index (all of it when it was not used)."""
        self.thread.join()
        shutil.rmtree(self.output, ignore_errors=True)


def moved(source: Path, target: Path) -> bool:
    try:
        os.rename(source, target)
        return True
    except OSError:  # another file system: the caller indexes again instead
        return False


@cache
def pagefind_command() -> tuple[str, ...]:
    """The Pagefind binary the `pagefind` package ships, run directly: `python -m pagefind`
    runs the same binary after a Python start-up (a tenth of a second of CPU)."""
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except Exception:  # an unexpected package layout: let the package start it
        found = None
    return (str(found),) if found is not None else (sys.executable, "-m", "pagefind")


def index_for_search(root: Path, output: Path | None = None) -> None:
    """Pagefind indexes the finished pages (one index per language, from `<html lang>`)
    into root/pagefind/ (or `output`). The binary ships in the `pagefind` package; nothing
    is fetched."""
    where = ["--output-path", str(output)] if output is not None else []
    try:
        result = subprocess.run(
            [*pagefind_command(), "--site", str(root), "--silent", *where],
            capture_output=True,
            text=True,
            check=False,
            timeout=SEARCH_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"the search indexer (pagefind) did not finish within {SEARCH_TIMEOUT} s") from exc
    said = (result.stderr or result.stdout or "").strip()
    if result.returncode != 0:
        raise PublishError(f"the search indexer (pagefind) failed (exit {result.returncode}): {said[-500:]}")


def verify(
    root: Path, outputs: Mapping[str, bytes], static_dirs: list[Path], static_files: frozenset[str], search: bool
) -> None:
    """Every file is there with its full size before the swap, the search index included:
    a full disk can leave files empty or cut short without any write failing loudly.
    A file hard-linked from the published site is that site's file: nothing to verify."""
    files = outputs if isinstance(outputs, SiteFiles) else SiteFiles(outputs)
    for relative in files:
        written = (root / relative).stat()
        published = files.published_copy(relative)
        if published is not None and published.stat().st_ino == written.st_ino:
            continue
        if written.st_size != files.size(relative):
            raise PublishError(f"{relative} was not written completely", "check the free disk space")
    for relative in static_files:
        source = next((d / relative for d in static_dirs if (d / relative).is_file()), None)
        if source is not None and (root / "static" / relative).stat().st_size != source.stat().st_size:
            raise PublishError(f"static/{relative} was not copied completely", "check the free disk space")
    if search:
        verify_search_index(root / "pagefind")


def verify_search_index(folder: Path) -> None:
    """Pagefind exits 0 even when it could not write its files: look at them instead.
    Its index files are gzip streams, so one cut short does not decompress."""
    hint = "check the free disk space; the previous site is still published"
    for name in SEARCH_REQUIRED:
        if not (folder / name).is_file():
            raise PublishError(f"the search index is incomplete: pagefind/{name} is missing", hint)
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
        expected = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
        expected += [f"wasm.{lang['wasm']}.pagefind" for lang in languages.values()]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PublishError("the search index is incomplete: pagefind/pagefind-entry.json is unreadable", hint) from exc
    for name in expected:
        if not (folder / name).is_file():
            raise PublishError(f"the search index is incomplete: pagefind/{name} is missing", hint)
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if path.stat().st_size == 0:
            raise PublishError(f"the search index is incomplete: pagefind/{name} is empty", hint)
        if path.suffix.startswith(".pf_") or path.suffix == ".pagefind":
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError, zlib.error) as exc:
                raise PublishError(f"the search index is damaged: pagefind/{name} is cut short", hint) from exc


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
    aside, and delete abandoned staging folders. Only ever called with the output folder's
    lock held, so no staging folder found here belongs to a running build."""
    leftovers = sorted(out.parent.glob(f".{out.name}.previous-*"))
    if not out.exists() and leftovers:
        os.rename(leftovers.pop(), out)
    for folder in [*leftovers, *out.parent.glob(f".{out.name}.staging-*")]:
        if folder.is_symlink():  # never follow it: delete the link itself
            folder.unlink(missing_ok=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
