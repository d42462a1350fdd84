"""The command line: exit codes, one run listing every problem, no tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, run_cli


def test_build_and_check_the_minimal_site(minimal_site, tmp_path):
    out = tmp_path / "out"
    built = run_cli(["--content", str(minimal_site), "--out", str(out)])
    assert built.code == 0, built.err
    assert (out / "index.html").is_file() and (out / "events" / "the-raid" / "index.html").is_file()
    checked = run_cli(["check", "--content", str(minimal_site)])
    assert checked.code == 0 and "no errors" in checked.out


def test_every_problem_in_one_run_and_the_previous_site_untouched(minimal_site, tmp_path):
    """Acceptance: a misspelled reference, an unknown field, a YAML error, a bad date, a
    missing citation and a duplicate slug, all reported at once, exit 1, no traceback."""
    out = tmp_path / "out"
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    before = snapshot(out)
    (minimal_site / "pages" / "index.md").write_text(
        "---\ntitle: Start here\n---\nSee [[places/twon]] and [@report-2071].\n", encoding="utf-8"
    )
    (minimal_site / "pages" / "about.md").write_text("---\ntitle: About\ncolour: red\n---\nBody\n", encoding="utf-8")
    (minimal_site / "organizations" / "gang.md").write_text(
        "---\ntitle: The Gang\nkind: [cartel\n---\n", encoding="utf-8"
    )
    events = minimal_site / "events" / "the-raid.md"
    events.write_text(
        events.read_text(encoding="utf-8").replace("2011-03-18/2011-03-20", "2011-03-32"), encoding="utf-8"
    )
    shutil.copy(minimal_site / "pages" / "about.md", minimal_site / "pages" / "about.en.md")

    result = run_cli(["--content", str(minimal_site), "--out", str(out)])
    assert result.code == 1
    assert "Traceback" not in result.err
    for code in ("ref-missing", "field-unknown", "yaml-syntax", "date-invalid", "citation-missing", "id-duplicate"):
        assert f"error[{code}]" in result.err, code
    assert "hint: did you mean 'places/town'?" in result.err
    assert "pages/index.md:4:5: error[ref-missing]" in result.err
    assert snapshot(out) == before


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_usage_errors_exit_2():
    assert run_cli(["--no-such-option"]).code == 2
    assert run_cli(["check", "--content", "/nonexistent/content"]).code == 2


def test_symlink_leading_outside_the_content_folder_is_refused(minimal_site, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Secret\n---\nBody\n", encoding="utf-8")
    os.symlink(outside, minimal_site / "pages" / "secret.md")
    result = run_cli(["check", "--content", str(minimal_site)])
    assert result.code == 1
    assert "error[symlink-outside]" in result.err and "secret.md" in result.err


def test_build_py_runs_as_a_script_without_installation(minimal_site, tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--content", str(minimal_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_internal_errors_exit_2_without_traceback_unless_debug(minimal_site, monkeypatch):
    from somos_site import cli

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "run", explode)
    result = run_cli(["check", "--content", str(minimal_site)])
    assert result.code == 2 and "internal error: RuntimeError: boom" in result.err and "Traceback" not in result.err


def test_check_reports_coverage_as_text_json_and_html(minimal_site, tmp_path):
    import json

    (minimal_site / "pages" / "about.md").write_text("---\ntitle: About\n---\nSee [[places/twon]].\n", encoding="utf-8")
    text = run_cli(["check", "--content", str(minimal_site), "--report", str(tmp_path / "report")])
    assert text.code == 1
    assert "claims resting on a single source: 1" in text.out and "contested figures: 1" in text.out
    as_json = run_cli(["check", "--content", str(minimal_site), "--format", "json"])
    data = json.loads(as_json.out)
    assert [d["code"] for d in data["diagnostics"] if d["severity"] == "error"] == ["ref-missing"]
    assert data["diagnostics"][0]["line"] or data["diagnostics"][-1]["line"]
    assert data["coverage"]["contested_figures"] == {"figures/toll": 2}
    assert "es" in data["coverage"]["translations_missing"]
    assert "Source coverage report" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")


def test_progress_line_only_on_a_terminal(minimal_site, monkeypatch):
    import io

    from somos_site import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(cli.sys, "stdout", terminal)
    assert cli.main(["check", "--content", str(minimal_site)]) == 0
    assert "rendering Markdown of" in terminal.getvalue() and "\r" in terminal.getvalue()
    quiet = run_cli(["check", "--content", str(minimal_site)])
    assert "rendering Markdown" not in quiet.out + quiet.err


def test_build_py_outside_an_environment_with_the_dependencies_says_how_to_set_one_up(tmp_path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(tmp_path / "bare" / "bin" / "python"), str(REPO / "build.py"), "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "is not installed for" in result.stderr and "python3 -m venv .venv" in result.stderr
    assert "Traceback" not in result.stderr
