"""Entry pages rendered in worker processes on a large site.

The workers are forked after resolve, so they share the resolved site and the compiled
templates with this process copy-on-write instead of receiving them pickled. Each takes a
contiguous run of entry ids in site order and returns (output files, template errors,
owners, spooled files: with a spool folder, a worker writes its pages there itself and
returns only their hashes, so no process ever holds the whole site); the caller merges
the runs in that order, so the output and the diagnostics are the same bytes as a serial
render's, whatever the number of workers."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

# Below this many entries, starting processes costs more than it saves.
THRESHOLD = 300
# Runs per worker: small enough to balance uneven pages, large enough to cost little.
RUNS_PER_WORKER = 8

# (pages in memory, template errors, owners, pages streamed to the spool: hash, length,
# folder, and each page's hash and link-check parse)
PagesPart = tuple[dict[str, bytes], list[Any], dict[str, str], dict[str, tuple[str, int, Any]], dict[str, Any]]

_render_run: Callable[[list[str]], PagesPart] | None = None  # what the forked workers inherit


def worker_count() -> int:
    """The cores this process may use; SOMOS_WORKERS overrides (1: always serial)."""
    wanted = os.environ.get("SOMOS_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def render_pages(
    render_run: Callable[[list[str]], PagesPart], ids: list[str], before_fork: Callable[[], None] | None = None
) -> Iterator[PagesPart]:
    """The pages of `ids` (`render_run` renders a run of them), as parts in the order of
    `ids`. Workers start at once; the caller may do other work before it iterates.
    `before_fork` runs first when workers are used: work every worker would otherwise
    repeat (compiling the templates) is then done once and shared."""
    workers = worker_count()
    if len(ids) < THRESHOLD or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return iter([render_run(ids)])
    if before_fork is not None:
        before_fork()
    global _render_run
    _render_run = render_run
    pool = multiprocessing.get_context("fork").Pool(workers)
    size = max(1, -(-len(ids) // (workers * RUNS_PER_WORKER)))
    pending = [pool.apply_async(_in_worker, (ids[i : i + size],)) for i in range(0, len(ids), size)]
    pool.close()
    return _collect(pool, pending)


def _collect(pool, pending) -> Iterator[PagesPart]:
    global _render_run
    try:
        pending.reverse()
        while pending:  # dropped once taken: the pages are not held twice
            yield pending.pop().get()
        pool.join()
    finally:
        pool.terminate()
        _render_run = None


def _in_worker(ids: list[str]) -> PagesPart:
    assert _render_run is not None, "workers are forked from a process that set what they render"
    return _render_run(ids)
