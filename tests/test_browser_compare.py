"""The compare page in real Chromium: pick both sides by autocomplete, swap, hide unchanged, unified, patch.

Runs against ``live_server`` with the seeds and an edited copy of seed 002 imported; every
page must stay free of console errors and CSP violations.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Definition
from tests.helpers import SEEDS, edited_seed_text, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(transactional_db, import_tree, tmp_path):
    """Keys of the seeds by file number ("000"), plus "edited": a light edit of seed 002 elsewhere."""
    import_tree(SEEDS)
    folder = tmp_path / "edited" / "agents"
    folder.mkdir(parents=True)
    (folder / "backend.md").write_text(edited_seed_text(seed_path("002").read_text(encoding="utf-8")), encoding="utf-8")
    import_tree(tmp_path / "edited", collection="edited")
    keys = {
        d.source_path[:3]: d.key
        for d in Definition.objects.select_related("collection").filter(collection__slug="seeds")
    }
    return keys | {"edited": Definition.objects.select_related("collection").get(collection__slug="edited").key}


def pick(tab, side, typed, key):
    """Type into one side's field and choose ``key`` from the suggestions."""
    tab.locator(f"#pick-{side}").press_sequentially(typed, delay=30)
    choice = tab.locator(f'#pick-{side}-list a[data-key="{key}"]')
    choice.wait_for()
    choice.click()
    expect(tab.locator(f"#pick-{side}")).to_have_value(key)


def test_pick_compare_swap_and_download_the_patch(live_server, page, catalog):
    """Both sides chosen from suggestions without a reload; swap exchanges them; the patch downloads."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:compare"))
    expect(tab.locator(".empty")).to_contain_text("Choose a definition on each side")
    page.assert_clean()
    tab.evaluate("window.__sameDocument = true")

    pick(tab, "left", "backend-arch", catalog["000"])
    assert "left=seeds%2Fagent%2Fbackend-architect" in tab.url
    pick(tab, "right", "backend-eng", catalog["002"])
    expect(tab.locator(".compare-summary")).to_be_visible()
    expect(tab.locator(".side-card h2")).to_have_text(["backend-architect", "backend-engineer"])
    assert tab.evaluate("window.__sameDocument") is True
    page.assert_clean()

    tab.locator(".compare-form .swap-link").click()
    expect(tab.locator("#pick-left")).to_have_value(catalog["002"])
    expect(tab.locator("#pick-right")).to_have_value(catalog["000"])
    expect(tab.locator(".side-card h2")).to_have_text(["backend-engineer", "backend-architect"])
    assert "left=seeds%2Fagent%2Fbackend-engineer" in tab.url
    page.assert_clean()

    href = tab.locator(".patch-link").get_attribute("href")
    response = tab.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "text/x-diff; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    patch = response.text()
    assert patch.startswith("--- a/seeds/002_") and "\n+++ b/seeds/000_" in patch

    # Back restores the earlier state from the server as a whole page, not as a bare fragment.
    tab.go_back()
    expect(tab.locator("#pick-left")).to_have_value(catalog["000"])
    expect(tab.locator(".site-header")).to_have_count(1)
    page.assert_clean()


def test_hide_unchanged_expands_and_unified_view(live_server, page, catalog):
    """Hide unchanged folds equal runs into <details> that open on click; Unified draws one column."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:compare") + f"?left={catalog['002']}")
    tab.locator("#pick-right").fill(catalog["edited"])
    tab.locator(".compare-form button[type=submit]").click()
    expect(tab.locator(".compare-summary")).to_be_visible()
    expect(tab.locator("ins", has_text="REWORDED")).to_have_count(1)
    expect(tab.locator("details.diff-skip")).to_have_count(0)
    page.assert_clean()

    tab.locator("a.hide-toggle", has_text="Hide unchanged").click()
    folds = tab.locator("details.diff-skip")
    expect(folds.first).to_be_visible()
    assert "hide=1" in tab.url
    hidden_row = folds.first.locator("tr.equal").first
    expect(hidden_row).to_be_hidden()
    folds.first.locator("summary").click()
    expect(hidden_row).to_be_visible()
    page.assert_clean()

    tab.locator(".compare-toolbar a", has_text="Unified").click()
    expect(tab.locator("table.diff-unified").first).to_be_visible()
    expect(tab.locator("table.diff-split")).to_have_count(0)
    assert "view=unified" in tab.url and "hide=1" in tab.url
    page.assert_clean()

    # The address bar holds the whole state: loading it afresh shows the same view.
    tab.reload()
    expect(tab.locator("table.diff-unified").first).to_be_visible()
    expect(tab.locator("details.diff-skip").first).to_be_visible()
    page.assert_clean()


def test_compare_works_without_javascript(live_server, browser, catalog):
    """With JavaScript off the picker is a plain GET form and every link is a real link."""
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(live_server.url + reverse("catalog:compare"))
        tab.fill("#pick-left", catalog["001"])
        tab.fill("#pick-right", catalog["003"])
        tab.locator(".compare-form button[type=submit]").click()
        tab.wait_for_url("**right=seeds%2Fagent%2F003**")
        expect(tab.locator(".compare-summary")).to_be_visible()
        tab.locator(".compare-form .swap-link").click()
        tab.wait_for_url("**left=seeds%2Fagent%2F003**")
        expect(tab.locator("#pick-right")).to_have_value(catalog["001"])
    finally:
        context.close()
