"""The site map: each page declares its own URL keys once, and no page's key is a shared filter's key (a key
means one thing wherever a link lands)."""

from __future__ import annotations

import pytest

from landscape import board, filters, sitemap

SHARED_KEYS = {spec.key for spec in filters.FILTERS} | {filters.TEXT_KEY}


@pytest.mark.parametrize("page", sitemap.PAGES, ids=[p.name for p in sitemap.PAGES])
def test_a_page_owns_keys_no_shared_filter_uses(page):
    assert not set(page.url_keys) & SHARED_KEYS, f"{page.name}: {sorted(set(page.url_keys) & SHARED_KEYS)}"
    assert len(set(page.url_keys)) == len(page.url_keys), f"{page.name} lists a key twice"


def test_the_overlap_check_can_fail():
    clashing = sitemap.PageSpec("x", "X", "", "pages/x.py", ("view", "line"))
    assert set(clashing.url_keys) & SHARED_KEYS == {"line"}


def test_the_board_keys_are_its_profile_and_the_projector_view():
    assert sitemap.BY_NAME["board"].url_keys == board.URL_KEYS
    assert set(board.PROFILE_KEYS) == {"line", "her2", "cps", "prior", "agency", "countries", "since"}
    assert board.PRESENT_KEY in board.URL_KEYS and board.PRESENT_KEY not in SHARED_KEYS


def test_names_and_slugs_are_unique():
    assert len(sitemap.BY_NAME) == len(sitemap.PAGES)
    assert len({p.slug for p in sitemap.PAGES}) == len(sitemap.PAGES)
