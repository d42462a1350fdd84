"""The Nu HTML Checker (vnu.jar, Java from apt) finds no error on any built page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from support import require


def vnu_jar() -> Path | None:
    candidates = [os.environ.get("VNU_JAR", "")]
    candidates += [str(p) for p in Path.home().glob(".cache/somos-site/node_modules/vnu-jar/build/dist/vnu.jar")]
    found = [Path(c) for c in candidates if c and Path(c).is_file()]
    return found[0] if found else None


def test_every_built_page_is_valid_html(built_site):
    jar = vnu_jar()
    require(shutil.which("java") is not None, "Java")
    require(jar is not None, "vnu.jar (npm vnu-jar; set VNU_JAR)")
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    assert problems == [], "\n".join(problems[:40])
    assert len(pages) > 50
