"""The output tree of a build: site-relative path -> bytes.

A file is held in memory when this build rendered it, or, when it is unchanged since the
published build the persistent build state describes, read from the published folder on
demand. So a warm build neither keeps nor rewrites pages it did not render again, and
every reader (the link check, the publish step, the tests) still sees one mapping.

A publishing build also streams its entry pages to a spool folder as they are rendered
(`spooled`: read from there on demand, hard-linked into the staging folder), so a large
site's pages are never all in memory at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class SiteFiles(Mapping[str, bytes]):
    def __init__(
        self,
        memory: Mapping[str, bytes] | None = None,
        on_disk: Mapping[str, str] | None = None,
        root: Path | None = None,
        published: frozenset[str] = frozenset(),
        spooled: Mapping[str, tuple[str, int, Path]] | None = None,
    ) -> None:
        self.memory: dict[str, bytes] = dict(memory or {})
        # path -> (content hash, length, the spool folder holding the file at that path)
        self.spooled: dict[str, tuple[str, int, Path]] = {
            p: s for p, s in (spooled or {}).items() if p not in self.memory
        }
        self.on_disk: dict[str, str] = {
            p: d for p, d in (on_disk or {}).items() if p not in self.memory and p not in self.spooled
        }
        self.root = root  # the published folder holding the files `on_disk` names
        self._keys = sorted({*self.memory, *self.spooled, *self.on_disk})
        self._digests: dict[str, str] = {}
        self.published = published  # every file of the published build at `root`

    def __getitem__(self, path: str) -> bytes:
        if path in self.memory:
            return self.memory[path]
        if path in self.spooled:
            return (self.spooled[path][2] / path).read_bytes()
        if path in self.on_disk and self.root is not None:
            return (self.root / path).read_bytes()
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return path in self.memory or path in self.spooled or path in self.on_disk

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def digest(self, path: str) -> str:
        """A content hash of the file, without reading a file kept on disk."""
        if path in self.on_disk:
            return self.on_disk[path]
        if path in self.spooled:
            return self.spooled[path][0]
        found = self._digests.get(path)
        if found is None:
            found = self._digests[path] = digest(self.memory[path])
        return found

    def published_copy(self, path: str) -> Path | None:
        """The published file this one is identical to, when it was not rendered again."""
        return self.root / path if path in self.on_disk and self.root is not None else None

    def spool_copy(self, path: str) -> Path | None:
        """The spooled file holding this one's bytes, when it was streamed to a spool."""
        return self.spooled[path][2] / path if path in self.spooled else None

    def size(self, path: str) -> int:
        """The file's length in bytes as rendered (for a spooled file, as recorded when it
        was rendered: a spool cut short by a full disk must not vouch for itself)."""
        if path in self.spooled:
            return self.spooled[path][1]
        return len(self[path])

    def kept_with(self, fresh: Mapping[str, bytes], kept: set[str]) -> SiteFiles:
        """The files `fresh`, plus the files `kept` of this tree (as this tree holds them).
        A fresh file identical to the published one stays a reference to it: rendered
        again, it is still not rewritten."""
        memory = {p: self.memory[p] for p in kept if p in self.memory}
        spooled = {p: self.spooled[p] for p in kept if p in self.spooled}
        on_disk = {p: self.on_disk[p] for p in kept if p in self.on_disk}
        streamed = fresh.spooled if isinstance(fresh, SiteFiles) else {}
        for path in fresh:
            if path in streamed:
                if self.on_disk.get(path) == streamed[path][0]:
                    on_disk[path] = self.on_disk[path]
                else:
                    spooled[path] = streamed[path]
                continue
            data = fresh[path]
            if path in self.on_disk and self.on_disk[path] == digest(data):
                on_disk[path] = self.on_disk[path]
            else:
                memory[path] = data
        return SiteFiles(memory, on_disk, self.root, self.published, spooled)

    def in_memory(self) -> SiteFiles:
        """This tree with its spooled files read back into memory (before a spool is
        deleted while the tree is still in use)."""
        memory = {**self.memory, **{p: self[p] for p in self.spooled}}
        return SiteFiles(memory, self.on_disk, self.root, self.published)

    def as_published(self, root: Path) -> SiteFiles:
        """This tree once published at `root`: every file referenced there by its hash."""
        keys = frozenset(self._keys)
        return SiteFiles(on_disk={p: self.digest(p) for p in self._keys}, root=root, published=keys)

    def same_as_published(self, root: Path) -> bool:
        """Is this exactly the tree already published at `root` (nothing to write)?"""
        return (
            not self.memory
            and not self.spooled
            and self.root is not None
            and self.root.absolute() == root.absolute()
            and self.published == frozenset(self.on_disk)
        )

    def html_changed(self) -> bool:
        """Does any page differ from the published build (so the search index must be made again)?"""
        if self.root is None or any(p.endswith(".html") for p in (*self.memory, *self.spooled)):
            return True
        return {p for p in self.published if p.endswith(".html")} != {p for p in self.on_disk if p.endswith(".html")}
