"""The package as a user installs it: a wheel (not editable) in a fresh virtual environment,
run from folders outside the repository. The theme must come from the wheel itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # Without PYTHONPATH, so that nothing of the checkout can stand in for the wheel.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOMOS_CACHE_DIR")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def share_dependencies(venv: Path) -> None:
    """Let the new venv import what the running interpreter can (jinja2, markdown, ...):
    its site-packages folders, placed after the venv's own, where the wheel goes. Unlike
    `--system-site-packages` this also works when the tests run inside a venv themselves."""
    own = next((venv / "lib").glob("python*/site-packages"))
    outer = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    lines = [f"import site; site.addsitedir({folder!r})" for folder in outer]
    (own / "zz_outer_environment.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `bin` folder of a fresh venv with the wheel installed. The dependencies come from
    the running interpreter's environment, so nothing is downloaded but the build backend
    pip needs to build the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    # A copy of what the wheel is made of, so that building leaves nothing in the checkout.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("src", "templates", "static"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(source)], work)
    assert built.returncode == 0, built.stderr
    wheel = next((work / "dist").glob("somos_site-*.whl"))
    venv = work / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], work)
    assert made.returncode == 0, made.stderr
    share_dependencies(venv)
    bin_dir = venv / "bin"
    done = run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], work)
    assert done.returncode == 0, done.stderr
    where = run([str(bin_dir / "python"), "-c", "import somos_site.theme as t; print(t.templates_dir())"], work)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    return bin_dir


def test_the_wheel_builds_the_shipped_site_outside_the_repository(installed, tmp_path):
    site = tmp_path / "somos"
    shutil.copytree(REPO / "content", site / "content")
    result = run(
        [str(installed / "somos-site"), "build", "--strict", "--base-url", "https://example.net/somos/"],
        site / "content",
    )
    assert result.returncode == 0, result.stderr
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert 'href="/somos/static/style.css"' in home
    assert (site / "_site" / "static" / "style.css").read_bytes() == (REPO / "static" / "style.css").read_bytes()
    assert (site / "_site" / "es" / "index.html").is_file()


def test_the_wheel_starts_a_new_site_that_builds_strictly(installed, tmp_path):
    made = run([str(installed / "somos-site"), "init", "companion"], tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "companion"
    checked = run([str(installed / "somos-site"), "check", "--strict"], site)
    assert checked.returncode == 0, checked.stderr
    built = run([str(installed / "somos-site"), "build", "--strict", "--base-url", "https://example.net/"], site)
    assert built.returncode == 0, built.stderr
    assert (site / "_site" / "events" / "the-event" / "index.html").is_file()
