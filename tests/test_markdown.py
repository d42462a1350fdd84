"""The Markdown stage: cross-references and citations as Python-Markdown inline processors."""

from helpers import REPO

from somos_site.markdown import PLACEHOLDER, BodyRenderer, heading_slug


def render(body: str, first_line: int = 1):
    return BodyRenderer().render(body, "x.md", first_line)


def test_wikilink_forms_are_recorded_with_positions():
    body = render("Go to [[events/the-leak]] or [[places/allende#memorial|the obelisk]].", first_line=5)
    assert [(r.target, r.anchor, r.text) for r in body.refs] == [
        ("events/the-leak", None, None),
        ("places/allende", "memorial", "the obelisk"),
    ]
    assert [(r.span.line, r.span.col, r.span.length) for r in body.refs] == [(5, 7, 19), (5, 30, 39)]
    assert len(PLACEHOLDER.findall(body.html)) == 3  # href+title, then href only
    assert ">the obelisk</a>" in body.html


def test_citations_are_numbered_notes_with_locators():
    body = render("One [@propublica-2017, p. 31]. Two [@a-1; @b-2].")
    assert [[(k.key, k.locator) for k in c.keys] for c in body.citations] == [
        [("propublica-2017", "p. 31")],
        [("a-1", None), ("b-2", None)],
    ]
    assert 'id="cite-ref-1"' in body.html and 'href="#note-2"' in body.html


def test_nothing_fires_inside_code():
    body = render("`[[events/x]]` and `[@seed]`\n\n    [[events/y]] [@seed]\n\n```\n[[events/z]]\n```\n")
    assert body.refs == () and body.citations == ()
    assert "[[events/x]]" in body.html


def test_not_a_citation_stays_text():
    body = render("Write to [@ nobody] or [me@example.org].")
    assert body.citations == ()


def test_headings_get_python_slugify_ids():
    body = render("## Memorial y obelisco\n\n## Año 2011\n")
    assert body.toc == ((2, "memorial-y-obelisco", "Memorial y obelisco"), (2, "ano-2011", "Año 2011"))
    assert {"memorial-y-obelisco", "ano-2011"} <= body.element_ids
    assert heading_slug("Doña Chayo") == "dona-chayo"


def test_uncited_numbers_dates_and_quotes_are_found():
    body = render(
        'Plain prose.\n\nIn 2011 it began.\n\nCited 2011 [@seed].\n\n- He said "no".\n- Fine.\n\nSee [[episodes/6]].\n'
    )
    assert [(s.line, s.col) for s in body.uncited] == [(3, 1), (7, 3)]


def test_spoiler_blocks_become_details():
    body = render('??? spoiler "Spoiler: episode 6"\n    Chema dies.\n')
    assert '<details class="spoiler" data-pagefind-ignore="all">' in body.html
    assert "<summary>Spoiler: episode 6</summary>" in body.html


TRICKY = [
    "On day 1, 2 people.\n\nOn day 2, 3 people.\n\n" * 50,
    'A *b* and **c** and `d` and <q lang="en">e</q> --- f -- g... \'h\' "i" [[events/x|y]] [@a, p. 3]\n',
    "- one\n    - two\n        - three\n\n> quoted\n> > twice\n\n1. a\n2. b\n\n    code [[no]]\n",
    "Term\n:   Definition with a footnote[^1].\n\n[^1]: The note, *emphasised*.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
    "Line with two spaces  \nbreak &amp; entity &copy; <span>raw</span> [link](https://example.org) ![i](x.png)\n",
    '<div markdown="1">\n*inside*\n</div>\n\n??? note "Title"\n    Hidden text.\n\n## Heading {#custom .cls}\n',
    "[ref]: https://example.org\n\nA [reference][ref] and [ref] and <https://example.org> and <a@b.org>.\n",
]


def test_linear_markdown_gives_the_stock_output():
    """The linear block queue and inline processors change the cost, never the HTML: compare
    with stock Python-Markdown on every shipped body and on tricky samples."""
    import markdown as python_markdown

    from somos_site.markdown import EXTENSION_CONFIG, EXTENSIONS, SomosExtension
    from somos_site.model import RenderedBody  # noqa: F401 (the module the bodies come from)

    stock = python_markdown.Markdown(
        extensions=[*EXTENSIONS, SomosExtension()], extension_configs=EXTENSION_CONFIG, output_format="html"
    )
    linear = BodyRenderer().md
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted((REPO / "content").rglob("*.md"))]
    for body in [*bodies, *TRICKY]:
        stock.reset()
        linear.reset()
        assert linear.convert(body) == stock.convert(body)


def test_a_title_ending_in_a_full_stop_ends_the_sentence_once():
    from somos_site.markdown import collapse_full_stops

    assert collapse_full_stops('of <a href="/s/"><em>Somos.</em></a>.') == 'of <a href="/s/"><em>Somos.</em></a>'
    assert collapse_full_stops('<a href="/p/">José Vásquez Jr.</a>. Next') == '<a href="/p/">José Vásquez Jr.</a> Next'
    assert collapse_full_stops('<a href="/s/">Wait...</a>.') == '<a href="/s/">Wait...</a>.'
    assert collapse_full_stops('<a href="/s/">Somos</a>.') == '<a href="/s/">Somos</a>.'
