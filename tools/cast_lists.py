"""Give every episode a `cast:` list made from the characters whose `appears_in` names it,
so that the build checks the two against each other from now on (`cast-mismatch`).
The translations get the same list (a list of ids is not translated) and, when they were
current, their recorded revision of the original is brought up to date."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from somos_site.review import revision_hash  # noqa: E402


def main() -> int:
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    casts: dict[str, list[str]] = {}
    for path in sorted((content / "characters").glob("*.md")):
        if path.name.count(".") > 1:
            continue
        match = re.search(r"^appears_in: \[([^\]]*)\]", path.read_text(encoding="utf-8"), re.M)
        for episode in (e.strip() for e in (match.group(1).split(",") if match else [])):
            if episode:
                casts.setdefault(episode, []).append(f"characters/{path.stem}")
    for episode, cast in sorted(casts.items()):
        original = content / f"{episode}.md"
        before = revision_hash(original.read_text(encoding="utf-8"))
        line = f"cast: [{', '.join(sorted(cast))}]\n"
        for path in (original, original.with_suffix(".es.md")):
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            end = text.index("\n---", 3)
            head = re.sub(r"^cast: \[[^\]]*\]\n", "", text[: end + 1], flags=re.M)
            path.write_text(head + line + text[end + 1 :], encoding="utf-8")
        translation = original.with_suffix(".es.md")
        if translation.exists():
            after = revision_hash(original.read_text(encoding="utf-8"))
            text = translation.read_text(encoding="utf-8")
            text = re.sub(rf'^source_revision: "?{before}"?$', f"source_revision: {after}", text, flags=re.M)
            translation.write_text(text, encoding="utf-8")
        print(f"{episode}: {len(cast)} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
