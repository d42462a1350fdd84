"""Hostile input (issue 14): what a hostile tester tried, each test named for what it proves.
Each asserts the exit code, the diagnostic, and that nothing unsafe or half-written reached
the output (tests/hostile.py scans every output file: HTML, JSON-LD, feeds, sitemap, search
index). Also the home of the `output-busy` and `publish-failed` diagnostic cases."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
from helpers import REPO, eventually, run_cli
from hostile import TITLE, make_hostile, unsafe_findings

from somos_site import cli, lock, write
from somos_site.pipeline import Options
from somos_site.serve import DevServer
from somos_site.text import plain

THIRD_PARTY = "pagefind/"


def build(content: Path, out: Path, *extra: str):
    # Each build from nothing: these tests are about what publishing does, and a build
    # whose inputs did not change since the last one publishes nothing (the build state).
    with tempfile.TemporaryDirectory() as cache, mock.patch.dict(os.environ, {"SOMOS_CACHE_DIR": cache}):
        return run_cli(["build", "--content", str(content), "--out", str(out), *extra])


def tree(folder: Path, with_search: bool = True) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (with_search or not p.relative_to(folder).as_posix().startswith(THIRD_PARTY))
    }


def leftovers(out: Path) -> list[str]:
    """Staging or moved-aside folders beside the output (the lock file belongs there),
    once the replaced sites' background deletion (somos_site.trash) has ended."""
    eventually(lambda: not (out.parent / f".{out.name}.trash").exists(), what="deleting the replaced sites")
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if p.name != f".{out.name}.lock")


def json_ld(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert block, "the page has no JSON-LD block"
    return json.loads(block.group(1))


# -- 1. script from content -------------------------------------------------------------


def test_markup_in_front_matter_and_bodies_never_reaches_any_output_file(minimal_site, tmp_path):
    make_hostile(minimal_site)
    out = tmp_path / "out"
    result = build(minimal_site, out)
    assert result.code == 0, result.err
    # Every removal and every piece of markup in plain text is reported at its place.
    for expected in (
        r"the-raid\.md:2:8: warning\[html-unsafe\]: 'title' is plain text",
        r"the-raid\.md:\d+:\d+: warning\[html-unsafe\]: the <script> element is not allowed",
        r"the-raid\.md:\d+:\d+: warning\[html-unsafe\]: a 'javascript:' URL in href= of <a>",
        r"the-raid\.md:\d+:\d+: warning\[html-unsafe\]: the 'onerror' attribute of <img>",
        r"the-raid\.md:\d+:\d+: warning\[html-unsafe\]: the <iframe> element",
        r"toll\.md:\d+:\d+: warning\[html-unsafe\]: 'values\[0\]\.label' is plain text",
        r"creator\.md:3:7: warning\[html-unsafe\]: 'role' is plain text",
    ):
        assert re.search(expected, result.err), expected
    assert unsafe_findings(out) == []
    page = (out / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    # The title is shown as the text it is, and allowed markup survives.
    assert "&lt;img src=x onerror=alert(101)&gt; The raid</h1>" in page
    assert '<q lang="es">cita</q>' in page and '<abbr title="Drug Enforcement Administration">DEA</abbr>' in page
    assert json_ld(out / "events" / "the-raid" / "index.html")["name"] == TITLE


def test_unsafe_markup_is_an_error_under_strict_and_nothing_is_published(minimal_site, tmp_path):
    make_hostile(minimal_site)
    out = tmp_path / "out"
    result = build(minimal_site, out, "--strict")
    assert result.code == 1
    assert "error[html-unsafe]" in result.err
    assert not out.exists()


@pytest.mark.parametrize("title", ["</script><!--<script>", "&lt;!--&lt;script&gt;", "a --> b <!-- c & d"])
def test_a_title_cannot_close_or_comment_out_the_json_ld_block(minimal_site, tmp_path, title):
    page = minimal_site / "events" / "the-raid.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: The raid", f"title: {json.dumps(title)}"))
    out = tmp_path / "out"
    assert build(minimal_site, out).code == 0
    html = (out / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    data = json_ld(out / "events" / "the-raid" / "index.html")
    assert data["name"] == plain(title)  # the text as written, with typographic dashes
    block = html[html.index('<script type="application/ld+json">') :]
    assert not re.search(r"[<>&]", block[len('<script type="application/ld+json">') : block.index("</script>")])
    assert "</main>" in html[html.index("</script>") :], "the rest of the page is still there"
    assert unsafe_findings(out) == []


@pytest.mark.parametrize(
    "url", ["javascript:alert(104)", "data:text/html,<script>alert(1)</script>", "//evil.example/x", "ftp://x.org/"]
)
def test_a_source_url_that_is_not_http_or_https_is_an_error(minimal_site, tmp_path, url):
    source = minimal_site / "sources" / "review-2021.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("kind: review", f"kind: review\nalso: [{json.dumps(url)}]")
    )
    out = tmp_path / "out"
    result = build(minimal_site, out)
    assert result.code == 1
    assert re.search(
        r"review-2021\.md:\d+:\d+: error\[value-not-allowed\]: .* is not an http:// or https:// URL", result.err
    )
    assert not out.exists()


