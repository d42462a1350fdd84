"""Stage 4, resolve: check every reference and citation and build the link graph
(backlinks, typed inverse relations, who cites each source)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from somos_site.diagnostics import Diagnostic, Span, did_you_mean, error
from somos_site.incremental import Memo
from somos_site.model import Entry, RenderedBody, ValidatedContent
from somos_site.schema import TYPES, Ref, SiteConfig, SourceKey
from somos_site.sensitivity import protected_reference
from somos_site.urls import GENERATED, page_path
from somos_site.validate import REF_PATTERN


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` refers to `target` through `label` (an inverse label, or None for body links).
    Slotted: tens are kept a page, with the last build's results, for the whole build."""

    source: str
    target: str
    label: str | None


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entries: dict[tuple[str, str], Entry]  # (id, lang) -> entry
    bodies: dict[tuple[str, str], RenderedBody]
    backlinks: dict[str, tuple[str, ...]]  # target id -> ids linking to it
    inverses: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]  # target id -> ((label, ids), ...)
    cited_by: dict[str, tuple[str, ...]]  # source slug -> ids citing it

    @property
    def default_lang(self) -> str:
        return self.config.default_language

    def get(self, entry_id: str, lang: str | None = None) -> Entry | None:
        """The entry in `lang`, falling back to the default language."""
        found = self.entries.get((entry_id, lang or self.default_lang))
        return found or self.entries.get((entry_id, self.default_lang)) or self._any_language(entry_id)

    def _any_language(self, entry_id: str) -> Entry | None:
        for lang in sorted(self.config.languages):
            if (entry_id, lang) in self.entries:
                return self.entries[(entry_id, lang)]
        return None

    def ids(self) -> list[str]:
        return self._sorted_ids

    @cached_property
    def _sorted_ids(self) -> list[str]:
        return sorted(self.ids_set)

    @cached_property
    def ids_set(self) -> frozenset[str]:
        return frozenset(entry_id for entry_id, _ in self.entries)

    @cached_property
    def _ids_by_type(self) -> dict[str, list[str]]:
        by_type: dict[str, list[str]] = defaultdict(list)
        for entry_id in self._sorted_ids:
            by_type[entry_id.split("/", 1)[0]].append(entry_id)
        return by_type

    def of_type(self, folder: str, lang: str | None = None) -> list[Entry]:
        found = (self.get(i, lang) for i in self._ids_by_type.get(folder, ()))
        return [e for e in found if e is not None]


def front_matter_refs(value: object, label: str | None = None) -> Iterator[tuple[Ref, str | None]]:
    """Every `Ref` in a fields dataclass, with the inverse label of its field."""
    if isinstance(value, Ref):
        yield value, label
    elif isinstance(value, tuple):
        for item in value:
            yield from front_matter_refs(item, label)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from front_matter_refs(getattr(value, f.name), f.metadata.get("inverse"))


def front_matter_sources(value: object) -> Iterator[SourceKey]:
    if isinstance(value, SourceKey):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from front_matter_sources(item)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from front_matter_sources(getattr(value, f.name))


_walked: dict[int, tuple[object, tuple, tuple]] = {}


def walked(fields: object) -> tuple[tuple[tuple[Ref, str | None], ...], tuple[SourceKey, ...]]:
    """(front_matter_refs, front_matter_sources) of a fields object, computed once per
    object: unchanged entries keep theirs between the builds of one process (`serve`)."""
    found = _walked.get(id(fields))
    if found is None or found[0] is not fields:
        if len(_walked) > 100_000:  # entries of past builds: start again
            _walked.clear()
        found = _walked[id(fields)] = (fields, tuple(front_matter_refs(fields)), tuple(front_matter_sources(fields)))
    return found[1], found[2]


NO_IDS: frozenset[str] = frozenset()


