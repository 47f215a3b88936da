"""Quick find in real Chromium: "/" focuses it, typing shows matches, arrows and Enter open one.

Runs against ``live_server`` on whichever database the suite uses; the page must stay free of
console errors and CSP violations throughout.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.helpers import add_definition as add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(transactional_db):
    add("kubernetes-expert", description="Runs clusters.")
    add("kubernetes-operator", description="Writes operators.")
    add("helm-charts", kind="skill", description="Packages kubernetes apps.")


def test_slash_focuses_typing_shows_matches_enter_opens(live_server, page, catalog):
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:tool_list"))
    box = tab.locator("#quick-find")
    expect(box).to_have_attribute("aria-expanded", "false")

    tab.locator("h1").click()
    tab.keyboard.press("/")
    expect(box).to_be_focused()
    tab.keyboard.type("kubern", delay=30)
    options = tab.locator("#quick-find-listbox [role=option]")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(tab.locator("#quick-find-listbox [role=group]")).to_have_count(2)  # agents and skills
    assert options.all_inner_texts()[:3] == [
        "kubernetes-expert Fixtures",
        "kubernetes-operator Fixtures",
        "helm-charts Fixtures",
    ]

    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "qf-option-agent-2")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/d/fixtures/agent/kubernetes-operator/")
    page.assert_clean()


def test_slash_in_a_field_is_typed_and_enter_without_choice_shows_all_results(live_server, page, catalog):
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:search"))
    tab.locator("#search-q").press("/")
    expect(tab.locator("#search-q")).to_have_value("/")
    expect(tab.locator("#quick-find")).not_to_be_focused()

    tab.locator("#quick-find").fill("helm")
    expect(tab.locator("#quick-find-listbox [role=option]").first).to_be_visible()
    tab.locator("#quick-find").press("Escape")
    expect(tab.locator("#quick-find")).to_have_attribute("aria-expanded", "false")
    tab.locator("#quick-find").press("Enter")
    tab.wait_for_url("**/find/?q=helm")
    expect(tab.locator("main h2")).to_have_text(["Skills"])
    page.assert_clean()
