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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from somos_site.render import Renderer

# Below this many entries, starting processes costs more than it saves.
THRESHOLD = 300
# Runs per worker: small enough to balance uneven pages, large enough to cost little.
RUNS_PER_WORKER = 8

_renderer: Renderer | None = None  # the renderer the forked workers inherit

# (pages in memory, template errors, owners, pages streamed to the spool: hash, length, folder)
PagesPart = tuple[dict[str, bytes], list[Any], dict[str, str], dict[str, tuple[str, int, Any]]]


def worker_count() -> int:
    """The cores this process may use; SOMOS_WORKERS overrides (1: always serial)."""
    wanted = os.environ.get("SOMOS_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def render_pages(renderer: Renderer, ids: list[str]) -> Iterator[PagesPart]:
    """The pages of `ids`, as parts in the order of `ids`. Workers start at once; the
    caller may do other work before it iterates."""
    workers = worker_count()
    if len(ids) < THRESHOLD or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return iter([renderer.entry_pages(ids)])
    global _renderer
    _renderer = renderer
    pool = multiprocessing.get_context("fork").Pool(workers)
    size = max(1, -(-len(ids) // (workers * RUNS_PER_WORKER)))
    pending = [pool.apply_async(_render_run, (ids[i : i + size],)) for i in range(0, len(ids), size)]
    pool.close()
    return _collect(pool, pending)


def _collect(pool, pending) -> Iterator[PagesPart]:
    global _renderer
    try:
        pending.reverse()
        while pending:  # dropped once taken: the pages are not held twice
            yield pending.pop().get()
        pool.join()
    finally:
        pool.terminate()
        _renderer = None


def _render_run(ids: list[str]) -> PagesPart:
    assert _renderer is not None, "workers are forked from a process that set the renderer"
    return _renderer.entry_pages(ids)
