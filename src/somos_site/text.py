"""Front-matter text as readers see it: titles and summaries are plain text with inline
emphasis (`*Somos.*`) and typographic quotes, shown as inline HTML or as plain text."""

from __future__ import annotations

import html
import re
from functools import cache

import markdown as python_markdown
from markupsafe import Markup

from somos_site.model import Entry

# Front-matter text is plain text with emphasis (`*Somos.*`) and typographic quotes: no
# raw HTML, no links, no images. Every `<` and `&` is escaped before Markdown sees the text,
# and the patterns that could make a link are removed, so the only tags in the result are
# the ones emphasis and code spans make.
_inline_md = python_markdown.Markdown(extensions=["smarty"])
for _pattern in (
    "reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
    "autolink", "automail", "html",
):  # fmt: skip
    _inline_md.inlinePatterns.deregister(_pattern)


# Text with none of these, no run of spaces or dots, starting with neither a digit nor a
# space, is one paragraph of itself to Markdown and smarty: no conversion needed.
_INLINE_SYNTAX = re.compile(r"""[\\`*_\[\]<>&'"!#~^|{}=+\-]|\.\.|\s\s|[^\S ]|[\x00-\x1f\x7f]|^[\d\s]|\s$""")


@cache
def inline_html(text: str) -> Markup:
    """Inline Markdown (emphasis in titles such as *Somos.*) without a paragraph."""
    if text and not _INLINE_SYNTAX.search(text):
        return Markup(text)
    _inline_md.reset()
    rendered = _inline_md.convert(html.escape(text, quote=False))
    return Markup(re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S))


@cache
def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(inline_html(text))))


def title_lang(item: Entry, around: str) -> str:
    """The language of a source's title when it differs from the text around it, for `lang=`.

    Sources keep their original titles in every edition; a source in several languages
    gives no single answer, so its title is left to the surrounding language."""
    languages = getattr(item.fields, "language", ())
    return languages[0] if len(languages) == 1 and languages[0] != around else ""


def is_fiction(entry: Entry) -> bool:
    return entry.realm == "fiction"
