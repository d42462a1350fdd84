"""What a new user meets first: `init`, the project found from a subfolder, the theme and
its file-by-file overrides, forgiving command and type names, a busy port, plain YAML
errors, a translation scaffold and the placeholder base URL."""

from __future__ import annotations

import contextlib
import io
import os
import socket
from pathlib import Path

import pytest
from helpers import REPO

from somos_site import cli, serve, theme
from somos_site.check import text_revision


def somos(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the `somos-site` console script in-process from `cwd` (no project root given:
    the CLI finds it, as the installed command does)."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(args)
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    code, out, err = somos(["init", "my-site"], tmp_path)
    assert code == 0, err
    assert "somos-site serve" in out
    return tmp_path / "my-site"


def test_init_writes_one_entry_of_every_type_that_passes_strict_checks(new_site):
    from somos_site.schema import TYPES

    assert {p.parent.name for p in (new_site / "content").glob("*/*.md")} == set(TYPES)
    code, _, err = somos(["check", "--strict"], new_site)
    assert code == 0, err
    code, _, err = somos(["build", "--strict", "--base-url", "https://example.net/companion/"], new_site)
    assert code == 0, err
    page = (new_site / "_site" / "events" / "the-event" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.net/companion/events/the-event/"' in page
    assert "how-this-site-works" in (new_site / "_site" / "index.html").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(new_site):
    code, _, err = somos(["init", str(new_site)], new_site.parent)
    assert code == 2 and "not empty" in err
    assert (new_site / "content" / "site.yaml").is_file()


def test_the_project_is_found_from_any_subfolder(new_site):
    code, out, err = somos(["check"], new_site / "content" / "events")
    assert code == 0, err
    assert "no errors" in out
    assert not (new_site / "content" / "events" / "_report").exists()
    assert (new_site / "_report" / "index.html").is_file()


def test_no_site_found_points_to_init(tmp_path):
    code, _, err = somos(["build"], tmp_path)
    assert code == 2
    assert "no content/site.yaml" in err and "somos-site init DIR" in err
    assert "Traceback" not in err


def test_a_sites_own_templates_and_static_files_override_the_theme_file_by_file(new_site):
    (new_site / "static").mkdir()
    (new_site / "static" / "style.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    (new_site / "templates").mkdir()
    (new_site / "templates" / "place.html").write_text(
        '{% extends "entry.html" %}{% block facts %}<p id="own-template">{{ page.fields.kind }}</p>{% endblock %}',
        encoding="utf-8",
    )
    code, _, err = somos(["build", "--base-url", "https://example.net/"], new_site)
    assert code == 0, err
    out = new_site / "_site"
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body { color: rebeccapurple; }\n"
    assert (out / "static" / "search.js").read_bytes() == (theme.static_dir() / "search.js").read_bytes()
    assert 'id="own-template"' in (out / "places" / "the-town" / "index.html").read_text(encoding="utf-8")
    # Every other page still comes from the theme's templates.
    assert 'id="own-template"' not in (out / "events" / "the-event" / "index.html").read_text(encoding="utf-8")


def test_the_theme_is_the_repositorys_templates_and_static_folders_in_a_checkout():
    assert theme.templates_dir() == REPO / "templates"
    assert theme.static_dir() == REPO / "static"


@pytest.mark.parametrize(("typed", "folder"), [("event", "events"), ("events", "events"), ("Person", "people")])
def test_new_takes_singular_and_plural_type_names(new_site, typed, folder):
    code, out, err = somos(["new", typed, "A new one"], new_site)
    assert code == 0, err
    assert Path(out.strip()) == new_site / "content" / folder / "a-new-one.md"


def test_unknown_types_and_commands_get_a_did_you_mean(new_site):
    code, _, err = somos(["new", "evnt", "Title"], new_site)
    assert code == 2 and "unknown content type 'evnt'; did you mean 'event'?" in err
    code, _, err = somos(["buidl"], new_site)
    assert code == 2 and "unknown command 'buidl'; did you mean 'build'?" in err
    assert not (new_site / "_site").exists()


def test_serve_takes_the_next_free_port_unless_one_was_asked_for(monkeypatch, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        busy = taken.getsockname()[1]
        monkeypatch.setattr(serve, "DEFAULT_PORT", busy)
        chosen = serve.choose_port("127.0.0.1", None)
        assert chosen != busy and serve.port_is_free("127.0.0.1", chosen)
        assert f"port {busy} is busy; using port {chosen} instead" in capsys.readouterr().err
        with pytest.raises(serve.PortBusyError, match=f"port {busy} is already in use"):
            serve.choose_port("127.0.0.1", busy)


def test_serve_on_a_busy_explicit_port_is_a_clear_error(new_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        code, _, err = somos(["serve", "--port", str(busy)], new_site)
    assert code == 2
    assert f"port {busy} is already in use" in err and "internal error" not in err


def test_a_tab_in_front_matter_is_explained_with_the_caret_on_the_tab(new_site):
    page = new_site / "content" / "places" / "the-town.md"
    page.write_text(page.read_text(encoding="utf-8").replace("kind: town", "kind: town\n\tweight: 1"), "utf-8")
    code, _, err = somos(["check"], new_site)
    assert code == 1
    assert "places/the-town.md:5:1: error[yaml-syntax]: a tab character in the indentation" in err
    assert "  5 | →weight: 1\n    | ^\n" in err
    assert "hint: YAML does not allow tabs for indentation; use spaces" in err


def test_an_unclosed_list_points_at_its_opening_bracket(new_site):
    page = new_site / "content" / "events" / "the-event.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("places: [places/the-town]", "places: [places/the-town"), encoding="utf-8")
    code, _, err = somos(["check"], new_site)
    assert code == 1
    assert "the-event.md:5:9: error[yaml-syntax]: the list opened here is never closed with ']'" in err


def test_a_translation_scaffold_records_the_revision_it_translates(new_site):
    config = new_site / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  en: English", "  en: English\n  es: Español"))
    original = new_site / "content" / "events" / "the-event.md"
    code, out, err = somos(["new", "event", "El suceso", "--lang", "es", "--from", "events/the-event"], new_site)
    assert code == 0, err
    made = Path(out.strip())
    assert made == original.with_name("the-event.es.md")
    text = made.read_text(encoding="utf-8")
    assert 'title: "El suceso"' in text
    assert f"source_revision: {text_revision(original.read_text(encoding='utf-8'))}" in text

    code, _, err = somos(["check"], new_site)
    errors = [line for line in err.splitlines() if "error[" in line]
    assert code == 1 and errors and all("the-event.es.md" in e and "[placeholder]" in e for e in errors), err
    assert "the-event.es.md" not in "".join(line for line in err.splitlines() if "translation-" in line)

    made.write_text("\n".join(line for line in text.split("\n") if not line.startswith("TODO")), encoding="utf-8")
    code, _, err = somos(["check"], new_site)
    assert code == 0 and "the-event.es.md" not in err, err

    original.write_text(original.read_text(encoding="utf-8") + "\nOne more sentence [@example-report].\n")
    code, _, err = somos(["check"], new_site)
    assert (
        "warning[translation-stale]: this translation was made from an older revision of "
        "content/events/the-event.md, which has changed since" in err
    )


def test_a_translation_of_a_missing_entry_or_into_an_unknown_language_is_refused(new_site):
    code, _, err = somos(["new", "event", "X", "--lang", "fr", "--from", "events/the-event"], new_site)
    assert code == 2 and "no language 'fr'" in err
    config = new_site / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  en: English", "  en: English\n  es: Español"))
    code, _, err = somos(["new", "event", "X", "--lang", "es", "--from", "events/the-evnt"], new_site)
    assert code == 2 and "did you mean 'events/the-event'?" in err


def test_build_warns_about_the_placeholder_base_url_but_check_and_an_explicit_url_do_not(new_site):
    code, _, err = somos(["build"], new_site)
    assert code == 0 and "warning[base-url-placeholder]" in err and "--base-url" in err
    code, _, err = somos(["check", "--strict"], new_site)
    assert code == 0 and "base-url-placeholder" not in err
    code, _, err = somos(["build", "--strict", "--base-url", "https://example.net/"], new_site)
    assert code == 0 and "base-url-placeholder" not in err
    code, _, err = somos(["build", "--strict"], new_site)
    assert code == 1 and "error[base-url-placeholder]" in err


def test_a_missing_source_hint_names_the_command_that_adds_it(new_site):
    page = new_site / "content" / "places" / "the-town.md"
    page.write_text(page.read_text(encoding="utf-8").replace("[@example-report]", "[@unheard-of-2020]"), "utf-8")
    code, _, err = somos(["check"], new_site)
    assert code == 1
    assert 'hint: add its record: `new sources "unheard-of-2020"` writes content/sources/unheard-of-2020.md' in err


@pytest.mark.parametrize(
    ("field", "message", "caret"),
    [
        ("kind: town\n\t", "a tab character in the indentation", "5:1"),
        ("kind: town\nweight: @1", "a value cannot start with '@'", "5:9"),
        ('kind: "town', "a quoted value is never closed", "4:7"),
        ('kind: "to\\wn"', "a backslash in double quotes starts an escape", "4:10"),
        ("kind: to\x07wn", "a control character (#x0007) that YAML does not allow", "4:9"),
        ("kind: town\nweight", "a line with no ':' after its field name", "5:1"),
    ],
)
def test_yaml_mistakes_are_said_in_plain_words_at_the_right_character(new_site, field, message, caret):
    page = new_site / "content" / "places" / "the-town.md"
    page.write_text(page.read_text(encoding="utf-8").replace("kind: town", field), encoding="utf-8")
    code, _, err = somos(["check"], new_site)
    assert code == 1
    assert f"places/the-town.md:{caret}: error[yaml-syntax]: {message}" in err
    assert "hint: " in err.split("error[yaml-syntax]")[1]
