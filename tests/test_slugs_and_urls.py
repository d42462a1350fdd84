"""Property tests: slugs and URLs."""

from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify

from somos_site.schema import TYPES
from somos_site.urls import output_file, page_path

titles = st.text(min_size=1, max_size=40)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
folders = st.sampled_from(sorted(TYPES))
langs = st.sampled_from(["en", "es"])


@given(titles)
def test_slugify_is_idempotent_so_a_slug_is_always_a_valid_file_name(title):
    slug = slugify(title)
    assert slugify(slug) == slug
    assert slug == slug.lower() and "/" not in slug and " " not in slug


@given(folders, slugs, langs, folders, slugs, langs)
def test_distinct_entries_get_distinct_urls(folder_a, slug_a, lang_a, folder_b, slug_b, lang_b):
    a, b = (folder_a, slug_a, lang_a), (folder_b, slug_b, lang_b)
    path_a, path_b = page_path(*a, "en"), page_path(*b, "en")
    if a != b and path_a == path_b:
        # The only way two entries meet is a page named like a type folder or a
        # language, and the resolve stage reports that as url-collision.
        pages = [x for x in (a, b) if x[0] == "pages"]
        assert pages and any(p[1] in TYPES or p[1] in ("es", "en") for p in pages)


@given(folders, slugs, langs)
def test_every_page_is_written_to_an_index_file_under_its_language(folder, slug, lang):
    path = page_path(folder, slug, lang, "en")
    assert output_file(path).endswith("index.html")
    assert path.startswith("es/") == (lang == "es")
