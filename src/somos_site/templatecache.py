"""What the renderer can keep between builds: compiled templates and read catalogues.

Compiling the templates and reading the `.po` catalogues cost more than rendering the
few pages one edit changes. Both are kept in this process (the dev server rebuilds in
it) and compiled templates also on disk beside the Markdown cache (for the next `build`).
Neither can be stale: a compiled template is looked up by its name and file and used
only when the checksum of its source matches (Jinja's `BytecodeCache` contract), and a
catalogue is reused only while its file has the same size and modification time."""

from __future__ import annotations

import gettext
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import jinja2

from somos_site.i18n import catalogue_path


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, in memory for this process and in `folder` if given.
    `signature` names the environment's settings: other settings, other code."""

    memory: ClassVar[dict[str, bytes]] = {}  # shared by every build in this process

    def __init__(self, folder: Path | None, signature: str) -> None:
        self.folder = folder
        self.signature = signature

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = hashlib.sha256(f"{self.signature}|{jinja2.__version__}|{name}|{filename}".encode())
        return key.hexdigest()

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is None and self.folder is not None:
            try:
                data = self.path(bucket.key).read_bytes()
            except OSError:
                return
        if data is not None:
            bucket.bytecode_from_string(data)  # resets the bucket if the source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        if self.folder is None:
            return
        target = self.path(bucket.key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written only costs time


_catalogues: dict[tuple, gettext.NullTranslations] = {}


def translations(
    template_dirs: list[Path], lang: str, load: Callable[[list[Path], str], gettext.NullTranslations]
) -> gettext.NullTranslations:
    """`load(template_dirs, lang)`, reused while no catalogue file changed."""
    stamps = []
    for folder in template_dirs:
        path = catalogue_path(folder, lang)
        try:
            stat = path.stat()
            stamps.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((str(path), None, None))
    key = (lang, tuple(stamps))
    found = _catalogues.get(key)
    if found is None:
        found = _catalogues[key] = load(template_dirs, lang)
    return found
