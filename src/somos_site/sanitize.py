"""What HTML from content may reach a reader: the allowlist, and the one place it is applied.

Front-matter text is plain text everywhere (see `text.inline_html`). A Markdown body may
hold raw HTML, but only what is listed here survives: nh3 (Ammonia) does the cleaning, so the
security boundary is a maintained sanitiser, not our own code. Our own `audit` only names
what nh3 is about to drop, so an author learns of it (diagnostic `html-unsafe`); it never
decides what is kept. docs/content-format.md lists the same allowlist for authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# Bump when the allowlist changes: rendered bodies are cached by a key that includes it.
VERSION = "3"

TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
# Attributes any allowed element may carry; `aria-*` and Pagefind's `data-pagefind-*`
# directives too (GENERIC_PREFIXES: the Markdown stage marks spoilers `data-pagefind-ignore`).
GENERIC = frozenset({"id", "class", "title", "lang", "dir", "role"})
GENERIC_PREFIXES = frozenset({"aria-", "data-pagefind-"})
PER_TAG = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
# Tables written in Markdown align columns with `style="text-align: ..."`; nothing else of
# CSS is kept.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Dropped with everything inside them (their content is code, not text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript"})

# Placeholders of cross-references (see markdown.PLACEHOLDER) are relative URLs nh3 would
# mangle; as fragments it keeps them untouched.
_PLACEHOLDER_HREF = 'href="\ue000'
_PROTECTED_HREF = 'href="#\ue000'


def clean(html: str) -> str:
    """The HTML with only the allowlisted elements, attributes and URL schemes left."""
    protected = html.replace(_PLACEHOLDER_HREF, _PROTECTED_HREF)
    cleaned = nh3.clean(
        protected,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GENERIC), **{tag: set(names) for tag, names in PER_TAG.items()}},
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
        attribute_filter=_url_filter,
    )
    return cleaned.replace(_PROTECTED_HREF, _PLACEHOLDER_HREF)


def _url_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 checks URL schemes on links and images but not on every URL attribute (`cite`
    of <q>, say): the same rule for all of them."""
    if attribute in URL_ATTRIBUTES and not allowed_url(value):
        return None
    return value


@dataclass(frozen=True)
class Dropped:
    """One piece of markup the sanitiser removes: what it is, and text to find it by in
    the Markdown source (for the diagnostic's line:col)."""

    what: str
    needle: str


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace or control characters."""
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def allowed_url(url: str) -> bool:
    """A relative URL, or one with an allowed scheme. Browsers ignore whitespace and control
    characters inside a scheme (`java\\tscript:`), so they are removed before looking."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", url)
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", squeezed)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


def attribute_allowed(tag: str, name: str) -> bool:
    return name in GENERIC or name in PER_TAG.get(tag, ()) or name.startswith(tuple(GENERIC_PREFIXES))


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[Dropped] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.dropped.append(Dropped(f"the <{tag}> element", f"<{tag}"))
            return
        for name, value in attrs:
            if not attribute_allowed(tag, name):
                self.dropped.append(Dropped(f"the '{name}' attribute of <{tag}>", name))
            elif name in URL_ATTRIBUTES and value and not allowed_url(value):
                scheme = re.sub(r"[\x00-\x20\x7f]+", "", value).split(":", 1)[0].lower()
                self.dropped.append(Dropped(f"a '{scheme}:' URL in {name}= of <{tag}>", value[:60]))
            elif name == "style" and value and not _style_allowed(value):
                self.dropped.append(Dropped(f"CSS other than text-align in style= of <{tag}>", "style"))

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        self.dropped.append(Dropped("a processing instruction", f"<?{data[:20]}"))

    def unknown_decl(self, data: str) -> None:
        self.dropped.append(Dropped("a markup declaration", f"<![{data[:20]}"))


def _style_allowed(value: str) -> bool:
    properties = [p.split(":", 1)[0].strip().lower() for p in value.split(";") if p.strip()]
    return all(p in STYLE_PROPERTIES for p in properties)


# A tag as Python-Markdown writes it: a lower-case name, attributes with double-quoted
# values holding no `<`, `>` or `&` (so nothing to unescape), nothing else.
_PLAIN_START = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>&]*")?)*)\s*/?>')
_PLAIN_END = re.compile(r"</[a-z][a-z0-9]*\s*>")
_PLAIN_ATTRIBUTE = re.compile(r'\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"<>&]*)")?')


def _plainly_allowed(html: str) -> bool:
    """True when every `<` of `html` opens a plain tag (above) whose element and attributes
    are all allowed: then the full parse could only agree that nothing is dropped. Most
    bodies are such; the parse cost about a quarter of rendering their Markdown. Anything
    else (entities in values, comments, stray `<`) gets the full parse."""
    tags = 0
    for match in _PLAIN_START.finditer(html):
        tags += 1
        tag = match.group(1)
        if tag not in TAGS:
            return False
        for name, value in _PLAIN_ATTRIBUTE.findall(match.group(2)):
            name = name.lower()
            if not attribute_allowed(tag, name):
                return False
            if name in URL_ATTRIBUTES and value and not allowed_url(value):
                return False
            if name == "style" and value and not _style_allowed(value):
                return False
    return tags + len(_PLAIN_END.findall(html)) == html.count("<")


def audit(html: str) -> list[Dropped]:
    """What `clean` would drop from `html` (for the report; `clean` decides)."""
    if _plainly_allowed(html):
        return []
    return full_audit(html)


def full_audit(html: str) -> list[Dropped]:
    """`audit` by a full HTML parse, whatever the markup."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return auditor.dropped


def sanitize_body(html: str) -> tuple[str, list[Dropped]]:
    return clean(html), audit(html)
