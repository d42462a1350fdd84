"""docs/contributing.md's promise: a new content type needs its schema and nothing else
(a template and a Spanish label are optional). The guide's example type is added in a
separate process, as an edit of schema.py would add it, and a site using it is built."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from helpers import MINIMAL, REPO

ADD_A_TYPE = textwrap.dedent(
    """
    import sys
    from dataclasses import dataclass

    from somos_site import schema
    from somos_site.schema import Common, ContentType, FuzzyDate, Ref, opt, req


    @dataclass(frozen=True, kw_only=True)
    class Interview(Common):
        interviewee: Ref = req(to=("people",), inverse="Interviewed in")
        date: FuzzyDate | None = opt()
        sources: tuple[schema.SourceKey, ...] = opt(())


    schema.TYPES["interviews"] = ContentType("interviews", "interview", "Interviews", Interview, "reality")

    from somos_site.cli import main

    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_new_type_needs_only_its_schema(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINIMAL, site)
    (site / "content" / "interviews").mkdir()
    (site / "content" / "interviews" / "with-the-creator.md").write_text(
        "---\ntitle: With the creator\ninterviewee: people/creator\ndate: 2021-07\n---\n"
        "She spoke about the series in 2021 [@review-2021].\n",
        encoding="utf-8",
    )
    # The template of the guide's step 3, as a site's own template.
    guide = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    template = guide.split("{# templates/interview.html #}\n", 1)[1].split("```", 1)[0]
    (site / "templates").mkdir()
    (site / "templates" / "interview.html").write_text(template, encoding="utf-8")
    script = tmp_path / "with_interviews.py"
    script.write_text(ADD_A_TYPE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(script), "build", "--out", str(out)],
        cwd=site,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "interviews" / "with-the-creator" / "index.html").read_text(encoding="utf-8")
    assert "She spoke about the series" in page
    assert "<dt>Interviewee</dt>" in page and 'href="/people/creator/"' in page and "July 2021" in page
    home = (out / "index.html").read_text(encoding="utf-8")
    # The header menu has the new type (one entry: the menu links it directly).
    assert '<a href="/interviews/with-the-creator/"' in home and ">Interviews</a>" in home
    # The reference's inverse relation shows on the person's page.
    assert "Interviewed in" in (out / "people" / "creator" / "index.html").read_text(encoding="utf-8")