# -- 4, 7, 10: control characters, nesting, language keys -------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_is_an_error_at_its_line_and_column(minimal_site, tmp_path, character):
    page = minimal_site / "events" / "the-raid.md"
    text = page.read_text(encoding="utf-8")
    body_line = "The raid began on 18 March 2011 ["  # the body's line (the corrections quote it too)
    page.write_text(text.replace(body_line, body_line.replace("The raid", f"The raid{character}")), encoding="utf-8")
    line = text[: text.index(body_line)].count("\n") + 1
    out = tmp_path / "out"
    result = build(minimal_site, out)
    assert result.code == 1
    assert f"the-raid.md:{line}:9: error[control-character]" in result.err
    assert not out.exists()


@pytest.mark.parametrize(
    "body",
    [
        "\n".join("    " * i + "- level" for i in range(1000)),
        "> " * 1000 + "deep",
        "\n".join(">" * i + " line" for i in range(1, 400)),
        "- " * 1000 + "deep",
    ],
    ids=["list-1000", "quote-1000-one-line", "quote-400-lines", "list-markers-one-line"],
)
def test_deep_nesting_is_a_diagnostic_with_its_line_not_a_crash(minimal_site, tmp_path, body):
    page = minimal_site / "pages" / "about.md"
    page.write_text("---\ntitle: About\nweight: 1\n---\nMade for tests.\n\n" + body + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(minimal_site, out)
    assert result.code == 1
    assert re.search(r"about\.md:\d+:\d+: error\[nesting-too-deep\]: .* at most 50 are allowed", result.err)
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert not out.exists()


@pytest.mark.parametrize("key", ["../..", "en/../../x", "EN", "e", "toolonglanguage", "es-ES-extra-too-many"])
def test_a_language_key_that_is_not_a_language_code_is_refused(minimal_site, tmp_path, key):
    config = minimal_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  es: Español", f"  {json.dumps(key)}: Other"))
    result = build(minimal_site, tmp_path / "out")
    assert result.code == 1
    assert f"error[config-invalid]: '{key}' is not a language code" in result.err
    assert not (tmp_path / "out").exists()


# -- 5. linear-time, capped diagnostics --------------------------------------------------


def test_diagnostics_are_capped_per_file_and_code_with_a_summary_line(minimal_site, tmp_path):
    page = minimal_site / "events" / "the-raid.md"
    paragraphs = "\n\n".join(f"On day {n}, {n} people were there." for n in range(65))
    page.write_text(page.read_text(encoding="utf-8") + "\n" + paragraphs + "\n", encoding="utf-8")
    result = run_cli(["check", "--content", str(minimal_site)])
    printed = [line for line in result.err.splitlines() if "the-raid.md" in line and "warning[uncited-fact]" in line]
    assert len(printed) == 20
    assert "the-raid.md: … and 45 more uncited-fact warnings in this file" in result.err
    summary = re.search(r"(\d+) errors?, (\d+) warnings?", result.err)
    assert summary and int(summary.group(2)) >= 65  # every warning still counts


# -- 6. --out symlink --------------------------------------------------------------------


def test_an_output_folder_that_is_a_symlink_is_refused_and_no_staging_link_stays(minimal_site, tmp_path):
    real = tmp_path / "real"
    assert build(minimal_site, real).code == 0
    before = tree(real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = build(minimal_site, link)
    assert result.code == 1
    assert "error[output-unsafe]" in result.err and "is a symlink" in result.err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert tree(real) == before
    assert leftovers(link) == [] and leftovers(real) == []


# -- 2. one build per output folder ------------------------------------------------------


def second_site(content: Path, tmp_path: Path) -> Path:
    """A copy of `content` whose pages differ (another home page text)."""
    other = tmp_path / "other" / "content"
    shutil.copytree(content, other)
    index = other / "pages" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("This site is about", "This other site is about"))
    return other


def start_build(content: Path, out: Path, log: Path, timeout: str = "120") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOMOS_LOCK_TIMEOUT": timeout, "SOMOS_CACHE_DIR": ""}
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        env=env,
    )


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def assert_one_complete_site(out: Path, references: list[dict[str, bytes]]) -> None:
    published = tree(out, with_search=False)
    assert any(published == reference for reference in references), "the output is not one complete build"
    write.verify_search_index(out / "pagefind")  # raises if the index is missing, empty or cut short
    assert leftovers(out) == []


