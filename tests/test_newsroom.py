"""The editorial model: protected names, legal status, fiction-model contradictions,
structured corrections and review states, on copies of the minimal fixture site."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import MINIMAL, run_cli

from somos_site.review import content_hash, stamp_text
from somos_site.sensitivity import fold


@pytest.fixture
def site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MINIMAL / "content", content)
    return content


def check(content: Path, *extra: str):
    return run_cli(["check", "--content", str(content), *extra])


def build(content: Path, out: Path, *extra: str):
    return run_cli(["build", "--content", str(content), "--out", str(out), *extra])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- sensitivity ------------------------------------------------------------------------


def test_a_protected_person_is_never_published(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".xml"))
    assert "Withheld" not in everything and "withheld" not in everything
    assert not (out / "people" / "withheld").exists()


def test_the_name_without_accents_or_case_is_still_found(site):
    edit(site / "people" / "withheld.md", "title: Nadia Withheld", "title: Nádia Withheld")
    page = site / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA survivor, NADIA WITHHELD, was a child.\n", encoding="utf-8")
    result = check(site)
    assert result.code == 1
    assert re.search(r"pages/about\.md:\d+:\d+: error\[name-protected\]", result.err)


def test_a_name_that_only_the_configuration_prints_is_found_in_the_output(site):
    edit(site / "site.yaml", 'description: "', 'description: "Nadia Withheld. ')
    result = check(site)
    assert result.code == 1
    assert re.search(r"_site/[^:]*\.(html|xml):\d+:\d+: error\[name-protected\]", result.err), result.err


def test_a_link_to_a_protected_person_is_refused(site):
    page = site / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [[people/withheld]].\n", encoding="utf-8")
    result = check(site)
    assert "error[name-protected]: 'people/withheld' is a protected person" in result.err


def test_an_implicated_person_needs_a_legal_status(site):
    edit(site / "people" / "boss.md", "legal_status: charged\n", "")
    result = check(site)
    assert "people/boss.md:4:8: error[legal-status-missing]" in result.err


def test_fold_keeps_offsets():
    assert fold("José Ñandú") == "jose nandu"
    assert len(fold("Érika İ")) == len("Érika İ")


# -- fiction model ----------------------------------------------------------------------


def test_inspired_by_without_a_target_is_a_contradiction(site):
    edit(site / "characters" / "hero.md", "    target: places/town\n", "")
    result = check(site)
    assert "error[relation-contradiction]: a 'inspired_by' relation without a target" in result.err


def test_composite_and_invented_together_is_a_contradiction(site):
    edit(
        site / "characters" / "hero.md",
        "  - relation: inspired_by\n    target: places/town\n",
        "  - relation: invented\n",
    )
    result = check(site)
    assert "error[relation-contradiction]: this character is both a composite of real elements and invented" in (
        result.err
    )


def test_a_character_missing_from_the_cast_it_claims(site):
    edit(site / "episodes" / "1.md", "cast: [characters/hero]", "cast: [characters/hero, characters/nobody]")
    result = check(site)
    assert "error[ref-missing]: no entry 'characters/nobody'" in result.err
    edit(site / "episodes" / "1.md", "cast: [characters/hero, characters/nobody]", "cast: [characters/hero]")
    edit(site / "characters" / "hero.md", "appears_in: [episodes/1]", "appears_in: []")
    result = check(site)
    assert "error[cast-mismatch]: the cast lists 'characters/hero'" in result.err


# -- corrections -----------------------------------------------------------------------


def test_two_corrections_on_one_date_have_distinct_feed_ids(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    feed = (out / "corrections.xml").read_text(encoding="utf-8")
    ids = re.findall(r"<entry>\s*<id>([^<]+)</id>", feed)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_corrections_reach_the_page_the_log_and_the_json_ld(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    page = (out / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="[^"]*\bcorrection-notice\b', page) and 'id="correction-2026-11-30-2"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment", "CorrectionComment"]
    log = (out / "corrections" / "index.html").read_text(encoding="utf-8")
    assert log.count("<dt>The page said</dt>") == 2 and "/events/the-raid/#correction-2026-11-30-1" in log
    assert (out / "es" / "corrections" / "index.html").is_file()


def test_a_correction_that_was_not_applied(site):
    edit(site / "events" / "the-raid.md", "began on 18 March 2011 [@", "began on 19 March 2011 [@")
    result = check(site)
    assert "warning[correction-not-applied]" in result.err


# -- review states ---------------------------------------------------------------------


def test_stamping_records_the_hash_check_compares(site):
    about = site / "pages" / "about.md"
    about.write_text(stamp_text(about.read_text(encoding="utf-8"), "2026-12-04", "a test"), encoding="utf-8")
    assert "review-stale" not in check(site).err
    assert content_hash(about.read_text(encoding="utf-8")) == re.search(r"hash: (\w+)", about.read_text()).group(1)
    about.write_text(about.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    assert "warning[review-stale]" in check(site).err


def test_stamping_does_not_change_a_translations_revision(site):
    index = site / "pages" / "index.md"
    before = content_hash(index.read_text(encoding="utf-8"))
    index.write_text(stamp_text(index.read_text(encoding="utf-8"), "2026-12-04", "a test"), encoding="utf-8")
    assert content_hash(index.read_text(encoding="utf-8")) == before


def test_an_entry_in_review_is_left_out_unless_drafts(site, tmp_path):
    about = site / "pages" / "about.md"
    edit(about, "title: About\n", "title: About\nreview:\n  state: in-review\n")
    result = build(site, tmp_path / "out")
    assert "warning[review-pending]" in result.err
    assert not (tmp_path / "out" / "about").exists()
    assert build(site, tmp_path / "drafts", "--drafts").code == 0
    assert (tmp_path / "drafts" / "about" / "index.html").is_file()


def test_the_page_says_when_it_was_fact_checked(site, tmp_path):
    assert build(site, tmp_path / "out").code == 0
    page = (tmp_path / "out" / "people" / "boss" / "index.html").read_text(encoding="utf-8")
    assert "Fact-checked on 30 November 2026 against the report of 2017-11 (fixture)." in page
    assert "Charged (not convicted)" in page


# -- archives, quotes, open data ---------------------------------------------------------


def test_archive_links_reach_the_source_page_and_the_notes(site, tmp_path):
    assert build(site, tmp_path / "out").code == 0
    source = (tmp_path / "out" / "sources" / "report-2017" / "index.html").read_text(encoding="utf-8")
    assert "https://web.archive.org/web/20261120000000/https://example.org/report" in source
    event = (tmp_path / "out" / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert "archived copy of 20 November 2026" in event


def test_a_source_without_archive_is_reported_only_under_strict(site):
    edit(site / "sources" / "review-2021.md", 'no_archive: "The publisher blocks web archives (fixture)."\n', "")
    assert "archive-missing" not in check(site).err
    assert "review-2021' has no archived copy" in check(site, "--strict").err


def test_a_quote_reference_prints_the_recorded_wording_and_marks_a_translation(site, tmp_path):
    assert build(site, tmp_path / "out").code == 0
    english = (tmp_path / "out" / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert '<q lang="en">We called all night and no one came</q>' in english
    spanish = (tmp_path / "out" / "es" / "index.html").read_text(encoding="utf-8")
    assert '<q lang="es">Llamamos toda la noche y nadie vino</q>' in spanish
    assert 'href="/es/sources/report-2017/#quote-no-one-came">traducción; original</a>' in spanish


def test_a_typed_quotation_that_drifts_from_the_record_is_an_error(site):
    edit(
        site / "events" / "the-raid.md",
        '"We called all night and no one came"',
        '"We called all night and nobody came"',
    )
    result = check(site)
    assert "error[quote-mismatch]" in result.err
    assert 'did you mean "We called all night and no one came"?' in result.err


def test_an_unknown_quote_id_is_reported_with_a_suggestion(site):
    edit(site / "events" / "the-raid.md", '[@report-2017 "no-one-came"]', '[@report-2017 "no-one-cam"]')
    result = check(site)
    assert "error[quote-unrecorded]: the source 'report-2017' records no quote 'no-one-cam'" in result.err
    assert "did you mean 'no-one-came'?" in result.err


def test_data_files_per_language_with_the_licence(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    for lang in ("", "es/"):
        for name in ("figures", "timeline", "claims", "sources"):
            assert (out / f"{lang}data/{name}.csv").is_file()
            data = json.loads((out / f"{lang}data/{name}.json").read_text(encoding="utf-8"))
            assert data["licence"]["name"] == "CC BY 4.0" and data["records"]
    rows = (out / "data" / "figures.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("figure,figure_title,unit,value,label,given_by") and len(rows) == 3
    assert 'href="/data/figures.csv"' in (out / "figures" / "index.html").read_text(encoding="utf-8")


def test_cite_this_page_and_last_updated_come_from_the_content(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    page = (out / "events" / "the-raid" / "index.html").read_text(encoding="utf-8")
    assert "note = {Last updated 2026-11-30}" in page
    assert '"URL": "https://example.org/events/the-raid/"' in html.unescape(page)
    assert 'Last updated: <time datetime="2026-11-30">' in page
    assert 'href="mailto:editors@example.org?subject=Error%20on%20https%3A//example.org/events/the-raid/"' in page
    about = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert 'Last updated: <time datetime="2026-11-24">' in about  # no own date: the site's publication


def test_data_without_a_licence_is_reported_under_strict(site):
    text = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(text.split("data_licence:")[0] + 'report_error: "pages/about"\n', encoding="utf-8")
    assert "data-licence-missing" in check(site, "--strict").err
