"""Benchmark: somos_site against a naive single-process jinja2 + Python-Markdown build.

    python bench/run.py [--pages 1000] [--keep DIR]

Generates a synthetic site of N pages in this project's content format (cross-references,
citations, about 7 KB of Markdown per page), then times, each in a child process of this
one so that every run gets its own peak-memory reading:

  naive       PyYAML + Python-Markdown + a jinja2 template, one process, no checks
  cold        `build`, empty Markdown cache
  warm        `build` again, cache populated, nothing changed
  one-file    one file edited, rebuilt through the incremental path (the dev server's)

and prints the table and the ratios to the naive baseline."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

NAIVE = r"""
import sys, time
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

INCREMENTAL = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from somos_site.pipeline import BuildState, Options, run
from somos_site import write
content, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
options = Options.for_project(Path(sys.argv[5]), content_dir=content, out_dir=out, cache_dir=cache)
state = BuildState()
first = run(options, write_output=False, state=state)
assert first.ok, first.diagnostics[:3]
target = sorted((content / "events").glob("*.md"))[len(list((content / "events").glob("*.md"))) // 2]
target.write_text(target.read_text(encoding="utf-8") + "\nOne more sentence about the event.\n", encoding="utf-8")
before = dict(state.outputs)
started = time.perf_counter()
result = run(options, write_output=False, state=state)
write.sync(out, before, result.outputs)
elapsed = time.perf_counter() - started
assert result.ok
print(f"{elapsed:.4f}")
"""


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and stdout of a child process."""
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark somos_site against a naive build.")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the generated site and outputs here")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from synthetic import make_site

    root = args.keep or Path(tempfile.mkdtemp(prefix="somos-bench-"))
    content = make_site(root, args.pages)
    sizes = [p.stat().st_size for p in content.rglob("*.md")]
    print(f"{len(sizes)} pages, {sum(sizes) / len(sizes) / 1024:.1f} KB of Markdown per page, {os.cpu_count()} CPU(s)")
    cache = root / "cache"
    python = sys.executable
    build = [python, str(REPO / "build.py"), "build", "--content", str(content)]
    rows = []
    rows.append(("naive", *measure([python, "-c", NAIVE, str(content), str(root / "naive")])[:2]))
    shutil.rmtree(cache, ignore_errors=True)
    env_cache = ["--out", str(root / "site")]
    os.environ["SOMOS_CACHE_DIR"] = str(cache)
    rows.append(("cold", *measure([*build, *env_cache])[:2]))
    rows.append(("warm", *measure([*build, *env_cache])[:2]))
    _, peak, out = measure([python, "-c", INCREMENTAL, str(content), str(root / "site"), str(cache),
                                str(REPO / "src"), str(REPO)])  # fmt: skip
    rows.append(("one-file", float(out.strip()), peak))
    baseline = rows[0][1]
    print(f"{'run':10} {'seconds':>9} {'x naive':>9} {'peak MB':>9}")
    for name, seconds, peak in rows:
        print(f"{name:10} {seconds:9.3f} {seconds / baseline:9.3f} {peak:9.0f}")
    print("targets at 10,000 pages: cold <= 0.5x, warm <= 0.1x, one-file <= 0.150 s, peak <= 500 MB")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
