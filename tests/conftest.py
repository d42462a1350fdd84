"""Shared helpers: the repository's paths and a way to run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from somos_site.cli import main  # noqa: E402

MINIMAL = REPO / "tests" / "sites" / "minimal"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(args: list[str], cwd: Path | None = None) -> CliResult:
    """Run `build.py ARGS` in-process from `cwd`, capturing both streams."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd or REPO)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args, project_root=REPO)
    finally:
        os.chdir(previous)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture site; returns its content folder."""
    import shutil

    target = tmp_path / "site"
    shutil.copytree(MINIMAL, target)
    return target / "content"
