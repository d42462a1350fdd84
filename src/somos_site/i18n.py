"""Interface strings in several languages, through gettext catalogues.

Templates mark strings with `_()` (Jinja2's i18n extension). Each language has a
catalogue at `templates/locale/LANG/LC_MESSAGES/messages.po`, the format translators'
tools (Poedit, Weblate) and `pybabel extract/update` work with. The `.po` file is read at
build time, so there is no compiled `.mo` file to forget to regenerate.
"""

from __future__ import annotations

import gettext
import io
import itertools
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_path(templates_dir: Path, lang: str) -> Path:
    return templates_dir / "locale" / lang / "LC_MESSAGES" / "messages.po"


def load_translations(template_dirs: list[Path], lang: str) -> gettext.NullTranslations:
    """The catalogue for `lang`; a site's own catalogue wins over the default one."""
    found: list[gettext.NullTranslations] = []
    for folder in template_dirs:
        path = catalogue_path(folder, lang)
        if path.is_file():
            with path.open("rb") as po:
                catalogue = read_po(po, locale=lang)
            compiled = io.BytesIO()
            write_mo(compiled, catalogue)
            compiled.seek(0)
            found.append(gettext.GNUTranslations(compiled))
    if not found:
        return gettext.NullTranslations()
    for better, fallback in itertools.pairwise(found):
        better.add_fallback(fallback)
    return found[0]
