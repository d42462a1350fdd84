"""Benchmark: somos_site against a naive single-process jinja2 + Python-Markdown build of
the same pages, in one interleaved run, and the ratios the targets are stated in.

    python bench/run.py [--sizes 1000,10000] [--rounds 1] [--keep DIR]
    python bench/run.py --shipped [--rounds 5]

For each size, a synthetic site of N pages in this project's content format (headings,
cited paragraphs, lists of cross-references, tables, code; about 7 KB of Markdown per
page; search off) is generated once, and every round runs, one after the other, each in
a child process of this one so that each gets its own CPU and peak-memory reading:

  naive       PyYAML + Python-Markdown (extra, toc) + one jinja2 template, one process, no checks
  hugo        `hugo` over the same bodies, when it is installed (it is skipped otherwise)
  pelican     Pelican over the same bodies, when `pelican` is on PATH (see peers.py)
  mkdocs      MkDocs over the same bodies, when `mkdocs` is on PATH
  cold        `build.py build`, no Markdown cache, no build state
  warm        `build.py build` again: cache and build state filled, nothing changed
  edit-body   `serve`'s rebuild after one event's body is edited, until the page is on disk
  edit-title  the same after one event's title is edited (its listings change too)

Runs are interleaved (naive, cold, warm, edits, then the next round), so a machine shared
with other work slows both sides alike and the ratios stay fair. With two sizes or more,
the growth exponent b of t ~ N^b is printed for each run (1.0: constant cost per page).
CPU seconds are printed beside wall seconds: on a machine shared with other work, wall
time says as much about the neighbours as about the build.

`--shipped` measures the site this repository ships instead (its content/, templates/ and
static/ copied to a temporary folder, with build.py), each run in a child process:

  cold-on     `build.py build`, no cache and no output folder, search on (as shipped)
  cold-off    the same with `search: false` added to site.yaml
  check       `build.py check` after that build and one edited event body (the editor's
              case: it starts from the build's saved state)
  check-full  `build.py check` with no build state (the Markdown cache filled)

and prints the medians of `--rounds` against the targets (cold <= 1.5 s off, <= 2.5 s
on, check <= 1 s, wall time)."""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from peers import PEERS  # noqa: E402 (bench/ is not a package)

NAIVE = r"""
import sys
from pathlib import Path
import jinja2, markdown, yaml
content, out = Path(sys.argv[1]), Path(sys.argv[2])
template = jinja2.Template("<!doctype html><title>{{ title }}</title><main>{{ body }}</main>")
md = markdown.Markdown(extensions=["extra", "toc"])
for path in sorted(content.rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.SafeLoader)
    md.reset()
    html = template.render(title=meta["title"], body=md.convert(body))
    target = out / path.relative_to(content).with_suffix("") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
"""