class Resolver:
    def __init__(
        self, content: ValidatedContent, bodies: dict[tuple[str, str], RenderedBody], memo: Memo | None = None
    ) -> None:
        self.memo = memo if memo is not None else Memo()
        self.anchored: list[tuple[str, frozenset[str]]] = []  # (target, its ids) of anchors checked
        self.content = content
        self.bodies = bodies
        self.drafts = content.draft_ids
        self.protected = {e.id for e in content.protected}
        self.entries = {(e.id, e.lang): e for e in content.entries}
        self.known = {e.id for e in content.entries}
        self.sources = {e.slug for e in content.entries if e.type.folder == "sources"}
        self.diagnostics: list[Diagnostic] = []
        self.edges: list[Edge] = []
        self.citations: list[tuple[str, str]] = []  # (source slug, citing id)

    def target_ids(self, target: str, lang: str) -> frozenset[str]:
        default = self.content.config.default_language
        body = self.bodies.get((target, lang)) or self.bodies.get((target, default))
        return body.element_ids if body else NO_IDS

    def check_ref(self, entry: Entry, target: str, anchor: str | None, span: Span) -> bool:
        if not REF_PATTERN.match(target):
            self.diagnostics.append(
                error(
                    "ref-missing",
                    f"'{target}' is not an id like 'events/the-leak'",
                    span,
                    did_you_mean(target, self.known),
                )
            )
            return False
        if target not in self.known:
            if target in self.protected:
                self.diagnostics.append(protected_reference(target, span))
                return False
            if target in self.content.broken_ids:
                return False  # its own file's errors are already reported
            if target in self.drafts:
                hint = f"'{target}' is a draft; build with --drafts or publish it"
            else:
                hint = did_you_mean(target, self.known)
                if hint is None and target.split("/")[0] not in TYPES:
                    hint = "ids start with a type: " + ", ".join(f"{t}/" for t in TYPES)
            self.diagnostics.append(error("ref-missing", f"no entry '{target}'", span, hint))
            return False
        if anchor:
            self.anchored.append((target, self.target_ids(target, entry.lang)))
        if anchor and anchor not in self.target_ids(target, entry.lang):
            ids = self.target_ids(target, entry.lang)
            hint = did_you_mean(anchor, ids)
            if hint is None and ids:
                hint = "headings there: " + ", ".join(sorted(i for i in ids if not i.startswith(("cite-ref-", "fn"))))
            self.diagnostics.append(error("anchor-missing", f"'{target}' has no heading '#{anchor}'", span, hint))
        return True

    def check_source(self, entry: Entry, key: str, span: Span | None) -> None:
        if key in self.sources:
            self.citations.append((key, entry.id))
            return
        if f"sources/{key}" in self.content.broken_ids:
            return
        hint = did_you_mean(key, self.sources) or (
            f'add its record: `new sources "{key}"` writes content/sources/{key}.md to fill in'
        )
        self.diagnostics.append(error("citation-missing", f"no source '{key}'", span, hint))

    def resolve_entry(self, entry: Entry) -> None:
        refs, sources = walked(entry.fields)
        for ref, label in refs:
            span = ref.span or entry.span("")
            if self.check_ref(entry, ref.target, ref.anchor, span) and ref.target != entry.id:
                self.edges.append(Edge(entry.id, ref.target, label))
        for key in sources:
            self.check_source(entry, key.key, key.span)
        body = self.bodies[(entry.id, entry.lang)]
        for ref in body.refs:
            if self.check_ref(entry, ref.target, ref.anchor, ref.span) and ref.target != entry.id:
                self.edges.append(Edge(entry.id, ref.target, None))
        for citation in body.citations:
            for cited in citation.keys:
                self.check_source(entry, cited.key, citation.span)

    def resolve_or_reuse(self, entry: Entry) -> tuple:
        """`resolve_entry`'s (anchors checked, edges, citations, diagnostics), or its result
        of the last build when the entry, its body and the headings of the pages it links
        to with an anchor are the same objects (the ids and sources it is checked against
        are the memo's context)."""
        key, body = (entry.id, entry.lang), self.bodies[(entry.id, entry.lang)]
        found = self.memo.saved.get(key)
        if found is not None and found[0][0] is entry and found[0][1] is body:
            anchored = found[1][0]
            if all(self.target_ids(target, entry.lang) is ids for target, ids in anchored):
                return found[1]
        marks = (len(self.edges), len(self.citations), len(self.diagnostics))
        self.anchored = []
        self.resolve_entry(entry)
        result = (
            tuple(self.anchored),
            tuple(self.edges[marks[0] :]),
            tuple(self.citations[marks[1] :]),
            tuple(self.diagnostics[marks[2] :]),
        )
        # The result is the record: `run` adds every entry's, reused or not.
        del self.edges[marks[0] :], self.citations[marks[1] :], self.diagnostics[marks[2] :]
        self.changed[key] = found[1] if found is not None else None
        return self.memo.put(key, (entry, body), result)

    def check_identities(self) -> None:
        default = self.content.config.default_language
        owners: dict[str, Entry] = {}
        for entry in self.content.entries:
            path = page_path(entry.type.folder, entry.slug, entry.lang, default)
            top = path.split("/")[1 if entry.lang != default else 0]
            clash = owners.get(path)
            if (
                clash is None
                and entry.type.folder == "pages"
                and (top in TYPES or top in GENERATED or top in self.content.config.languages)
            ):
                self.diagnostics.append(
                    error(
                        "url-collision",
                        f"the page '{entry.id}' would take the URL /{path} of a generated page",
                        Span(entry.file.display),
                        hint="rename the file",
                    )
                )
            elif clash is not None:
                self.diagnostics.append(
                    error(
                        "id-duplicate",
                        f"'{entry.id}' ({entry.lang}) is also defined in {clash.file.display}",
                        Span(entry.file.display),
                        hint="give one of them another file name",
                    )
                )
            owners.setdefault(path, entry)

    def run(self) -> Site:
        self.check_identities()
        content = self.content
        self.memo.start(
            (
                frozenset(self.known),
                frozenset(self.sources),
                frozenset(self.protected),
                content.draft_ids,
                content.broken_ids,
                content.config.default_language,
            )
        )
        keys = [(e.id, e.lang) for e in content.entries]
        if len(set(keys)) != len(keys):  # duplicate ids (reported above): no reuse
            self.memo.start(None)
        self.changed: dict[tuple[str, str], tuple | None] = {}  # key -> its last result, if any
        results = [self.resolve_or_reuse(entry) for entry in content.entries]
        for result in results:
            self.diagnostics += result[3]
        graph = self.memo.aggregate if isinstance(self.memo.aggregate, LinkGraph) else None
        if graph is None or len(set(keys)) != len(keys):
            graph = LinkGraph()
            for result in results:
                graph.add(result, 1)
        else:
            current = set(keys)
            gone = [(k, v[1]) for k, v in self.memo.saved.items() if k not in current]
            for key, old in [*self.changed.items(), *gone]:
                if old is not None:
                    graph.add(old, -1)
                if key in current:
                    graph.add(self.memo.saved[key][1], 1)
        self.memo.keep(keys)
        self.memo.aggregate = graph
        backlinks, inverses, cited_by = graph.tuples()
        return Site(
            config=self.content.config,
            entries=dict(sorted(self.entries.items())),
            bodies=self.bodies,
            backlinks=backlinks,
            inverses=inverses,
            cited_by=cited_by,
        )


