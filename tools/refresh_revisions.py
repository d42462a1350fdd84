"""Set `source_revision` of the given translations to their original's current revision.

Use it only for a translation that is known to be current (its text already follows the
original), e.g. after editorial records were added to the original, or after a merge in
which both sides kept the translation current and only the recorded revision conflicts."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from somos_site.review import revision_hash


def main(paths: list[str]) -> int:
    for name in paths:
        translation = Path(name)
        original = translation.with_name(translation.name.split(".")[0] + ".md")
        current = revision_hash(original.read_text(encoding="utf-8"))
        text = translation.read_text(encoding="utf-8")
        updated = re.sub(r'^source_revision: "?[0-9a-f]{12}"?$', f"source_revision: {current}", text, flags=re.M)
        if updated != text:
            translation.write_text(updated, encoding="utf-8")
            print(f"{translation}: {current}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
