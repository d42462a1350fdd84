"""Say, on every source that has no archived copy on record, why: the fact sheet the site
is written from (facts.md, as corrected on 2026-12-04) gives no archive link for it.
Never records an archive that was not made. Re-running it changes nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REASON = {
    "en": "The site's fact sheet (as corrected on 4 December 2026) gives no archive link for this source.",
    "es": "La ficha de datos del sitio (corregida el 4 de diciembre de 2026) no da ningún enlace de archivo "
    "para esta fuente.",
}


def main() -> int:
    folder = (Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content") / "sources"
    count = 0
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        end = text.find("\n---", 3)
        if end < 0 or re.search(r"^(archive|no_archive):", text[:end], re.M):
            continue
        lang = "es" if path.name.endswith(".es.md") else "en"
        line = 'no_archive: "' + REASON[lang].replace('"', '\\"') + '"\n'
        path.write_text(text[: end + 1] + line + text[end + 1 :], encoding="utf-8")
        count += 1
    print(f"noted {count} source files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
