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

The state is a cache: safe to delete, and unreadable or mismatched state is ignored.

The file holds the rendered bodies first, each pickled on its own, then the link
check's page parses, then the rest, which refers to the bodies by number. One pickle of
everything kept a memo entry for each of its tens of millions of objects (most of them
the bodies' references, citations and spans): about 600 MB at 10,000 pages, the build's
peak. A body read back is one object wherever the state refers to it, as when it was saved
(the `incremental` memos compare by identity)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import BinaryIO

import somos_site
from somos_site.model import RenderedBody, SourceFile
from somos_site.options import Options
from somos_site.outputs import SiteFiles
from somos_site.resolve import Site

FORMAT = 4  # bump when what is stored changes shape


@dataclass
class BuildState:
    """What one build keeps for the next (the dev server, the next `build` through
    `buildstate`), so that a change costs only what it affects."""

    config_text: str | None = None
    files: dict[Path, tuple[tuple[int, int], SourceFile]] = field(default_factory=dict)
    validated: dict[Path, tuple] = field(default_factory=dict)
    bodies: dict[Path, tuple] = field(default_factory=dict)
    parsed: dict[str, tuple] = field(default_factory=dict)
    site: Site | None = None
    outputs: SiteFiles = field(default_factory=SiteFiles)
    owners: dict[str, str] = field(default_factory=dict)
    static_files: frozenset[str] = frozenset()
    memos: dict = field(default_factory=dict)  # per-entry and per-page results (`incremental`)
    unread: tuple[Path, ...] = ()  # content files the last load could not read (`load.ChangeSet`)


def fingerprint(options: Options, template_dirs: list[Path]) -> str:
    """What every page depends on beyond its own content and the entries it shows."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8") + b"\0")

    add(FORMAT, sys.version, somos_site.__version__, os.environ.get("SOURCE_DATE_EPOCH"))
    add(*(Path(p).resolve() for p in (options.content_dir, options.out_dir)), options.base_url, options.drafts)
    package = Path(somos_site.__file__).parent
    for path in sorted(package.rglob("*.py")):  # an editable install keeps one version number
        add(path.relative_to(package), hashlib.sha256(path.read_bytes()).hexdigest())
    for folder in template_dirs:
        add("templates", Path(folder).resolve())
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            add(path.relative_to(folder), hashlib.sha256(path.read_bytes()).hexdigest())
    for folder in options.static_dirs():
        if not folder.is_dir():
            continue
        add("static", folder.resolve())
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = path.stat()
            add(path.relative_to(folder), stat.st_size, stat.st_mtime_ns)
    return digest.hexdigest()


def state_file(cache_dir: Path, out_dir: Path) -> Path:
    """One state per output folder (two sites built into two folders keep theirs)."""
    name = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:20]
    return cache_dir / "state" / f"{name}.pickle"


def stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def inputs_digest(content_dir: Path, strict: bool) -> str:
    """A hash of every file in the content folder (names and bytes) and of --strict: with
    the fingerprint, everything a build's result depends on."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"strict" if strict else b"lenient")
    root = content_dir.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(b"\0" + str(path.relative_to(root)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def summary_file(cache_dir: Path, out_dir: Path) -> Path:
    return state_file(cache_dir, out_dir).with_suffix(".summary")


def replay(cache_dir: Path, out_dir: Path, expected: str, inputs: str, search: bool | None = None):
    """(diagnostics, output files) of the last published build when nothing it depends on
    changed and its output is still in place, else None. The same inputs give the same
    output and diagnostics (builds are deterministic), so this is that build's result."""
    try:
        with summary_file(cache_dir, out_dir).open("rb") as stored:
            saved = pickle.load(stored)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != expected or saved.get("inputs") != inputs:
        return None
    out = out_dir.absolute()
    if not manifest_holds(out, saved.get("manifest")):
        return None
    if saved.get("search") and not (out / "pagefind").is_dir():
        return None
    return saved["diagnostics"], saved["outputs"]


def manifest_holds(out: Path, manifest: object) -> bool:
    if not isinstance(manifest, dict):
        return False
    try:
        return all(stamp(out / relative) == recorded for relative, recorded in manifest.items())
    except OSError:
        return False


def load(cache_dir: Path, out_dir: Path, expected: str) -> BuildState | None:
    """The state of the last published build into `out_dir`, or None when there is none
    usable (see the module's docstring)."""
    try:
        with state_file(cache_dir, out_dir).open("rb") as stored:
            saved = read_parts(stored, expected)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != expected:
        return None
    state, manifest = saved.get("state"), saved.get("manifest")
    out = out_dir.absolute()
    if state is None or state.outputs.root != out or not manifest_holds(out, manifest):
        return None
    return state


class _StatePickler(pickle.Pickler):
    """Leaves out the front matter's YAML node trees: only validation reads them, and a
    file whose entry is reused is not validated again (a changed file is read again).
    A body in `numbers` is written as its number (`_stored_body`, see `read_parts`)."""

    def __init__(self, handle, numbers: dict[int, int] | None = None) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.numbers = numbers or {}

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is RenderedBody:
            number = self.numbers.get(id(obj))
            return NotImplemented if number is None else (_stored_body, (number,))
        if kind is SourceFile:
            return SourceFile, tuple(None if f.name == "front_matter" else getattr(obj, f.name) for f in fields(obj))
        return NotImplemented


def _stored_body(number: int) -> RenderedBody:
    """Only a name in the state file: `_PartsUnpickler` answers it with the body read."""
    raise pickle.UnpicklingError("a stored body outside a state file")


class _PartsUnpickler(pickle.Unpickler):
    def __init__(self, handle, bodies: list[RenderedBody]) -> None:
        super().__init__(handle)
        self.bodies = bodies

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_stored_body":
            return self.bodies.__getitem__
        return super().find_class(module, name)


def write_parts(handle, key: str, data: dict, bodies: list[RenderedBody], parsed: dict) -> None:
    """The state file: the fingerprint, the number of bodies, each body pickled alone (a
    memo the size of one body, dropped after it), the link check's page parses (they
    share nothing with the rest but strings; a memo of their own), then `data` referring
    to the bodies."""
    pickle.dump((key, len(bodies)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    one = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    for body in bodies:
        one.dump(body)
        one.clear_memo()
    pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    _StatePickler(handle, {id(body): n for n, body in enumerate(bodies)}).dump(data)


def read_parts(handle, expected: str) -> dict | None:
    """What `write_parts` wrote, or None for another fingerprint (nothing more is read)."""
    key, count = pickle.load(handle)
    if key != expected:
        return None
    bodies = [pickle.load(handle) for _ in range(count)]
    if not all(type(body) is RenderedBody for body in bodies):
        return None
    parsed = pickle.load(handle)
    saved = _PartsUnpickler(handle, bodies).load()
    if not isinstance(parsed, dict) or not isinstance(saved, dict) or saved.get("state") is None:
        return None
    saved["state"].parsed = parsed
    return saved


def bodies_of(state: BuildState) -> list[RenderedBody]:
    """Every rendered body the state holds, once each, in a stable order."""
    found: dict[int, RenderedBody] = {}
    for _, body in state.bodies.values():
        found.setdefault(id(body), body)
    for body in state.site.bodies.values() if state.site is not None else ():
        found.setdefault(id(body), body)
    return list(found.values())


def save(
    cache_dir: Path, out_dir: Path, key: str, state: BuildState, inputs: str, diagnostics: list, search: bool
) -> None:
    """Record `state` as the state of what is now published in `out_dir`, and the result
    of the build (`inputs`: its `inputs_digest`) for `replay`."""
    out = out_dir.absolute()
    published = state.outputs.as_published(out)
    try:
        manifest = {relative: stamp(out / relative) for relative in published}
    except OSError:
        return  # the published folder changed under us: keep no state
    save_summary(cache_dir, out_dir, key, inputs, diagnostics, search, published, manifest)
    stored = replace(state, outputs=published, parsed={})
    data = {"fingerprint": key, "state": stored, "manifest": manifest}
    write_file(
        state_file(cache_dir, out_dir), lambda handle: write_parts(handle, key, data, bodies_of(state), state.parsed)
    )


def save_summary(
    cache_dir: Path,
    out_dir: Path,
    key: str,
    inputs: str,
    diagnostics: list,
    search: bool,
    published: SiteFiles,
    manifest: dict | None = None,
) -> None:
    """Record the result of a build for `replay` (the state itself is unchanged)."""
    out = out_dir.absolute()
    if manifest is None:
        try:
            manifest = {relative: stamp(out / relative) for relative in published}
        except OSError:
            return
    summary = {
        "fingerprint": key,
        "inputs": inputs,
        "manifest": manifest,
        "diagnostics": diagnostics,
        "outputs": published,
        "search": search,
    }
    write_pickle(summary_file(cache_dir, out_dir), summary, pickle.Pickler)


def write_pickle(target: Path, data: object, pickler: type[pickle.Pickler]) -> None:
    write_file(target, lambda handle: pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(data))


def write_file(target: Path, write: Callable[[BinaryIO], None]) -> None:
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            write(handle)
        os.replace(temporary, target)  # a reader sees the old file or the new one
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def forget(cache_dir: Path, out_dir: Path) -> None:
    """Drop the state before the published folder changes: a build killed between the
    swap and `save` must not leave a state describing the site it replaced."""
    for path in (summary_file(cache_dir, out_dir), state_file(cache_dir, out_dir)):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