class LinkGraph:
    """Backlinks, typed inverse relations and citations, as counts of the edges each entry
    contributes, so that a rebuild takes out the edges of the entries that changed and
    puts in their new ones instead of counting every edge again. The tuples a target had
    stay the same objects while its edges do not change."""

    def __init__(self) -> None:
        # Plain dicts (no defaultdict of a lambda): the build state pickles this.
        self.back: dict[str, Counter[str]] = {}
        self.inverse: dict[str, dict[str, Counter[str]]] = {}
        self.cites: dict[str, Counter[str]] = {}
        self.dirty: set[tuple[str, str]] = set()  # ("back"|"inverse"|"cites", target)
        self.made: tuple[dict, dict, dict] = ({}, {}, {})  # the last tuples, by target

    def add(self, result: tuple, sign: int) -> None:
        """Count in (sign 1) or out (-1) the edges and citations of one entry's result."""
        for edge in result[1]:
            counter(self.back, edge.target)[edge.source] += sign
            self.dirty.add(("back", edge.target))
            if edge.label:
                counter(self.inverse.setdefault(edge.target, {}), edge.label)[edge.source] += sign
                self.dirty.add(("inverse", edge.target))
        for key, citing in result[2]:
            if citing != f"sources/{key}":
                counter(self.cites, key)[citing] += sign
                self.dirty.add(("cites", key))

    def tuples(self) -> tuple[dict, dict, dict]:
        """(backlinks, inverses, cited_by) as `Site` holds them, sorted by target."""
        backlinks, inverses, cited_by = (dict(part) for part in self.made)
        for kind, target in self.dirty:
            if kind == "back":
                found = live(self.back, target)
                store(backlinks, target, found)
            elif kind == "cites":
                store(cited_by, target, live(self.cites, target))
            else:
                by_label = self.inverse.get(target, {})
                pairs = tuple((label, ids) for label in sorted(by_label) if (ids := live(by_label, label)))
                if not by_label:
                    self.inverse.pop(target, None)
                store(inverses, target, pairs)
        self.dirty = set()
        self.made = (backlinks, inverses, cited_by)
        return tuple(dict(sorted(part.items())) for part in self.made)  # type: ignore[return-value]


def counter(counts: dict[str, Counter[str]], key: str) -> Counter[str]:
    found = counts.get(key)
    if found is None:
        found = counts[key] = Counter()
    return found


def live(counts: dict, key) -> tuple[str, ...]:
    """The sorted ids counted at least once under `key` (the count dropped when none is)."""
    counter = counts.get(key)
    found = tuple(sorted(i for i, n in counter.items() if n > 0)) if counter else ()
    if not found:
        counts.pop(key, None)
    return found


def store(made: dict, target: str, found: tuple) -> None:
    if found:
        made[target] = found
    else:
        made.pop(target, None)


def resolve(
    content: ValidatedContent, bodies: dict[tuple[str, str], RenderedBody], memo: Memo | None = None
) -> tuple[Site, list[Diagnostic]]:
    """`memo`: the last build's per-entry results (see `incremental`), reused where valid."""
    resolver = Resolver(content, bodies, memo)
    site = resolver.run()
    return site, resolver.diagnostics
