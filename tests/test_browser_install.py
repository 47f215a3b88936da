"""The install command's copy button in real Chromium: the clipboard receives exactly the command shown.

The browser context is granted clipboard permissions, so the test reads the clipboard back
through the page's own ``navigator.clipboard``; the page must stay free of console errors and
CSP violations.
"""

import pytest
from playwright.sync_api import expect

from catalog.models import Definition
from tests.conftest import PageProbe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_button_puts_the_install_command_on_the_clipboard(live_server, browser, sample_catalog):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        probe = PageProbe(context.new_page())
        tab = probe.page
        tab.set_default_timeout(15_000)
        definition = Definition.objects.get(slug="api-designer")
        tab.goto(live_server.url + definition.get_absolute_url())
        shown = tab.locator("#install-command").inner_text()
        assert shown.startswith("mkdir -p .claude/agents && curl -fsSL ")
        assert shown.endswith("/raw -o .claude/agents/api-designer.md")

        button = tab.locator("button[data-copy-target=install-command]")
        button.click()
        expect(button).to_have_text("Copied")
        assert tab.evaluate("navigator.clipboard.readText()") == shown
        expect(button).to_have_text("Copy")
        probe.assert_clean()
    finally:
        context.close()


def test_without_the_clipboard_api_the_command_is_selected(live_server, page, sample_catalog):
    """On a page where the clipboard API is missing (plain HTTP), the text is selected for Ctrl+C."""
    tab = page.page
    tab.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    tab.goto(live_server.url + Definition.objects.get(slug="api-designer").get_absolute_url())
    button = tab.locator("button[data-copy-target=install-command]")
    button.click()
    expect(button).to_have_text("Selected: press Ctrl+C")
    assert tab.evaluate("window.getSelection().toString()") == tab.locator("#install-command").inner_text()
    page.assert_clean()
