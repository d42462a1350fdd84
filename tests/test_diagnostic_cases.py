"""One tiny broken site per diagnostic code, each with its exact expected output.

Each folder under tests/diagnostics/ is named after the code it shows. To regenerate the
expected outputs after an intended change of wording, run
`SOMOS_REGENERATE=1 pytest tests/test_diagnostic_cases.py` and review the diff."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from somos_site.diagnostics import CODES

CASES = REPO / "tests" / "diagnostics"
# Codes whose case needs a set-up a folder cannot hold (see the named tests).
ELSEWHERE = {
    "symlink-outside": "test_cli.py",
    "output-unsafe": "test_output.py",
    "output-busy": "test_hostile_input.py",
    "publish-failed": "test_hostile_input.py",
}


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "content").is_dir())


def run_case(case: Path) -> str:
    # A case runs `check`, or the command its command.txt names (a finding of `build` only).
    command = (case / "command.txt").read_text(encoding="utf-8").split() if (case / "command.txt").is_file() else []
    args = [*(command or ["check"]), "--content", "content"]
    if (case / "templates").is_dir():
        args += ["--templates", "templates"]
    if (case / "args.txt").is_file():  # a code only some options report (e.g. --strict)
        args += (case / "args.txt").read_text(encoding="utf-8").split()
    with tempfile.TemporaryDirectory() as folder:
        if command:
            args += ["--out", str(Path(folder) / "out")]
        # The project's static files, plus the few a case adds (an image, say).
        static = Path(folder) / "static"
        shutil.copytree(REPO / "static", static)
        if (case / "static").is_dir():
            shutil.copytree(case / "static", static, dirs_exist_ok=True)
        result = run_cli([*args, "--static", str(static)], cwd=case)
    return f"{result.err}exit: {result.code}\n"


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_output_is_exactly_as_expected(case: Path) -> None:
    actual = run_case(case)
    expected_file = case / "expected.txt"
    if os.environ.get("SOMOS_REGENERATE"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_reports_its_own_code(case: Path) -> None:
    assert f"[{case.name}]:" in run_case(case)


def test_every_code_has_a_case_and_documentation() -> None:
    covered = {p.name for p in case_dirs()} | set(ELSEWHERE)
    assert covered == set(CODES)
    documented = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in documented, code
