"""The header navigation: which types and pages it links, in every language."""

from __future__ import annotations

from somos_site.resolve import Site
from somos_site.routing import Router
from somos_site.schema import TYPES

# Header navigation: (label, what it links to: a type listing or an entry id). The types
# come from the schema, in its order; then two pages of the site, when it has them.
NAV = (
    *((content_type.label, content_type.folder) for content_type in TYPES.values() if content_type.nav),
    ("Fact & fiction", "pages/fact-and-fiction"),
    ("About", "pages/sources-and-method"),
)


class Navigation:
    def __init__(self, router: Router) -> None:
        self.router = router
        self.items: dict[str, list[tuple[str, str, str]]] = {}

    def nav(self, lang: str, current: str = "") -> list[tuple[str, str, bool]]:
        """(label, URL, is it the current page or its listing) of each header link."""
        return [
            (label, url, current == target if "/" in target else current.startswith(target + "/") or current == target)
            for label, target, url in self.targets(lang)
        ]

    def targets(self, lang: str) -> list[tuple[str, str, str]]:
        """(label, target, URL) of the header navigation in `lang`, once per build: the
        same on every page but for which item is active."""
        if lang in self.items:
            return self.items[lang]
        router = self.router
        translate = router.gettext(lang)
        items = []
        for label, target in NAV:
            if "/" not in target:
                entries = router.index.of_type(target, lang)
                if len(entries) == 1:  # a listing of one is a detour: link the entry
                    target = entries[0].id
                elif not entries:
                    continue
            if "/" in target:
                if router.site.get(target, lang) is None:
                    continue
                url = router.url_for(target, lang)
            else:
                url = router.listing_url(target, lang)
            items.append((translate(label), target, url))
        self.items[lang] = items
        return items


def nav_signature(site: Site) -> tuple:
    """What the header and footer of every page depend on: which navigation targets exist
    (a type with one entry links straight to it) and the titles of the footer pages."""
    counts = tuple(min(len(site.of_type(target)), 2) for _, target in NAV if "/" not in target)
    singles = tuple(e.id for _, t in NAV if "/" not in t and len(site.of_type(t)) == 1 for e in site.of_type(t))
    footer = tuple((i, lang, e.title) for (i, lang), e in site.entries.items() if i.startswith("pages/"))
    return (counts, singles, footer, tuple(site.config.languages))
