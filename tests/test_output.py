"""Output guarantees: determinism, atomic publication, and output-folder safety."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, eventually, run_cli

from somos_site.write import MARKER

# Pagefind's index is the one part of the output that is not byte-stable: its filter and
# metadata files come out of hash maps in arbitrary order (upstream Pagefind#638). Every
# file this project writes itself is compared.
THIRD_PARTY = "pagefind/"


def tree_hash(folder: Path, include_search_index: bool = True) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (include_search_index or not p.relative_to(folder).as_posix().startswith(THIRD_PARTY))
    }


def build_in_subprocess(content: Path, out: Path, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_without_search_two_builds_are_entirely_byte_identical(minimal_site, tmp_path):
    config = minimal_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_in_subprocess(minimal_site, first, "7").returncode == 0
    assert build_in_subprocess(minimal_site, second, "99").returncode == 0
    assert tree_hash(first) == tree_hash(second)
    assert not (first / "pagefind").exists() and not (first / "search").exists()


def test_two_builds_are_byte_identical_across_hash_seeds(minimal_site, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_in_subprocess(minimal_site, first, "1").returncode == 0
    assert build_in_subprocess(minimal_site, second, "4242").returncode == 0
    assert tree_hash(first, include_search_index=False) == tree_hash(second, include_search_index=False)
    assert len(tree_hash(first, include_search_index=False)) > 20
    assert (first / "pagefind" / "pagefind-entry.json").is_file()


def test_stale_files_do_not_survive_a_rebuild(minimal_site, tmp_path):
    out = tmp_path / "out"
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    assert (out / "about" / "index.html").exists()
    (minimal_site / "pages" / "about.md").unlink()
    (minimal_site / "pages" / "index.md").write_text("---\ntitle: Home\n---\nHello.\n", encoding="utf-8")
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    assert not (out / "about").exists()
    # Only the lock file stays (it must: see somos_site.lock), once the replaced site,
    # deleted in the background (somos_site.trash), is gone.
    eventually(lambda: not (tmp_path / ".out.trash").exists(), what="deleting the replaced site")
    assert [p.name for p in tmp_path.glob(".out.*")] == [".out.lock"], "no staging folders may be left behind"


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(minimal_site, tmp_path):
    out = tmp_path / "out"
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    before = tree_hash(out)
    (minimal_site / "pages" / "about.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 1
    assert tree_hash(out) == before


def big_site(content: Path, pages: int) -> None:
    """Add enough pages that writing takes long enough to be interrupted."""
    filler = "\n\n".join(f"Paragraph {i} about the town [@report-2017]." for i in range(40))
    for number in range(pages):
        (content / "places" / f"place-{number:04d}.md").write_text(
            f"---\ntitle: Place {number}\nkind: site\n---\n{filler}\n", encoding="utf-8"
        )


def count_entries(folder: Path) -> int:
    count = 0
    for _, dirs, files in os.walk(folder):
        count += len(dirs) + len(files)
    return count


@pytest.mark.parametrize("delay_fraction", [0.2, 0.5, 0.8])
def test_a_build_killed_mid_write_leaves_the_previous_site_untouched(minimal_site, tmp_path, delay_fraction):
    out = tmp_path / "out"
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    before = tree_hash(out)
    big_site(minimal_site, 400)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--content", str(minimal_site), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.staging-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    staging = list(tmp_path.glob(".out.staging-*"))
    assert staging, "the build never started writing"
    # Let it write part of the site (about two entries per page), then kill it without warning.
    target = int(2 * 400 * delay_fraction)
    while process.poll() is None and count_entries(staging[0]) < target:
        pass
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert tree_hash(out) == before
    # The next build recovers: it cleans the leftovers and publishes.
    assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    assert [p.name for p in tmp_path.glob(".out.*")] == [".out.lock"]
    assert (out / "places" / "place-0399" / "index.html").exists()


@pytest.mark.parametrize("target", ["content", "templates", "static", "root", "parent-of-root"])
def test_refuses_output_folders_that_would_overwrite_sources(target, minimal_site, tmp_path):
    folder = {
        "content": minimal_site,
        "templates": REPO / "templates",
        "static": REPO / "static",
        "root": REPO,
        "parent-of-root": REPO.parent,
    }[target]
    before = tree_hash(minimal_site)
    result = run_cli(["--content", str(minimal_site), "--out", str(folder)])
    assert result.code == 1 and "error[output-unsafe]" in result.err
    assert tree_hash(minimal_site) == before


def test_refuses_an_output_folder_inside_the_content(minimal_site):
    result = run_cli(["--content", str(minimal_site), "--out", str(minimal_site / "pages" / "_site")])
    assert result.code == 1 and "error[output-unsafe]" in result.err


def test_refuses_to_replace_a_folder_it_did_not_make(minimal_site, tmp_path):
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "taxes.txt").write_text("keep me", encoding="utf-8")
    result = run_cli(["--content", str(minimal_site), "--out", str(foreign)])
    assert result.code == 1 and "did not write" in result.err
    assert (foreign / "taxes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (foreign / MARKER).exists()
