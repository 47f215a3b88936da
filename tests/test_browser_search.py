"""Live search in real Chromium: typing updates the results in place, keys move through them.

Runs against ``live_server`` on whichever database the suite uses; the page must stay free of
console errors and CSP violations throughout.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Item
from tests.helpers import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

R, M = Item.Field.RESPONSIBILITY, Item.Field.METRIC


@pytest.fixture
def catalog(transactional_db):
    return {
        "reliability": make_definition(
            "Reliability Engineer", [(R, "Run the on-call rotation"), (M, "99.9% uptime for the public API")]
        ),
        "platform": make_definition("Platform Engineer", [(R, "Keep uptime dashboards honest")]),
        "writer": make_definition("Technical Writer", [(R, "Document the on-call rotation")]),
    }


def hit_names(page):
    return page.locator("[data-search-results] [data-hit] h2").all_inner_texts()


def test_typing_updates_results_without_reload(live_server, page, catalog):
    """Typed words swap in ranked, highlighted results after the debounce; the URL follows; no reload."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:search"))
    tab.evaluate("window.__sameDocument = true")
    assert tab.locator(".empty").inner_text().startswith("Type a few words")

    tab.locator("#search-q").press_sequentially("uptim", delay=40)
    tab.wait_for_selector("[data-search-results] [data-hit]")
    assert sorted(hit_names(tab)) == ["Platform Engineer", "Reliability Engineer"]
    assert set(tab.locator("[data-search-results] mark").all_inner_texts()) == {"uptime"}
    assert "q=uptim" in tab.url

    tab.locator("input[name=scope][value=metric]").check()
    # Waits by polling the DOM from Playwright's side: the CSP forbids the eval wait_for_function needs.
    expect(tab.locator("[data-search-results] [data-hit]")).to_have_count(1)
    assert hit_names(tab) == ["Reliability Engineer"]
    assert "scope=metric" in tab.url

    tab.locator("#search-q").fill("kubernetes")
    tab.wait_for_selector("text=Nothing matches")

    assert tab.evaluate("window.__sameDocument") is True
    page.assert_clean()


def test_keyboard_moves_through_hits_and_enter_opens(live_server, page, catalog):
    """ArrowDown from the search box selects the first hit, j/k move, Enter opens the selected hit."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:search") + "?q=on-call+rotation")
    hits = tab.locator("[data-search-results] [data-hit]")
    assert hits.count() == 2

    tab.locator("#search-q").press("ArrowDown")
    assert "selected" in hits.nth(0).get_attribute("class")
    tab.locator("h1").click()
    tab.keyboard.press("j")
    assert "selected" in hits.nth(1).get_attribute("class")
    assert "selected" not in hits.nth(0).get_attribute("class")
    tab.keyboard.press("k")
    assert "selected" in hits.nth(0).get_attribute("class")
    page.assert_clean()

    target = hits.nth(0).locator("h2 a").get_attribute("href")
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**{target}")


def test_page_works_without_javascript(live_server, browser, catalog):
    """With JavaScript off the form is a plain GET: submitting it loads the results page."""
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(live_server.url + reverse("catalog:search"))
        tab.fill("#search-q", "uptime")
        tab.locator("button[type=submit]").click()
        tab.wait_for_url("**q=uptime**")
        assert tab.locator("[data-search-results] [data-hit]").count() == 2
    finally:
        context.close()
