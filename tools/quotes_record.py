"""Record the quotations the site already prints, exactly as the fact sheet gives them,
in their source records (`quotes:`), with the Spanish renderings the Spanish pages use
(translations by this site's editors), and the sources' other titles. Run once; running
it again changes nothing. Translations of the edited originals get their
`source_revision` brought up to date when they were current before."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from somos_site.review import revision_hash as content_hash  # noqa: E402

EDITORS = "the editors of this site"

# source slug -> YAML lines to append at the end of its front matter
BLOCKS: dict[str, list[str]] = {
    "distractify-2021": [
        "quotes:",
        "  - id: essentially-a-fiction",
        '    text: "Although Somos is grounded in true stories, it is essentially a fiction"',
        "    language: en",
        "    by: James Schamus",
        '    locator: "Schamus\'s Netflix post, as quoted by Distractify"',
        "    translations:",
        '      es: ["Aunque *Somos.* se basa en historias reales, es esencialmente una ficción"]',
        f"    translated_by: {EDITORS}",
    ],
    "seed": [
        "quotes:",
        "  - id: extra-in-the-corner",
        '    text: "the extra in the corner"',
        "    language: en",
        "    by: James Schamus",
        "    translations:",
        '      es: ["el extra en la esquina"]',
        f"    translated_by: {EDITORS}",
    ],
    "latimes-2021": [
        "quotes:",
        "  - id: frankly-fictionalizes",
        '    text: "frankly fictionalizes in its pursuit of the truth"',
        "    language: en",
        "    by: Robert Lloyd",
        "    translations:",
        '      es: ["ficcionaliza abiertamente en su búsqueda de la verdad"]',
        f"    translated_by: {EDITORS}",
    ],
    "thr-2021": [
        "quotes:",
        "  - id: bottom-line",
        '    text: "Humanistic texture compensates for clumsy plotting."',
        "    language: en",
        "    locator: bottom line",
        "    translations:",
        '      es: ["La textura humanista compensa una trama torpe"]',
        f"    translated_by: {EDITORS}",
    ],
    "propublica-2017": [
        'other_titles: ["Cómo Estados Unidos desencadenó una masacre en México", "Anatomía de una masacre"]',
        "quotes:",
        "  - id: fits-and-starts",
        '    text: "in fits and starts for weeks"',
        "    language: en",
        "    translations:",
        '      es: ["de manera intermitente durante semanas", "De forma intermitente durante semanas"]',
        f"    translated_by: {EDITORS}",
    ],
    "nsarchive-2021": [
        "quotes:",
        "  - id: three-day-rampage",
        '    text: "three-day rampage"',
        "    language: en",
        "    translations:",
        '      es: ["una embestida de tres días", "arremetida de tres días", "arremetida violenta de tres días"]',
        f"    translated_by: {EDITORS}",
        "  - id: title",
        '    text: "The Allende Massacre: A Decade of Impunity"',
        "    language: en",
        "    locator: title",
        "    translations:",
        '      es: ["La masacre de Allende: una década de impunidad"]',
        f"    translated_by: {EDITORS}",
    ],
    "propublica-wapo-2017": [
        "quotes:",
        "  - id: title",
        '    text: "Who Holds the DEA Accountable When Its Missions Cost Lives?"',
        "    language: en",
        "    locator: title",
        "    translations:",
        '      es: ["¿Quién le pide cuentas a la DEA cuando sus misiones cuestan vidas?"]',
        f"    translated_by: {EDITORS}",
    ],
    "colmex-yugo-2017": [
        "quotes:",
        "  - id: chapter-us-responsibility",
        '    text: "La responsabilidad de Estados Unidos"',
        "    language: es",
        "    locator: chapter title",
    ],
    "laprensacoahuila-2021": [
        "quotes:",
        "  - id: seventy-three-countries",
        '    text: "Mexico and 73 other countries"',
        "    language: en",
        "    by: \"La Prensa de Coahuila, as given in English in the site's research notes (its Spanish wording is "
        'not on record)"',
        "    translations:",
        '      es: ["México y otros 73 países"]',
        f"    translated_by: {EDITORS}",
    ],
    "texasmonthly-2018": [
        "quotes:",
        "  - id: estimated-sixty",
        '    text: "estimated sixty"',
        "    language: en",
        "    translations:",
        '      es: ["unos sesenta, según estimaciones"]',
        f"    translated_by: {EDITORS}",
    ],
    "filmmaker-2021": [
        "quotes:",
        "  - id: created-by-mexicans",
        '    text: "created by Mexicans"',
        "    language: en",
        "    by: James Schamus",
        '    locator: "Schamus\'s Netflix statement"',
        "  - id: participant-observer",
        '    text: "participant-observer"',
        "    language: en",
        "    by: James Schamus",
        '    locator: "Schamus\'s Netflix statement"',
        "    translations:",
        '      es: ["observador participante"]',
        f"    translated_by: {EDITORS}",
    ],
}


def append(path: Path, lines: list[str]) -> bool:
    text = path.read_text(encoding="utf-8")
    first = lines[0].split(":", 1)[0]
    if re.search(rf"^{first}:", text, re.M):
        return False
    end = text.index("\n---", 3)
    path.write_text(text[: end + 1] + "\n".join(lines) + "\n" + text[end + 1 :], encoding="utf-8")
    return True


def main() -> int:
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    for slug, lines in BLOCKS.items():
        original = content / "sources" / f"{slug}.md"
        translation = original.with_suffix(".es.md")
        before = content_hash(original.read_text(encoding="utf-8"))
        if not append(original, lines):
            print(f"already recorded: {slug}")
            continue
        after = content_hash(original.read_text(encoding="utf-8"))
        if translation.exists():
            text = translation.read_text(encoding="utf-8")
            text = re.sub(rf'^source_revision: "?{before}"?$', f"source_revision: {after}", text, flags=re.M)
            translation.write_text(text, encoding="utf-8")
        print(f"recorded: {slug}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