def reference_trees(contents, tmp_path) -> list:
    """Each content folder built alone: the only sites a contended output may end up holding."""
    references = []
    for index, content in enumerate(contents):
        reference = tmp_path / f"reference-{index}"
        assert build(content, reference).code == 0
        references.append(tree(reference, with_search=False))
    return references


def test_builds_into_one_output_wait_for_each_other_and_publish_one_complete_site(minimal_site, tmp_path):
    other = second_site(minimal_site, tmp_path)
    references = reference_trees((minimal_site, other), tmp_path)
    assert references[0] != references[1]
    out = tmp_path / "out"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    # While this test holds the lock, both builds must wait, and say so.
    with lock.hold(out, "test"):
        builds = [start_build(content, out, log) for content, log in zip((minimal_site, other), logs, strict=True)]
        wait_for(lambda: all("waiting for another somos-site" in log.read_text() for log in logs))
        assert all(b.poll() is None for b in builds)
    assert [b.wait(timeout=300) for b in builds] == [0, 0], [log.read_text() for log in logs]
    assert_one_complete_site(out, references)


def test_racing_builds_always_leave_one_complete_site(minimal_site, tmp_path):
    other = second_site(minimal_site, tmp_path)
    references = reference_trees((minimal_site, other), tmp_path)
    out = tmp_path / "out"
    for round_number in range(4):  # bounded: each round is two full builds on a shared machine
        logs = [tmp_path / f"a{round_number}.log", tmp_path / f"b{round_number}.log"]
        builds = [start_build(content, out, log) for content, log in zip((minimal_site, other), logs, strict=True)]
        codes = [b.wait(timeout=300) for b in builds]
        assert codes == [0, 0], [log.read_text() for log in logs]
        assert_one_complete_site(out, references)


