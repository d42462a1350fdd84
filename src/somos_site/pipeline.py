"""The only module that knows the order of the stages:
load -> validate -> markdown -> resolve -> render -> check -> write."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from somos_site import buildstate, check, load, lock, markdown, newsroom, render, resolve, trash, validate, write
from somos_site.buildstate import BuildState
from somos_site.diagnostics import Diagnostic, Span, attach_source_lines, error, escalate, has_errors, warning
from somos_site.incremental import memo
from somos_site.model import Entry
from somos_site.navigation import nav_signature
from somos_site.options import Options, unique
from somos_site.outputs import SiteFiles
from somos_site.resolve import Site
from somos_site.urls import base_path, output_file, page_path

PLACEHOLDER_BASE_URL = "https://example.org/"


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: SiteFiles = field(default_factory=SiteFiles)
    site: Site | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.outputs if path.endswith(".html"))


def run(
    options: Options,
    write_output: bool = True,
    state: BuildState | None = None,
    progress: Callable[[str], None] | None = None,
    changed: Iterable[Path] | None = None,
) -> BuildResult:
    """Build the site in memory, check it, and publish it only if nothing is wrong.

    With `state` from an earlier build of the same options, only changed files are read,
    validated and rendered, and only the pages a change affects are rendered again; the
    output is byte for byte the output of a full build. `state` is updated in place.
    `changed`: the content paths created, modified or deleted since `state` was made, as
    the file watcher reports them (then the content folder is not listed); None when
    unknown."""
    # A build makes millions of objects that live until it ends and few reference cycles;
    # the cycle collector's repeated passes over them cost seconds at 10,000 pages (most of
    # a one-file rebuild). Off during the build: one pass afterwards, once the pages are
    # written, collects the cycles (the renderer and its template environments) instead.
    collecting = gc.isenabled()
    gc.disable()
    # A build that publishes streams its pages to a spool folder as they are rendered,
    # instead of holding the whole site in memory until the publish.
    spool = new_spool(options.cache_dir) if write_output and options.cache_dir is not None else None
    try:
        if write_output or state is not None:
            result = build(options, write_output, state, progress, spool, changed=changed)
        else:
            with last_build_for_check(options) as saved:
                result = build(options, write_output, saved, progress, spool, from_disk=saved is not None)
        if spool is not None:  # nothing may read the spool once it is gone
            result.outputs = settled(result.outputs, result.written, options.out_dir)
            if state is not None:
                state.outputs = result.outputs
        return result
    finally:
        if spool is not None:
            trash.discard(spool, options.cache_dir / "trash")
        if collecting:
            gc.enable()


def new_spool(cache_dir: Path) -> Path | None:
    """A fresh spool folder in the cache; the spools of builds no longer running (killed)
    are deleted on the way. None when the cache cannot be written (pages stay in memory)."""
    parent = cache_dir / "spool"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for old in parent.iterdir():
            pid = old.name.split("-", 1)[0]
            if pid.isdigit() and not process_alive(int(pid)):
                trash.discard(old, cache_dir / "trash")
        return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))
    except OSError:
        return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def settled(outputs: SiteFiles, published: bool, out_dir: Path) -> SiteFiles:
    """The output tree without references to the spool, which is about to be deleted:
    once published, the same files in the output folder; otherwise read into memory."""
    if not isinstance(outputs, SiteFiles) or not outputs.spooled:
        return outputs
    return outputs.as_published(out_dir.absolute()) if published else outputs.in_memory()


def build(
    options: Options,
    write_output: bool,
    state: BuildState | None,
    progress: Callable[[str], None] | None,
    spool: Path | None = None,
    changed: Iterable[Path] | None = None,
    from_disk: bool = False,
) -> BuildResult:
    """`from_disk`: `state` was read from the disk (it keeps no YAML trees)."""
    result = BuildResult()
    early: write.EarlyIndex | None = None  # the search index made while the site is checked
    found: list[Diagnostic] = []
    step = progress or (lambda message: None)
    protected = {
        "content folder": options.content_dir,
        "templates folder": options.templates_dir,
        "static folder": options.static_dir,
        "theme folder": options.templates_dir,
        "project root": options.project_root,
    }
    if write_output:
        found += write.check_output_folder(options.out_dir, protected)
    persist = None  # the fingerprint under which this build's state is kept on disk
    given = state
    if state is None and write_output and options.cache_dir is not None and not found:
        persist = buildstate.fingerprint(options, template_dirs(options))
        inputs = buildstate.inputs_digest(options.content_dir, options.strict)
        replayed, busy = replay_under_lock(options, persist, inputs)
        if busy:
            result.diagnostics = busy
            return result
        if replayed is not None:  # nothing changed and the site is in place: nothing to do
            result.diagnostics, result.outputs = replayed
            result.written = True
            return result
        state = buildstate.load(options.cache_dir, options.out_dir, persist)
        from_disk = state is not None
    # The watcher's change set holds against the state the caller gave, not one read from disk.
    change_set = load.ChangeSet(changed, state.unread) if changed is not None and given is not None else None
    stamps_before = {path: known[0] for path, known in state.files.items()} if state is not None else None
    fresh = state if state is not None else BuildState()
    step("reading content")
    loaded, diagnostics = load.load_content(options.content_dir, options.static_dirs(), fresh.files, change_set)
    config_text = loaded.config_file.text if loaded.config_file else None
    reusable = state is not None and state.site is not None and state.config_text == config_text
    reusable = reusable and state.static_files == loaded.static_files
    if not reusable:
        fresh.validated.clear()
        fresh.parsed.clear()
        fresh.memos.clear()
        if from_disk:  # the saved state keeps no YAML trees: read again
            loaded, diagnostics = load.load_content(options.content_dir, options.static_dirs(), {})
    found += diagnostics
    step(f"validating {len(loaded.files)} files")
    content, diagnostics = validate.validate(loaded, drafts=options.drafts, previous=fresh.validated)
    found += diagnostics
    if content is not None:
        step(f"rendering Markdown of {len(content.entries)} entries")
        bodies = markdown.render_bodies(content.entries, options.cache_dir, fresh.bodies)
        site, diagnostics = resolve.resolve(content, bodies, memo(fresh.memos, "resolve"))
        found += diagnostics
        result.site = site
        base_url = options.base_url or content.config.base_url
        if not base_url.endswith("/"):
            base_url += "/"
        if options.publishing and base_url == PLACEHOLDER_BASE_URL and loaded.config_file:
            found.append(placeholder_base_url(loaded.config_file))
        affected = affected_ids(fresh.site, site) if reusable else None
        only, listed = affected if affected is not None else (None, None)
        keep = unchanged_groups(fresh.site, site, only, listed) if only is not None else frozenset()
        keep &= set(fresh.owners.values())  # only what the last build made can be kept
        step("rendering pages" if only is None else f"rendering {len(only)} affected entries")
        compiled = options.cache_dir / "templates" if options.cache_dir is not None else None
        parses: dict = {}
        outputs, diagnostics, owners = render.render(
            site, template_dirs(options), base_url, loaded.static_files, only, listed, compiled, keep, spool, parses
        )
        found += diagnostics
        if spool is not None and site.config.search and only is None and not diagnostics:
            early = write.EarlyIndex(spool)  # indexes the pages while they are checked
        if only is not None:  # keep the pages, listings and views nothing touched
            kept = {p: i for p, i in fresh.owners.items() if (i not in only and i in site.ids_set) or i in keep}
            kept.update({p: i for p, i in owners.items() if i == render.KEEP})
            files = fresh.outputs.kept_with(outputs, set(kept))
            owners = {**owners, **{p: i for p, i in kept.items() if i != render.KEEP}}
        else:  # pages rendered again with the same bytes are still not rewritten
            files = fresh.outputs.kept_with(outputs, set())
        origins = dict(origin(e, site.default_lang) for e in content.entries)
        step(f"checking links of {len(outputs)} files")
        if not diagnostics:  # pages missing after a template error would only add noise
            out_name = load.display_path(options.out_dir)
            found += check.check_links_reusing(
                memo(fresh.memos, "links", by_value=True),
                *(files, loaded.static_files, base_path(base_url), out_name, origins, fresh.parsed, parses),
            )
        found += check.check_content(site, memo(fresh.memos, "content"), only)
        out_name = load.display_path(options.out_dir)
        config_path = loaded.config_file.display if loaded.config_file else "site.yaml"
        found += newsroom.check_editorial(
            site, content, loaded.files, files, out_name, options.strict, config_path, fresh.memos
        )
        result.outputs = files
        fresh.site, fresh.outputs, fresh.owners = site, result.outputs, owners
    fresh.config_text, fresh.static_files, fresh.unread = config_text, loaded.static_files, loaded.unread
    fresh.files = {f.path: (loaded.stamps[f.path], f) for f in loaded.files if f.path in loaded.stamps}
    found = escalate(found, options.strict) if options.strict else found
    result.diagnostics = sorted(
        attach_source_lines(found, line_reader(loaded, result.outputs, options.out_dir)), key=Diagnostic.sort_key
    )
    if early is not None and not (write_output and result.ok):
        early.discard()
    if write_output and result.ok:
        step("writing and indexing for search")
        search = result.site.config.search if result.site else True
        unchanged = result.outputs.same_as_published(options.out_dir)
        if persist is not None and not unchanged:
            buildstate.forget(options.cache_dir, options.out_dir)
        failure, wrote = publish(
            result.outputs, options.static_dirs(), loaded.static_files, options.out_dir, search, early
        )
        result.diagnostics += failure
        result.written = not failure
        if failure:
            return result
        stamps = {path: known[0] for path, known in fresh.files.items()}
        if persist is not None and (wrote or not unchanged or stamps != stamps_before):
            buildstate.save(options.cache_dir, options.out_dir, persist, fresh, inputs, result.diagnostics, search)
        elif persist is not None:  # the same site from other inputs: remember them
            published = result.outputs.as_published(options.out_dir)
            buildstate.save_summary(
                options.cache_dir, options.out_dir, persist, inputs, result.diagnostics, search, published
            )
    return result


@contextlib.contextmanager
def last_build_for_check(options: Options) -> Iterator[BuildState | None]:
    """For `check`: the state the last published build saved (`buildstate`), so that a check
    costs what changed since, as a build does. It is read, never saved, under the output
    folder's lock, held until the check ends so that no build replaces the published pages
    it reads; None when there is no usable state or another process holds the folder (the
    check is then a full one)."""
    out = options.out_dir.absolute()
    if options.cache_dir is None or not out.is_dir():
        yield None
        return
    held = contextlib.ExitStack()
    try:
        held.enter_context(lock.hold(out, "check", timeout=0))
    except (lock.OutputBusy, OSError):
        yield None
        return
    with held:
        fingerprint = buildstate.fingerprint(options, template_dirs(options))
        yield buildstate.load(options.cache_dir, options.out_dir, fingerprint)


def replay_under_lock(options: Options, persist: str, inputs: str):
    """The last build's result when nothing changed, read while holding the output's lock:
    another build may be replacing the site at this moment, and abandoned staging folders
    are cleared here as a full publish would."""
    try:
        with lock.hold(options.out_dir.absolute(), "build", waiting=tell):
            replayed = buildstate.replay(options.cache_dir, options.out_dir, persist, inputs)
            if replayed is not None:
                write.recover(options.out_dir.absolute())
            return replayed, []
    except lock.OutputBusy as busy:
        return None, [error("output-busy", str(busy))]
    except OSError:  # the full build's publish says what is wrong with the folder
        return None, []


def publish(
    outputs, static_dirs, static_files, out_dir: Path, search: bool, early: write.EarlyIndex | None = None
) -> tuple[list[Diagnostic], bool]:
    """Publish, or say why not: the disk, the file system, another build (the previous
    site then stays as it was). Also: whether anything was written."""
    try:
        wrote = write.publish(outputs, static_dirs, static_files, out_dir, search, waiting=tell, early=early)
    except lock.OutputBusy as busy:
        return [error("output-busy", str(busy))], False
    except write.PublishError as failure:
        return [error("publish-failed", str(failure), hint=failure.hint)], False
    return [], wrote


def tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def placeholder_base_url(config_file) -> Diagnostic:
    """Canonical URLs, hreflang alternates, og:url, feeds and the sitemap of a published
    site would all point at example.org."""
    line = next((n for n, text in enumerate(config_file.text.split("\n"), 1) if text.startswith("base_url:")), 1)
    column = config_file.text.split("\n")[line - 1].find("http") + 1 or 1
    return warning(
        "base-url-placeholder",
        f"the site is built for {PLACEHOLDER_BASE_URL}, a placeholder: its canonical links, feeds and sitemap "
        "would point there",
        Span(config_file.display, line, column, len(PLACEHOLDER_BASE_URL)),
        "set 'base_url' in site.yaml to the public address, or build with --base-url https://…/",
    )


def affected_ids(before: Site, after: Site) -> tuple[set[str], set[str]] | None:
    """(the entries whose pages may differ after a change, the entries whose identity -
    front matter or headings, what other pages show of them - changed), or None when
    every page may differ (a change to what the header, footer or navigation shows)."""
    languages = after.config.languages
    ids = before.ids_set | after.ids_set

    def differs(entry_id: str, with_body: bool) -> bool:
        for lang in languages:
            old, new = before.entries.get((entry_id, lang)), after.entries.get((entry_id, lang))
            old_body, new_body = before.bodies.get((entry_id, lang)), after.bodies.get((entry_id, lang))
            if old is new and old_body is new_body:  # the same file, validated and rendered once
                continue
            if (old is None) != (new is None) or (old is not None and old.fields != new.fields):
                return True
            if (old_body is None) != (new_body is None):
                return True
            if old_body is not None and (
                old_body.element_ids != new_body.element_ids or (with_body and old_body != new_body)
            ):
                return True
        return False

    changed = {i for i in replaced(before, after) if differs(i, with_body=True)}
    identity = {i for i in changed if differs(i, with_body=False)}
    # The header and footer show only ids and front matter: the same when neither changed.
    if (identity or before.entries.keys() != after.entries.keys()) and nav_of(before) != nav_of(after):
        return None
    if not changed:
        return set(), set()
    touched = set(changed)
    for site in (before, after) if identity else ():
        # Pages linking to an entry show its title and URL; pages an entry links to list
        # it among their connections. Likewise for citations.
        for target, sources in site.backlinks.items():
            if target in identity:
                touched |= set(sources)
            if not identity.isdisjoint(sources):
                touched.add(target)
        for key, citing in site.cited_by.items():
            if f"sources/{key}" in identity:
                touched |= set(citing)
            if not identity.isdisjoint(citing):
                touched.add(f"sources/{key}")
    # What links here, and who cites what (a source's citations under its slug).
    touched |= ids & (regraphed(before.backlinks, after.backlinks) | regraphed(before.inverses, after.inverses))
    cited = regraphed(before.cited_by, after.cited_by)
    touched |= ids & ({f"sources/{key}" for key in cited} | cited)
    if any(i.startswith("episodes/") for i in identity):  # episode pagers and series pages
        touched |= {i for i in after.ids_set if i.startswith(("episodes/", "series/"))}
    if before.ids_set != after.ids_set:
        touched.add("pages/index")  # the home page counts entries
    return touched, identity


_origins: dict[int, tuple[Entry, str, tuple[str, str]]] = {}


def origin(entry: Entry, default_lang: str) -> tuple[str, str]:
    """(the output file of an entry's page, its source file's name), made once per entry
    object and default language: `serve` asks again for all 10,000 after each edit."""
    found = _origins.get(id(entry))
    if found is None or found[0] is not entry or found[1] != default_lang:
        if len(_origins) > 100_000:  # entries of past builds: start again
            _origins.clear()
        made = (output_file(page_path(entry.type.folder, entry.slug, entry.lang, default_lang)), entry.file.display)
        found = _origins[id(entry)] = (entry, default_lang, made)
    return found[2]


def replaced(before: Site, after: Site) -> set[str]:
    """The ids with an entry or body that is not the very object of the last build (an
    unchanged file keeps both), in any language: the only ones that can differ. One pass
    of identity tests instead of comparing every entry's fields."""
    found = {i for key, e in after.entries.items() if before.entries.get(key) is not e for i in key[:1]}
    found |= {i for key, b in after.bodies.items() if before.bodies.get(key) is not b for i in key[:1]}
    found |= {i for i, _ in before.entries.keys() - after.entries.keys()}
    found |= {i for i, _ in before.bodies.keys() - after.bodies.keys()}
    return found


