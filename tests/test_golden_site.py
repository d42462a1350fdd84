"""The minimal fixture site, built and compared byte for byte with tests/golden/minimal/.

After an intended change to templates or rendering, regenerate with
`SOMOS_REGENERATE=1 pytest tests/test_golden_site.py` and review `git diff tests/golden`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import MINIMAL, REPO, run_cli

GOLDEN = REPO / "tests" / "golden" / "minimal"


def files(folder: Path) -> dict[str, bytes]:
    """Every file but Pagefind's index, which is not byte-stable upstream (see test_output.py)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")
    }


def test_minimal_site_matches_the_golden_copy(tmp_path):
    out = tmp_path / "out"
    result = run_cli(["build", "--content", str(MINIMAL / "content"), "--out", str(out)])
    assert result.code == 0, result.err
    if os.environ.get("SOMOS_REGENERATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: ["pagefind"] if Path(folder) == out else [])
    built, golden = files(out), files(GOLDEN)
    assert sorted(built) == sorted(golden)
    for name in built:
        assert built[name] == golden[name], f"{name} differs from the golden copy"


def test_sub_path_build_links_stay_inside_the_sub_path(tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        ["build", "--content", str(MINIMAL / "content"), "--out", str(out), "--base-url", "https://example.org/somos/"]
    )
    assert result.code == 0, result.err  # the link check resolved every href under /somos/
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/somos/static/style.css"' in home and 'href="/somos/events/the-raid/"' in home
    assert 'href="/events/' not in home
    assert '<link rel="canonical" href="https://example.org/somos/">' in home