# The dev server's rebuild, timed from the save to the changed pages being on disk. The
# server starts from the state the warm build saved (what it keeps in memory between
# edits; loading it is not part of an edit), so no full render precedes the edits. It is
# given the edited file as `serve`'s file watcher gives it (operating-system events: no
# listing of the content folder), so the time is the rebuild's, not a polling interval's.
SERVE_EDITS = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from somos_site import buildstate
from somos_site.pipeline import Options, template_dirs
from somos_site.serve import DevServer
content, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
options = Options.for_project(Path(sys.argv[5]), content_dir=content, out_dir=out, cache_dir=cache)
app = DevServer(options)
app.state = buildstate.load(cache, out, buildstate.fingerprint(options, template_dirs(options)))
assert app.state is not None, "no saved state to start from"
app.published = True
app.state_complete = True  # the state of a build that ran to its end
events = sorted((content / "events").glob("*.md"))
body, title = events[len(events) // 2], events[len(events) // 2 + 1]
body.write_text(body.read_text(encoding="utf-8") + "\nOne more sentence about the event.\n", encoding="utf-8")
started, cpu = time.perf_counter(), time.process_time()
assert app.rebuild([str(body)]).ok  # the path the file watcher reports
body_seconds, body_cpu = time.perf_counter() - started, time.process_time() - cpu
assert b"One more sentence" in (out / "events" / body.stem / "index.html").read_bytes()
title.write_text(title.read_text(encoding="utf-8").replace('title: "', 'title: "Renamed ', 1), encoding="utf-8")
started, cpu = time.perf_counter(), time.process_time()
assert app.rebuild([str(title)]).ok
title_seconds, title_cpu = time.perf_counter() - started, time.process_time() - cpu
assert b"Renamed" in (out / "events" / title.stem / "index.html").read_bytes()
print(f"{body_seconds:.4f} {body_cpu:.4f} {title_seconds:.4f} {title_cpu:.4f}")
"""


def measure(command: list[str], env: dict | None = None, allowed=(0,)) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (with the child's own children), peak RSS in MB of the
    largest process, and stdout of a child process."""
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if os.waitstatus_to_exitcode(status) not in allowed:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def one_round(pages: int, root: Path, content: Path) -> dict[str, tuple[float, float, float]]:
    python = sys.executable
    cache, out = root / "cache", root / "site"
    env = {**os.environ, "SOMOS_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO / "src")}
    build = [python, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out)]
    rows: dict[str, tuple[float, float, float]] = {}
    shutil.rmtree(root / "naive", ignore_errors=True)
    rows["naive"] = measure([python, "-c", NAIVE, str(content), str(root / "naive")])[:3]
    report("naive", rows["naive"])
    for name, make in PEERS.items():  # each only when it is installed
        command = make(content, root)
        if command is not None:
            rows[name] = measure(command)[:3]
            report(name, rows[name])
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    rows["cold"] = measure(build, env)[:3]
    report("cold", rows["cold"])
    rows["warm"] = measure(build, env)[:3]
    report("warm", rows["warm"])
    saved = {p: p.read_bytes() for p in (content / "events").glob("*.md")}  # the edits are undone after
    try:
        _, _, peak, printed = measure(
            [python, "-c", SERVE_EDITS, str(content), str(out), str(cache), str(REPO / "src"), str(REPO)], env
        )
    finally:
        for path, data in saved.items():
            path.write_bytes(data)
    body_seconds, body_cpu, title_seconds, title_cpu = (float(x) for x in printed.split())
    rows["edit-body"] = (body_seconds, body_cpu, peak)
    rows["edit-title"] = (title_seconds, title_cpu, peak)
    report("edit-body", rows["edit-body"])
    report("edit-title", rows["edit-title"])
    return rows


def report(name: str, row: tuple[float, float, float]) -> None:
    """Each run as it ends: a long benchmark interrupted still says what it measured."""
    print(f"  ({name}: {row[0]:.3f} s wall, {row[1]:.2f} s CPU, {row[2]:.0f} MB)", flush=True)


def median_rows(rounds: list[dict[str, tuple[float, float, float]]]) -> dict[str, tuple[float, float, float]]:
    return {
        name: tuple(statistics.median(r[name][i] for r in rounds) for i in range(3))  # type: ignore[misc]
        for name in rounds[0]
    }


SHIPPED_TARGETS = {"cold-on": 2.5, "cold-off": 1.5, "check": 1.0, "check-full": 1.0}  # seconds of wall time


def shipped_copy(root: Path, search: bool) -> Path:
    """The shipped site in `root` (build.py, content/, templates/, static/), search off
    when asked: the shipped site.yaml with `search: false` added."""
    site = root / ("search-on" if search else "search-off")
    site.mkdir(parents=True)
    shutil.copy2(REPO / "build.py", site / "build.py")
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, site / folder)
    if not search:
        config = site / "content" / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8").rstrip("\n") + "\nsearch: false\n", encoding="utf-8")
    return site


def shipped_round(sites: dict[str, Path]) -> dict[str, tuple[float, float, float]]:
    """One cold build with search on, one with it off, one check: each a child process."""
    env = {k: v for k, v in os.environ.items() if k != "SOMOS_CACHE_DIR"}
    env["PYTHONPATH"] = str(REPO / "src")  # the copied build.py finds no src/ beside it
    rows: dict[str, tuple[float, float, float]] = {}
    for name, site in (("cold-on", sites["on"]), ("cold-off", sites["off"])):
        shutil.rmtree(site / ".cache", ignore_errors=True)
        shutil.rmtree(site / "_site", ignore_errors=True)
        rows[name] = measure([sys.executable, str(site / "build.py"), "build"], env)[:3]
        report(name, rows[name])
    check = [sys.executable, str(sites["on"] / "build.py"), "check"]
    event = sites["on"] / "content" / "events" / "allende-massacre.md"
    text = event.read_text(encoding="utf-8")
    try:
        event.write_text(text + "\nOne more sentence.\n", encoding="utf-8")
        rows["check"] = measure(check, env, allowed=(0, 1))[:3]  # the edit may warn (review-stale)
    finally:
        event.write_text(text, encoding="utf-8")
    report("check", rows["check"])
    shutil.rmtree(sites["on"] / ".cache" / "somos-site" / "state", ignore_errors=True)
    rows["check-full"] = measure(check, env)[:3]
    report("check-full", rows["check-full"])
    return rows