@contextlib.contextmanager
def held_by_another_process(out: Path):
    """The output folder's lock held by a child process until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from somos_site import lock\n"
            "with lock.hold(Path(sys.argv[1]), 'serve'):\n    print('held', flush=True); sys.stdin.read()",
            str(out),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_build_gives_up_clearly_when_the_output_stays_busy(minimal_site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(minimal_site, out).code == 0
    before = tree(out)
    monkeypatch.setenv("SOMOS_LOCK_TIMEOUT", "1")
    with held_by_another_process(out) as pid:
        result = build(minimal_site, out)
    assert result.code == 1
    assert f"waiting for another somos-site (pid {pid}, serve) to finish with {out}" in result.err
    assert f"error[output-busy]: {out} is in use by another somos-site (pid {pid}, serve); gave up after 1 s" in (
        result.err
    )
    assert "nothing was written" in result.err
    assert tree(out) == before and leftovers(out) == []


def test_a_stale_staging_folder_is_removed_only_when_the_lock_is_free(minimal_site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(minimal_site, out).code == 0
    stale = tmp_path / ".out.staging-abandoned"
    stale.mkdir()
    (stale / "half.html").write_text("half", encoding="utf-8")
    monkeypatch.setenv("SOMOS_LOCK_TIMEOUT", "0.5")
    with held_by_another_process(out):
        assert build(minimal_site, out).code == 1
        assert stale.exists(), "another writer may own it: it must stay"
    assert build(minimal_site, out).code == 0
    assert not stale.exists()


# -- 3, 9. every file verified before the swap; environment errors -----------------------


def test_an_empty_search_index_file_fails_the_build_and_keeps_the_previous_site(minimal_site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(minimal_site, out).code == 0
    before = tree(out)
    real_index = write.index_for_search

    def index_then_lose_a_file(root: Path) -> None:  # what a full disk did: pagefind exits 0
        real_index(root)
        (root / "pagefind" / "pagefind.js").write_bytes(b"")

    monkeypatch.setattr(write, "index_for_search", index_then_lose_a_file)
    page = minimal_site / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    result = build(minimal_site, out)
    assert result.code == 1
    assert "error[publish-failed]: the search index is incomplete: pagefind/pagefind.js is empty" in result.err
    assert tree(out) == before and leftovers(out) == []


def test_a_cut_short_search_index_file_fails_the_build(minimal_site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_index = write.index_for_search

    def index_then_truncate(root: Path) -> None:
        real_index(root)
        fragment = sorted((root / "pagefind" / "fragment").iterdir())[0]
        fragment.write_bytes(fragment.read_bytes()[:20])

    monkeypatch.setattr(write, "index_for_search", index_then_truncate)
    result = build(minimal_site, out)
    assert result.code == 1
    assert re.search(
        r"error\[publish-failed\]: the search index is damaged: pagefind/fragment/.* is cut short", result.err
    )
    assert not out.exists() and leftovers(out) == []


def test_a_failing_search_indexer_is_a_diagnostic(minimal_site, tmp_path, monkeypatch):
    out = tmp_path / "out"

    def failing_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 3, "", "Error: could not write the index")

    monkeypatch.setattr(write.subprocess, "run", failing_run)
    result = build(minimal_site, out)
    assert result.code == 1
    assert "error[publish-failed]: the search indexer (pagefind) failed (exit 3): Error: could not write" in result.err
    assert not out.exists()


@pytest.mark.parametrize(
    ("code", "wording"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only file system"), (errno.EACCES, "no permission")],
)
def test_write_errors_are_worded_as_the_environment_they_are(minimal_site, tmp_path, monkeypatch, code, wording):
    out = tmp_path / "out"
    assert build(minimal_site, out).code == 0
    before = tree(out)

    def failing_write(root, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(root / "index.html"))

    monkeypatch.setattr(write, "write_tree", failing_write)
    edited = minimal_site / "pages" / "about.md"  # a changed page: this build must write
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = build(minimal_site, out)
    assert result.code == 1
    assert re.search(rf"error\[publish-failed\]: [^\n]*{wording}", result.err)
    assert "internal error" not in result.err and "please report" not in result.err
    assert tree(out) == before and leftovers(out) == []


def test_a_busy_port_is_a_clear_message_not_an_internal_error(minimal_site, monkeypatch):
    import somos_site.serve

    def busy(*args, **kwargs):
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(somos_site.serve, "serve", busy)
    result = run_cli(["serve", "--content", str(minimal_site), "--port", "8000"])
    assert result.code == 2
    assert "somos-site: error: the port is already in use" in result.err and "--port" in result.err
    assert "internal error" not in result.err


def mount_tmpfs(folder: Path, size: str, *options: str) -> None:
    folder.mkdir(parents=True)
    reason = None
    if os.geteuid() != 0:
        reason = "mounting a small tmpfs needs root"
    elif shutil.which("mount") is None:
        reason = "no mount command"
    else:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            reason = f"mount failed: {done.stderr.strip()}"
    if reason:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(f"the full-disk test must run in CI (as root): {reason}")
        pytest.skip(reason)


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=False)


def blocks_used(folder: Path) -> int:
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("fails_during", ["writing pages", "search indexing"])
def test_a_full_disk_fails_the_build_and_keeps_the_previous_site_search_included(minimal_site, tmp_path, fails_during):
    disk = tmp_path / "disk"
    mount_tmpfs(disk, "8m")
    try:
        out = disk / "out"
        assert build(minimal_site, out).code == 0
        before = tree(out)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        search = blocks_used(out / "pagefind")
        pages = blocks_used(out) - search
        # Leave room for nothing, or for the pages and a third of the search index.
        room = 8 * 4096 if fails_during == "writing pages" else pages + search // 3
        (disk / "filler").write_bytes(b"\0" * max(0, free - room))
        page = minimal_site / "pages" / "about.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
        result = build(minimal_site, out)
        assert result.code == 1, result.err
        assert "error[publish-failed]" in result.err
        if fails_during == "search indexing":
            assert "search index" in result.err or "pagefind" in result.err
        else:
            assert "the disk is full" in result.err
        assert "internal error" not in result.err
        assert tree(out) == before, "the previous site, search index included, is untouched"
        write.verify_search_index(out / "pagefind")
        assert leftovers(out) == []
        (disk / "filler").unlink()
        assert build(minimal_site, out).code == 0
    finally:
        unmount(disk)


def test_a_read_only_output_is_a_clear_error(minimal_site, tmp_path):
    disk = tmp_path / "disk"
    mount_tmpfs(disk, "4m")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = build(minimal_site, disk / "out")
        assert result.code in (1, 2)
        assert "read-only file system" in result.err
        assert "internal error" not in result.err
    finally:
        unmount(disk)


# -- 8. the dev server -------------------------------------------------------------------


def request(app: DevServer, path: str, method: str = "GET", host: str | None = "127.0.0.1:8000"):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": None}
    if host is not None:
        environ["HTTP_HOST"] = host
    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def dev_app(minimal_site, tmp_path):
    app = DevServer(Options.for_project(REPO, content_dir=minimal_site, out_dir=tmp_path / "out", cache_dir=None))
    assert app.rebuild().ok
    return app


def test_dev_server_answers_head_with_headers_only(dev_app):
    status, headers, body = request(dev_app, "/events/the-raid/", "HEAD")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html") and body == b""


def test_dev_server_gives_404_for_a_path_of_3000_segments(dev_app):
    status, _, _ = request(dev_app, "/" + "a/" * 3000)
    assert status == "404 Not Found"
    assert request(dev_app, "/" + "x" * 5000)[0] == "404 Not Found"


@pytest.mark.parametrize("path", ["//events", "///events", "/\\events", "//events/the-raid"])
def test_dev_server_redirects_only_within_itself(dev_app, path):
    status, headers, _ = request(dev_app, path)
    if "\\" in path:  # no such file: not found, and certainly no redirect
        assert status == "404 Not Found"
        return
    assert status.startswith("301")
    location = headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        (None, True),
        ("evil.example", False),
        ("evil.example:8000", False),
        ("127.0.0.1.evil.example", False),
        ("10.0.0.5:8000", False),
    ],
)
def test_dev_server_answers_only_hosts_naming_the_loopback(dev_app, host, allowed):
    status = request(dev_app, "/", host=host)[0]
    assert (status == "200 OK") if allowed else status.startswith("421")


def test_dev_server_also_answers_the_host_it_was_given(minimal_site, tmp_path):
    app = DevServer(
        Options.for_project(REPO, content_dir=minimal_site, out_dir=tmp_path / "out", cache_dir=None), "192.168.1.5"
    )
    assert app.rebuild().ok
    assert request(app, "/", host="192.168.1.5:8000")[0] == "200 OK"
    assert request(app, "/", host="attacker.example")[0].startswith("421")


def test_a_running_dev_server_answers_head_and_holds_its_output(minimal_site, tmp_path):
    """Over real HTTP (livereload's server): HEAD gets a reply, and a build into the
    served folder waits for the server and then gives up clearly."""
    import http.client
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOMOS_CACHE_DIR": ""}
    server = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "build.py"),
            "serve",
            "--content",
            str(minimal_site),
            "--out",
            str(out),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:

        def answers() -> bool:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("HEAD", "/events/the-raid/")
                response = connection.getresponse()
                answers.status, answers.body = response.status, response.read()
                return True
            except OSError:
                return False

        wait_for(answers)
        assert answers.status == 200 and answers.body == b""
        busy = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "build", "--content", str(minimal_site), "--out", str(out)],
            capture_output=True,
            text=True,
            env={**env, "SOMOS_LOCK_TIMEOUT": "1"},
            check=False,
            timeout=120,
        )
        assert busy.returncode == 1
        assert "error[output-busy]" in busy.stderr and "serve" in busy.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_environment_problem_wording_never_says_internal_error(tmp_path):
    options = Options.for_project(REPO, out_dir=tmp_path / "out")
    for code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EADDRINUSE):
        message = cli.environment_problem(OSError(code, os.strerror(code)), options)
        assert message and "internal" not in message and "report" not in message
    assert cli.environment_problem(OSError(errno.EIO, "I/O error"), options) is None  # unknown: a bug report
