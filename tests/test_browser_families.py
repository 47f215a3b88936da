"""The family page in real Chromium: a wide family scrolls sideways with its first column fixed,
and its links open the pairwise compare. Every page must stay free of console errors and CSP
violations."""

import pytest
from playwright.sync_api import expect

from tests.helpers import made_up_prose, write_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = 12


@pytest.fixture
def wide_family(transactional_db, import_tree, tmp_path):
    """release-planner in twelve collections, each version written differently."""
    for n in range(MEMBERS):
        text = f"---\nname: release-planner\ndescription: Plans releases.\n---\n\n## Mission\n\n{made_up_prose(n)}\n"
        write_tree(tmp_path / "catalog" / f"coll-{n:02d}", {"agents/release-planner.md": text})
    import_tree(tmp_path / "catalog")
    return "/families/agent/release-planner/"


def test_wide_family_scrolls_with_a_fixed_first_column_and_links_to_compare(live_server, page, wide_family):
    """Scrolled sideways, the member headings move and the row headings stay; a compare link
    opens the structured diff of its two columns."""
    tab = page.page
    tab.set_viewport_size({"width": 900, "height": 800})
    tab.goto(live_server.url + wide_family)
    expect(tab.locator(".member-head")).to_have_count(MEMBERS)
    page.assert_clean()

    scroller = tab.locator(".family-scroll")
    row_head = tab.locator(".family-grid tbody .row-head").first
    member_head = tab.locator(".member-head").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "the family is wider than the page"
    row_x, member_x = row_head.bounding_box()["x"], member_head.bounding_box()["x"]
    scroller.evaluate("el => { el.scrollLeft = 600; }")
    tab.wait_for_function("document.querySelector('.family-scroll').scrollLeft >= 600")
    assert row_head.bounding_box()["x"] == pytest.approx(row_x, abs=1)
    assert member_head.bounding_box()["x"] < member_x - 500
    assert row_head.evaluate("el => getComputedStyle(el).position") == "sticky"

    link = tab.locator(".compare-row a.compare-link").first
    link.scroll_into_view_if_needed()
    link.click()
    tab.wait_for_url("**/compare/?left=*")
    assert "right=coll-" in tab.url
    expect(tab.locator(".compare-summary")).to_be_visible()
    page.assert_clean()
