"""Results of the last build reused by the next one, for the work a build does per entry
or per page across the whole site (resolving references, the content checks, the link
check), so that a one-file edit in `serve` costs what it changes, not what the site holds.

A result is reused only when every input it was computed from is the very object the
last build used: an unchanged file keeps its validated entry and rendered body between
builds (validate and markdown reuse them), so an identity test says "unchanged" without
comparing contents. What a result reads of the rest of the site is listed with its
inputs (the entries a page links to, the figures, the translations), and what every
result depends on (the set of ids, the site's languages) is a `context`: when it
differs, nothing is reused. `tests/test_incremental.py` proves the results equal to a
full build's after every kind of edit."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from operator import is_
from typing import Any

MISSING = object()


class Memo:
    """Per-key results and the inputs they were computed from."""

    def __init__(self, by_value: bool = False) -> None:
        self.by_value = by_value  # inputs compared by value (strings, hashes), else by identity
        self.context: object = MISSING
        self.saved: dict[Hashable, tuple[tuple, Any]] = {}
        self.aggregate: Any = None  # what the caller sums over the results, kept with them

    def start(self, context: object) -> None:
        """Begin a build whose results all depend on `context` (compared by value)."""
        if self.context is MISSING or self.context != context:
            self.saved = {}
            self.aggregate = None
        self.context = context

    def get(self, key: Hashable, inputs: tuple) -> Any:
        """The result stored for `key` if its inputs are the same objects, else MISSING."""
        found = self.saved.get(key)
        if found is None:
            return MISSING
        old = found[0]
        # map(is_) runs in C: this is called once per entry or page on every rebuild.
        if old == inputs if self.by_value else len(old) == len(inputs) and all(map(is_, old, inputs)):
            return found[1]
        return MISSING

    def put(self, key: Hashable, inputs: tuple, result: Any) -> Any:
        self.saved[key] = (inputs, result)
        return result

    def cached(self, key: Hashable, inputs: tuple, compute: Callable[[], Any]) -> Any:
        found = self.get(key, inputs)
        return self.put(key, inputs, compute()) if found is MISSING else found

    def keep(self, keys: Iterable[Hashable]) -> None:
        """Forget the keys of entries or pages that no longer exist."""
        # A dictionary's keys compare with the saved ones in C, without a set of 10,000 made.
        wanted = keys.keys() if isinstance(keys, dict) else set(keys)
        if len(wanted) != len(self.saved) or self.saved.keys() != wanted:
            self.saved = {k: v for k, v in self.saved.items() if k in wanted}


def memo(memos: dict[str, Memo] | None, name: str, by_value: bool = False) -> Memo:
    """The memo called `name` in a build state's `memos` (a throwaway one without state)."""
    if memos is None:
        return Memo(by_value)
    found = memos.get(name)
    if found is None:
        found = memos[name] = Memo(by_value)
    return found
