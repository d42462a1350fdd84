"""Interface strings: every string the templates or the code show has a Spanish translation."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from helpers import REPO

from somos_site.i18n import load_translations
from somos_site.messages import interface_messages


def template_messages() -> set[str]:
    found = set()
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    for _, _, message, _, _ in extract_from_dir(REPO / "templates", [("**.html", "jinja2")], options):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_is_translated_into_spanish():
    with (REPO / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted((template_messages() | interface_messages()) - set(translated))
    assert missing == []
    placeholders = [m.id for m in catalogue if m.id and "%(" in m.id and m.id.count("%(") != m.string.count("%(")]
    assert placeholders == []


def test_catalogue_is_read_from_the_po_file():
    spanish = load_translations([REPO / "templates"], "es")
    assert spanish.gettext("Skip to content") == "Saltar al contenido"
    assert load_translations([REPO / "templates"], "en").gettext("Skip to content") == "Skip to content"
