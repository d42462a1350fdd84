"""Hostile-input benchmark: `check` on a site with one huge Markdown file that states a
number in every paragraph and cites nothing (one uncited-fact warning per paragraph).

    python bench/hostile.py              # 10 MB (the target: under 10 s)
    python bench/hostile.py --mb 20      # any size

Prints the file's size, the warnings found, the seconds `check` took and the capped
diagnostic list as a user sees it (the first few per file and code, then one summary
line). The cost must grow linearly with the file: compare --mb 5, 10, 20.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "sites" / "minimal" / "content"
PARAGRAPH = "On day {n} of the story, {n} more people were said to be there, a number nobody sourced.\n\n"


def write_huge_file(content: Path, megabytes: float) -> tuple[Path, int]:
    target = content / "events" / "huge.md"
    header = "---\ntitle: A huge page\ndate: 2011-03-18\n---\n"
    budget = int(megabytes * 1024 * 1024)
    parts, size, n = [header], len(header), 0
    while size < budget:
        paragraph = PARAGRAPH.format(n=n)
        parts.append(paragraph)
        size += len(paragraph)
        n += 1
    target.write_text("".join(parts), encoding="utf-8")
    return target, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the Markdown file in MB (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(MINIMAL, content)
        target, paragraphs = write_huge_file(content, args.mb)
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOMOS_CACHE_DIR": str(Path(folder) / "cache")}
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "check", "--content", str(content)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            cwd=folder,
        )
        elapsed = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    lines = result.stderr.splitlines()
    print(f"file: {target.stat().st_size / 1e6 if target.exists() else args.mb:.1f} MB, {paragraphs:,} paragraphs")
    print(f"check: exit {result.returncode}, {elapsed:.2f} s wall, {cpu:.2f} s CPU (target < 10 s)")
    print(f"{len(lines)} lines of diagnostics printed")
    print(f"ratio to the 10 s target: {elapsed / 10:.2f}")
    print("--- what the user sees (uncited-fact lines of the huge file) ---")
    shown = [line for line in lines if "huge.md" in line]
    for line in shown[:6]:
        print(line)
    print("   ...")
    for line in shown[-2:]:
        print(line)
    print(lines[-1] if lines else "")
    return 0 if result.returncode in (0, 1) else 1


if __name__ == "__main__":
    sys.exit(main())
