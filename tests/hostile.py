"""A hostile copy of the minimal site, and a scan of every output file for markup that could
run: shared by tests/test_hostile_input.py and the browser test.

Each payload calls alert() with its own number, so a leak names the payload that leaked.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

# Front-matter text: plain text everywhere (page, attributes, JSON-LD, feeds, SVG).
TITLE = "<img src=x onerror=alert(101)> The raid"
SUMMARY = "</script><script>alert(102)</script> &lt;!--&lt;script&gt; summary"
CORRECTION = "<svg onload=alert(103)>fixed</svg>"
FIGURE_LABEL = "<img src=y onerror=alert(105)> 28"
ROLE = '<a href="javascript:alert(106)">Creator</a>'
PLACE = "Town <iframe src=javascript:alert(107)>"
SOURCE_TITLE = "&lt;!--&lt;script&gt; A report </script><!--"

# Raw HTML and links in a Markdown body: removed by the sanitiser, each reported.
BODY = """
The raid began on 18 March 2011 [@report-2017, p. 31].

<script>alert(201)</script>

<iframe src="javascript:alert(202)"></iframe>

A <a href="javascript:alert(203)">raw link</a>, a [Markdown link](javascript:alert(204)) and
<img src="https://example.org/x.png" onerror="alert(206)" alt="an image"> [@report-2017].

<form action="https://evil.example/"><input name="q" value="alert(207)"></form>

<div style="background:url(javascript:alert(208))">styled</div>

A <a href="jav&#x09;ascript:alert(209)">tabbed scheme</a> and
<details open ontoggle="alert(210)"><summary>s</summary>d</details> [@report-2017].

<svg><script>alert(211)</script></svg> <math><mi xlink:href="javascript:alert(212)">m</mi></math>

<object data="javascript:alert(213)"></object><embed src="javascript:alert(214)">

Allowed: a <q lang="es">cita</q>, <abbr title="Drug Enforcement Administration">DEA</abbr> [@report-2017].
"""
PAYLOAD_NUMBERS = [101, 102, 103, 105, 106, 107, *range(201, 215)]


def quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted string


def make_hostile(content: Path) -> Path:
    """Rewrite the minimal site at `content` into the hostile one; returns `content`."""
    event = content / "events" / "the-raid.md"
    event.write_text(
        f"---\ntitle: {quoted(TITLE)}\nsummary: {quoted(SUMMARY)}\ndate: 2011-03-18/2011-03-20\n"
        f"date_note: {quoted(CORRECTION)}\nplaces: [places/town]\nparticipants: [organizations/gang]\n"
        f"content_note: true\ncorrections:\n  - date: 2026-11-20\n    wrong: {quoted(CORRECTION)}\n"
        f"    right: {quoted(CORRECTION)}\n    why: {quoted(CORRECTION)}\n---\n{BODY}",
        encoding="utf-8",
    )
    figure = content / "figures" / "toll.md"
    figure.write_text(
        figure.read_text(encoding="utf-8").replace('label: "28"', f"label: {quoted(FIGURE_LABEL)}"), encoding="utf-8"
    )
    person = content / "people" / "creator.md"
    person.write_text(
        person.read_text(encoding="utf-8").replace("role: Creator of *Demo.*", f"role: {quoted(ROLE)}"),
        encoding="utf-8",
    )
    place = content / "places" / "town.md"
    place.write_text(
        place.read_text(encoding="utf-8").replace("title: Town", f"title: {quoted(PLACE)}"), encoding="utf-8"
    )
    source = content / "sources" / "report-2017.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace('title: "A report: on the raid"', f"title: {quoted(SOURCE_TITLE)}"),
        encoding="utf-8",
    )
    return content


# -- the scan --------------------------------------------------------------------------

DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "cite", "poster")
NOT_SCANNED = (".js", ".css", ".pagefind", ".pf_meta", ".pf_index", ".pf_filter")  # code and binary index
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "meta-refresh"}
RAW_MARKUP = re.compile(r"<\s*/?\s*(script|img|svg|iframe|object|embed|math|details|form|a)\b", re.I)


class _PageScan(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.findings: list[str] = []
        self.script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"{self.name}: <{tag}> element")
        for attribute, value in attrs:
            if attribute.startswith("on"):
                self.findings.append(f"{self.name}: {attribute}= on <{tag}>")
            squeezed = re.sub(r"[\x00-\x20]+", "", value or "")
            # The templates' own empty favicon, `<link rel="icon" href="data:,">`, is no payload.
            favicon = tag == "link" and squeezed == "data:,"
            if attribute in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(squeezed) and not favicon:
                self.findings.append(f"{self.name}: {attribute}={value!r} on <{tag}>")
            if attribute == "style" and "javascript" in squeezed.lower():
                self.findings.append(f"{self.name}: style={value!r} on <{tag}>")
        if tag == "script":
            self.script = {"type": values.get("type"), "src": values.get("src"), "text": ""}

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            script, self.script = self.script, None
            if script["type"] == "application/ld+json":
                try:
                    json.loads(script["text"])
                except ValueError:
                    self.findings.append(f"{self.name}: JSON-LD that is not JSON (broken out of?)")
                if re.search(r"[<>]", script["text"]):
                    self.findings.append(f"{self.name}: JSON-LD with a raw < or >")
            elif script["src"] is None and "alert(" in script["text"]:
                self.findings.append(f"{self.name}: an inline script from content")


def scan_html(name: str, text: str) -> list[str]:
    scan = _PageScan(name)
    scan.feed(text)
    scan.close()
    return scan.findings


def scan_xml(name: str, data: bytes) -> list[str]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return [f"{name}: not well-formed XML ({exc})"]
    found = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in ("script", "img", "svg", "iframe", "a"):
            found.append(f"{name}: <{local}> element in XML")
    return found


def pagefind_text(path: Path) -> str:
    data = gzip.decompress(path.read_bytes())
    return data.decode("utf-8", errors="replace")


def scan_fragment(name: str, text: str) -> list[str]:
    """A Pagefind fragment holds a page's text as text: pagefind.js escapes `<` and `>` in it
    before it builds an excerpt (and the UI shows titles as text). What must not be there
    is a URL the UI would link or load (`url`, `meta.image`) with a dangerous scheme."""
    data = json.loads(text.removeprefix("pagefind_dcd"))
    found = []

    def visit(value, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for v in value:
                visit(v, key)
        elif isinstance(value, str) and key in ("url", "image", "raw_url") and DANGEROUS_SCHEME.match(value.strip()):
            found.append(f"{name}: {key}={value!r} in the search index")

    visit(data)
    return found


def unsafe_findings(out: Path) -> list[str]:
    """Every place in the output folder where markup from content could run."""
    findings: list[str] = []
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    assert files, f"{out} is empty"
    for path in files:
        name = path.relative_to(out).as_posix()
        if name.startswith("static/") or name.endswith(NOT_SCANNED):
            continue  # the project's own files and Pagefind's code
        if name.endswith(".html"):
            findings += scan_html(name, path.read_text(encoding="utf-8"))
        elif name.endswith(".xml"):  # feeds and the sitemap
            findings += scan_xml(name, path.read_bytes())
        elif name.endswith(".csv"):  # open data: plain text, never rendered as HTML
            import csv
            import io

            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
                findings += [f"{name}: {cell!r}" for cell in row if DANGEROUS_SCHEME.match(cell.strip())]
        elif name.startswith("pagefind/") and name.endswith(".pf_fragment"):
            findings += scan_fragment(name, pagefind_text(path))
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
            if RAW_MARKUP.search(text):
                findings.append(f"{name}: raw markup")
    return findings
