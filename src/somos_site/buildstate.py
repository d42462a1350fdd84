"""The build state on disk, so that the next `build` costs only what changed.

After a published build, the `BuildState` the dev server keeps in memory (files read,
entries validated, bodies rendered, the resolved site, which page belongs to which entry,
each page's links) is written beside the Markdown cache, with the pages themselves
replaced by their content hashes: the pages are in the published folder. The next build
starts from it as `serve` does from its last build, so it renders only the pages whose
inputs changed, keeps the others by reference and hard-links them into the new site.

When it may be used (else the build is a full one, and rewrites the state):
- the fingerprint matches: this package's code, the options, every template and
  translation catalogue, the static files (a change to any gives every page a new input
  the per-page analysis does not see);
- the published folder is exactly what the state describes: every page there has the
  size, modification time and inode recorded when it was published (a page edited or
  deleted by hand, or a build killed mid-way, fails this).
Content and site.yaml changes are the pipeline's incremental analysis, the same one the
dev server uses and `tests/test_incremental.py` proves equal to a full build.

The state is a cache: safe to delete, and unreadable or mismatched state is ignored."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import somos_site

if TYPE_CHECKING:
    from somos_site.pipeline import BuildState, Options

FORMAT = 1  # bump when what is stored changes shape


def fingerprint(options: Options, template_dirs: list[Path]) -> str:
    """What every page depends on beyond its own content and the entries it shows."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8") + b"\0")

    add(FORMAT, sys.version, somos_site.__version__)
    add(*(Path(p).resolve() for p in (options.content_dir, options.out_dir)), options.base_url, options.drafts)
    package = Path(somos_site.__file__).parent
    for path in sorted(package.rglob("*.py")):  # an editable install keeps one version number
        add(path.relative_to(package), hashlib.sha256(path.read_bytes()).hexdigest())
    for folder in template_dirs:
        add("templates", Path(folder).resolve())
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            add(path.relative_to(folder), hashlib.sha256(path.read_bytes()).hexdigest())
    if options.static_dir is not None and options.static_dir.is_dir():
        add("static", options.static_dir.resolve())
        for path in sorted(p for p in options.static_dir.rglob("*") if p.is_file()):
            stat = path.stat()
            add(path.relative_to(options.static_dir), stat.st_size, stat.st_mtime_ns)
    return digest.hexdigest()


def state_file(cache_dir: Path, out_dir: Path) -> Path:
    """One state per output folder (two sites built into two folders keep theirs)."""
    name = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:20]
    return cache_dir / "state" / f"{name}.pickle"


def stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def load(cache_dir: Path, out_dir: Path, expected: str) -> BuildState | None:
    """The state of the last published build into `out_dir`, or None when there is none
    usable (see the module's docstring)."""
    try:
        with state_file(cache_dir, out_dir).open("rb") as stored:
            saved = pickle.load(stored)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != expected:
        return None
    state, manifest = saved.get("state"), saved.get("manifest")
    out = out_dir.absolute()
    if state is None or not isinstance(manifest, dict) or state.outputs.root != out:
        return None
    try:
        if any(stamp(out / relative) != recorded for relative, recorded in manifest.items()):
            return None
    except OSError:
        return None
    return state


def save(cache_dir: Path, out_dir: Path, key: str, state: BuildState) -> None:
    """Record `state` as the state of what is now published in `out_dir`."""
    out = out_dir.absolute()
    published = state.outputs.as_published(out)
    try:
        manifest = {relative: stamp(out / relative) for relative in published}
    except OSError:
        return  # the published folder changed under us: keep no state
    stored = replace(state, outputs=published)
    target = state_file(cache_dir, out_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(
                {"fingerprint": key, "state": stored, "manifest": manifest}, handle, protocol=pickle.HIGHEST_PROTOCOL
            )
        os.replace(temporary, target)  # a reader sees the old state or the new one
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def forget(cache_dir: Path, out_dir: Path) -> None:
    """Drop the state before the published folder changes: a build killed between the
    swap and `save` must not leave a state describing the site it replaced."""
    with contextlib.suppress(OSError):
        state_file(cache_dir, out_dir).unlink(missing_ok=True)