def regraphed(before: dict, after: dict) -> set:
    """The keys whose value differs between two link-graph dictionaries (a target keeps
    its tuple while its edges do not change: an identity test answers for almost all)."""
    found = {k for k, v in after.items() if differ(before.get(k), v)}
    return found | {k for k in before.keys() - after.keys() if differ(before[k], None)}


def unchanged_groups(before: Site, after: Site, touched: set[str], identity: set[str]) -> frozenset[str]:
    """The whole-site output groups a change leaves as they were: the feeds and sitemap
    show only what entries are and say (front matter: `identity`), the open data files that
    and which sources each page cites and how often each source is cited."""
    if identity or before.ids_set != after.ids_set or before.entries.keys() != after.entries.keys():
        return frozenset()
    groups = {render.DISCOVERY}

    def cited(site: Site, key: tuple[str, str]) -> list[str] | None:
        body = site.bodies.get(key)
        return None if body is None else [k.key for c in body.citations for k in c.keys]

    keys = [(i, lang) for i in touched for lang in after.config.languages]
    if before.cited_by == after.cited_by and all(cited(before, k) == cited(after, k) for k in keys):
        groups.add(render.DATA)
    return frozenset(groups)


def differ(old: object, new: object) -> bool:
    """Unequal; the link graph keeps a target's tuples while its edges are unchanged, so
    the identity test answers first for almost every entry."""
    return old is not new and old != new


def nav_of(site: Site) -> tuple:
    """`navigation.nav_signature` of a site, computed once per site (kept on it, and with it in
    the build state)."""
    found = site.__dict__.get("nav_signature")
    if found is None:
        found = site.__dict__["nav_signature"] = nav_signature(site)
    return found


def template_dirs(options: Options) -> list[Path]:
    return unique([options.template_overrides, options.templates_dir])


def line_reader(loaded, outputs: SiteFiles, out_dir: Path):
    files = {f.display: f for f in loaded.files}
    if loaded.config_file:
        files[loaded.config_file.display] = loaded.config_file
    out_prefix = load.display_path(out_dir) + "/"

    def read_line(path: str, number: int) -> str | None:
        if path in files:
            return files[path].line(number)
        if path.startswith(out_prefix) and path[len(out_prefix) :] in outputs:
            lines = outputs[path[len(out_prefix) :]].decode("utf-8").split("\n")
        else:
            try:
                lines = Path(path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                return None
        return lines[number - 1] if 0 < number <= len(lines) else None

    return read_line
