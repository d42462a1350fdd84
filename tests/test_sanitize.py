"""The raw-HTML allowlist (somos_site.sanitize): nh3 removes what is not allowed, and the
audit names every removal, so none is silent. Property tests over generated markup."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from somos_site.sanitize import (
    GENERIC,
    PER_TAG,
    TAGS,
    URL_ATTRIBUTES,
    allowed_url,
    audit,
    clean,
    full_audit,
    is_web_url,
)

TAG_NAMES = ["p", "a", "img", "q", "abbr", "span", "script", "iframe", "svg", "form", "input", "style", "div", "sup"]
ATTRIBUTES = ["href", "src", "title", "lang", "class", "id", "onclick", "onerror", "style", "cite", "alt", "action"]
VALUES = [
    "x",
    "https://example.org/",
    "/relative/",
    "#anchor",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jav&#x09;ascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<b>",
    "vbscript:x",
    "mailto:a@b.org",
    "text-align: left",
    "color: red",
]


@st.composite
def fragments(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(TAG_NAMES))
        attributes = draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), max_size=3))
        written = "".join(f' {name}="{value}"' for name, value in dict(attributes).items())
        parts.append(f"<{tag}{written}>text {draw(st.integers(0, 99))}</{tag}>")
    return " ".join(parts)


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, tuple(sorted(attrs))))


def elements(html: str) -> list[tuple[str, tuple]]:
    collect = Collect()
    collect.feed(html)
    collect.close()
    return collect.found


@settings(max_examples=300, deadline=None)
@given(fragments())
def test_cleaned_html_holds_only_allowlisted_elements_attributes_and_urls(html):
    for tag, attributes in elements(clean(html)):
        assert tag in TAGS
        for name, value in attributes:
            assert name in GENERIC or name in PER_TAG.get(tag, ()) or name.startswith(("aria-", "data-pagefind-"))
            if name in URL_ATTRIBUTES:
                assert allowed_url(value or ""), (tag, name, value)
            assert not name.startswith("on")


@settings(max_examples=300, deadline=None)
@given(fragments())
def test_nothing_is_removed_without_the_audit_saying_so(html):
    """When the audit names nothing, the cleaned HTML has every element and attribute the
    input had (script and style aside, which always are reported)."""
    if not audit(html):
        assert elements(clean(html)) == elements(html)


NOISE = ["", "a < b", "<!-- note -->", "&amp;", "<br>", "<br />", "<P>", "<?php x ?>", "<![CDATA[x]]>", "</p >"]


@settings(max_examples=500, deadline=None)
@given(fragments(), st.sampled_from(NOISE), st.sampled_from(NOISE))
def test_the_quick_audit_says_what_the_full_parse_says(html, before, after):
    """`audit` skips the HTML parse when every tag is plainly allowed; it must still name
    exactly what the parse names, whatever the markup (entities, comments, stray `<`)."""
    markup = before + html + after
    assert audit(markup) == full_audit(markup)


def test_the_quick_audit_agrees_on_every_shipped_body():
    from pathlib import Path

    from somos_site.markdown import BodyRenderer

    renderer = BodyRenderer()
    content = Path(__file__).resolve().parents[1] / "content"
    bodies = sorted(content.rglob("*.md"))
    assert len(bodies) > 100
    for path in bodies:
        renderer.md.reset()
        html = renderer.md.convert(path.read_text(encoding="utf-8").split("---\n", 2)[-1])
        assert audit(html) == full_audit(html), path


def test_allowed_markup_passes_unchanged():
    html = '<p><q lang="es">cita</q> <abbr title="Drug Enforcement Administration">DEA</abbr></p>'
    assert clean(html) == html and audit(html) == []


def test_cross_reference_placeholders_survive_cleaning():
    html = '<a class="xref" href="\ue000H0\ue001">\ue000T0\ue001</a>'
    assert clean(html) == html


def test_web_urls_are_http_or_https_with_a_host():
    assert is_web_url("https://example.org/a?b=c")
    for url in ("javascript:alert(1)", "//example.org", "https://", "http://exa mple.org", "ftp://x.org", ""):
        assert not is_web_url(url), url
