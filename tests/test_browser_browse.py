"""Browsing in real Chromium: filter the agent list in place, open an agent, follow a compare link.

Runs against ``live_server`` with the bundled sample catalog and one seed imported by the
real importer. Every page visited must stay free of console errors and CSP violations.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.helpers import SAMPLE, SAMPLE_NAME, seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(transactional_db, import_tree):
    """The sample catalog, plus the seed that is another take on its backend-engineer."""
    import_tree(SAMPLE, collection=SAMPLE_NAME)
    seed = seed_path("002")
    import_tree(seed, collection="Seed 002")


def row_names(tab):
    return tab.locator("#results .definition-link").all_inner_texts()


def test_filter_open_an_agent_and_compare_a_variant(live_server, page, imported):
    """Choosing a tool swaps the results in place and pushes the URL; the agent's page
    links a similar agent's compare page; back restores the filtered list as a full page."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:agent_list"))
    tab.evaluate("window.__sameDocument = true")
    expect(tab.locator("#results .count")).to_have_text("15 agents")

    tab.select_option("#f-tool", "WebFetch")
    # Waits by polling the DOM from Playwright's side: the CSP forbids the eval wait_for_function needs.
    expect(tab.locator("#results .count")).to_have_text("5 agents match the filters")
    assert sorted(row_names(tab)) == [
        "api-designer", "devops-engineer", "incident-commander", "product-strategist", "system-architect",
    ]  # fmt: skip
    assert "tool=WebFetch" in tab.url
    assert tab.evaluate("window.__sameDocument") is True
    page.assert_clean()

    tab.locator("#results .definition-link", has_text="api-designer").click()
    expect(tab.locator(".definition-header h1")).to_have_text("api-designer")
    assert tab.locator(".markdown h2").count() > 0
    assert tab.locator(".toc a").count() > 0
    page.assert_clean()

    compare = tab.locator(".variants .compare-link").first
    expect(compare).to_be_visible()
    compare.click()
    tab.wait_for_url("**/compare/?left=acme-studio-sample%2Fagent%2Fapi-designer&right=*")
    page.assert_clean()

    tab.go_back()
    tab.go_back()
    expect(tab.locator("#results .count")).to_have_text("5 agents match the filters")
    expect(tab.locator("#f-tool")).to_have_value("WebFetch")
    page.assert_clean()


def test_sorting_and_paging_keep_the_filters(live_server, page, imported):
    """Sorting is part of the form; the results and the URL follow it without a reload."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:agent_list") + "?tool=Bash")
    tab.evaluate("window.__sameDocument = true")
    tab.select_option("#f-sort", "-name")
    expect(tab.locator("#results .definition-link").first).to_have_text("test-engineer")
    assert "tool=Bash" in tab.url and "sort=-name" in tab.url
    assert tab.evaluate("window.__sameDocument") is True
    page.assert_clean()


def test_copy_button_copies_the_source(live_server, page, imported):
    """The copy button puts the file's text on the clipboard and says so."""
    tab = page.page
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.goto(live_server.url + "/d/seed-002/agent/backend-engineer/")
    source = tab.get_by_role("region", name="Source file")  # the install command has a Copy button too
    source.get_by_role("button", name="Copy").click()
    expect(source.get_by_role("button", name="Copied")).to_be_visible()
    assert tab.evaluate("navigator.clipboard.readText()").startswith("---")
    page.assert_clean()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/agents/?collection=seed-002",
        "/commands/",
        "/skills/",
        "/tools/",
        "/tools/WebFetch/",
        "/collections/",
        "/collections/acme-studio-sample/?kind=skill",
        "/d/seed-002/agent/backend-engineer/",
        "/d/acme-studio-sample/command/acme-studio:ship/",
        "/d/acme-studio-sample/skill/release-checklist/",
    ],
)
def test_every_browse_page_is_clean(live_server, page, imported, path):
    """No console error and no CSP violation on any browse page."""
    response = page.page.goto(live_server.url + path)
    assert response.status == 200
    expect(page.page.locator("main h1").first).to_be_visible()
    page.assert_clean()
