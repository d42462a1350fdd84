"""Per-build indexes of a resolved site, computed once and shared by every page.

Templates ask the same questions on every page: which entries of a type exist in this
language (the navigation hides empty types and links a type with one entry straight to
it), the sorted listing of a type (episode pagers, series pages), which languages have
pages at all. Answered by scanning the site on each page, those questions made a build
O(pages x entries); here each answer is computed on first use and then reused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from somos_site.model import Entry
from somos_site.resolve import Site
from somos_site.text import plain


@dataclass
class SiteIndex:
    """Entries by type and language, sorted listings and the languages present.

    `sort` orders a type's entries for listings (`sort_entries`), passed in
    so that this module knows nothing of templates."""

    site: Site
    languages: list[str]
    sort: Callable[[str, list[Entry]], list[Entry]]
    _of_type: dict[tuple[str, str | None], tuple[Entry, ...]] = field(default_factory=dict)
    _sorted: dict[tuple[str, str | None], tuple[Entry, ...]] = field(default_factory=dict)
    _present: list[str] | None = None

    def of_type(self, folder: str, lang: str | None = None) -> tuple[Entry, ...]:
        """`Site.of_type`, once per (type, language) and build."""
        key = (folder, lang)
        found = self._of_type.get(key)
        if found is None:
            found = self._of_type[key] = tuple(self.site.of_type(folder, lang))
        return found

    def listing(self, folder: str, lang: str | None = None) -> list[Entry]:
        """The entries of a type in listing order. A new list each call: a template that
        sorts or changes it cannot change what the next page sees."""
        key = (folder, lang)
        found = self._sorted.get(key)
        if found is None:
            found = self._sorted[key] = tuple(self.sort(folder, list(self.of_type(folder, lang))))
        return list(found)

    def languages_present(self, published: Callable[[str, str], bool]) -> list[str]:
        """Languages with at least one page, in the order of site.yaml."""
        if self._present is None:
            ids = self.site.ids()
            self._present = [lang for lang in self.languages if any(published(i, lang) for i in ids)]
        return list(self._present)


_sort_keys: dict[tuple[int, str], tuple[Entry, tuple]] = {}


def sort_entries(folder: str, entries: list[Entry]) -> list[Entry]:
    """In listing order. An entry's key is made once per entry object: `serve` sorts the
    same 8,000 events again after each edit, and unchanged entries are the same objects."""

    def key(entry: Entry) -> tuple:
        found = _sort_keys.get((id(entry), folder))
        if found is not None and found[0] is entry:
            return found[1]
        if len(_sort_keys) > 100_000:  # entries of past builds: start again
            _sort_keys.clear()
        made = _sort_keys[(id(entry), folder)] = (entry, entry_key(entry))
        return made[1]

    def entry_key(entry: Entry) -> tuple:
        fields = entry.fields
        if folder == "episodes":
            return (fields.number, entry.slug)
        if folder == "events":
            return (*fields.date.sort_key(), entry.slug)
        if folder == "pages":
            return (fields.weight, entry.title.casefold(), entry.slug)
        return (plain(entry.title).casefold(), entry.slug)

    return sorted(entries, key=key)