def shipped(rounds: int, keep: Path | None) -> int:
    base = keep or Path(tempfile.mkdtemp(prefix="somos-shipped-"))
    sites = {"on": shipped_copy(base, True), "off": shipped_copy(base, False)}
    pages = sum(1 for _ in (REPO / "content").rglob("*.md"))
    print(
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}; "
        f"the shipped site, {pages} Markdown files"
    )
    try:
        rows = median_rows([shipped_round(sites) for _ in range(rounds)])
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"\nmedian of {rounds} round(s), load average now {os.getloadavg()[0]:.2f}")
    print(f"{'run':10} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'target':>8}  verdict (wall)")
    for name, (wall, cpu, peak) in rows.items():
        target = SHIPPED_TARGETS[name]
        verdict = "met" if wall <= target else f"missed by {wall - target:.2f} s"
        print(f"{name:10} {wall:8.3f} {cpu:8.3f} {peak:8.0f} {target:8.1f}  {verdict}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark somos_site against a naive build of the same pages.")
    parser.add_argument("--sizes", default="1000", help="comma-separated page counts, e.g. 1000,10000")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the generated sites and outputs here")
    parser.add_argument("--shipped", action="store_true", help="measure the shipped site's build and check instead")
    args = parser.parse_args()
    if args.shipped:
        return shipped(args.rounds, args.keep)
    from synthetic import make_site

    sizes = [int(s) for s in args.sizes.split(",")]
    base = args.keep or Path(tempfile.mkdtemp(prefix="somos-bench-"))
    print(
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        + ", ".join(f"{name}: {shutil.which(name) or 'not installed'}" for name in PEERS)
    )
    results = {}
    for pages in sizes:
        root = base / str(pages)
        content = make_site(root, pages)
        sizes_kb = [p.stat().st_size for p in content.rglob("*.md")]
        print(f"\n{len(sizes_kb)} pages, {sum(sizes_kb) / len(sizes_kb) / 1024:.1f} KB of Markdown per page")
        rounds = [one_round(pages, root, content) for _ in range(args.rounds)]
        rows = results[pages] = median_rows(rounds)
        naive = rows["naive"][0]
        naive_cpu = rows["naive"][1]
        print(f"{'run':11} {'wall s':>9} {'CPU s':>9} {'wall x naive':>13} {'CPU x naive':>12} {'peak MB':>9}")
        for name, (wall, cpu, peak) in rows.items():
            ratios = f"{wall / naive:13.3f} {cpu / naive_cpu:12.3f}" if not name.startswith("edit") else " " * 26
            print(f"{name:11} {wall:9.3f} {cpu:9.3f} {ratios} {peak:9.0f}")
        cold, warm, body, title = (rows[k][0] for k in ("cold", "warm", "edit-body", "edit-title"))
        print(
            f"targets: cold <= 0.6x naive ({cold / naive:.3f}x), warm <= 0.1x ({warm / naive:.3f}x), "
            f"body edit <= 0.150 s ({body:.3f} s), title edit <= 0.500 s ({title:.3f} s), "
            f"peak <= 500 MB ({max(rows[k][2] for k in ('cold', 'warm', 'edit-body', 'edit-title')):.0f} MB)"
        )
        for peer in ("pelican", "mkdocs"):
            if peer in rows:
                wall, cpu = rows["cold"][0] / rows[peer][0], rows["cold"][1] / rows[peer][1]
                print(f"targets: cold <= 0.5x {peer} ({wall:.3f}x wall, {cpu:.3f}x CPU)")
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"\ngrowth exponent b (t ~ N^b) from {small} to {large} pages, 1.0 = constant cost per page:")
        for name in results[small]:
            b = math.log(results[large][name][0] / results[small][name][0]) / math.log(large / small)
            b_cpu = math.log(results[large][name][1] / results[small][name][1]) / math.log(large / small)
            print(f"  {name:11} wall {b:.2f}, CPU {b_cpu:.2f}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
