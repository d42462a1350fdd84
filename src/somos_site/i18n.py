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


def interface_messages() -> set[str]:
    """Strings the Python side hands to templates for translation (labels of types,
    verdicts, realms, relations, inverse relations, navigation and kinds)."""
    import dataclasses
    import typing

    from somos_site import render, schema, serve

    messages = {"Home", "Map of the places in this story", "Places with a sourced coordinate:", "fiction"}
    messages.add("%(figure)s: every value, in %(unit)s, and who gives it")
    # The graphics' words (render.Renderer.figure_chart, map_graphic, timeline_graphic).
    messages.update(render.GRAPHIC_MESSAGES)
    messages.update(("from %(day)s; end disputed", "from %(start)s; end disputed"))  # dates.FuzzyDate.format
    messages.update(label for label, _ in render.NAV)
    messages.update(serve.OVERLAY_STRINGS)
    for content_type in schema.TYPES.values():
        messages.update((content_type.label, content_type.singular.capitalize()))
        for cls in (content_type.fields, schema.Relation, schema.FigureValue):
            for field in dataclasses.fields(cls):
                if field.metadata.get("inverse"):
                    messages.add(field.metadata["inverse"])
    labels_of = (schema.VERDICT_LABELS, schema.REALM_LABELS, schema.RELATION_LABELS, schema.SOURCE_KIND_LABELS)
    for labels in (*labels_of, schema.FIGURE_KIND_LABELS):
        messages.update(labels.values())
    for kinds in (schema.PlaceKind, schema.OrgKind):
        messages.update(kind.replace("-", " ").capitalize() for kind in typing.get_args(kinds))
    return messages
