"""Set `source_revision` of translations to their original's current revision, for an edit
made to an original and its translations together (the translation is then up to date).

Usage: python tools/sync_revision.py content/figures/death-toll.es.md [...]"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path


def sync(translation: Path) -> None:
    original = translation.with_name(translation.name.replace(f".{translation.suffixes[-2][1:]}.md", ".md"))
    text = original.read_text(encoding="utf-8").replace("\r\n", "\n")
    current = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    body = translation.read_text(encoding="utf-8")
    translation.write_text(re.sub(r"(?m)^source_revision: \S+$", f"source_revision: {current}", body), "utf-8")
    print(f"{translation}: source_revision {current}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        sync(Path(name))
