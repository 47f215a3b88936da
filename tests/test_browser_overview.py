"""The overview and a collection page in real Chromium, under the strict CSP.

The charts are inline SVG with no script and no style attribute: the pages must render
them without a console error or a CSP violation, and a bar must be a real link that opens
the filtered list with as many results as the bar says.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.helpers import SAMPLE, SAMPLE_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(transactional_db, import_tree):
    import_tree(SAMPLE, collection=SAMPLE_NAME)


def test_overview_charts_render_and_a_bar_opens_its_list(live_server, page, imported):
    """Seven charts with visible bars; clicking the Bash bar lists exactly that many agents."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:overview"))
    expect(tab.locator("svg.chart")).to_have_count(7)
    bars = tab.locator("#chart-tools a.bar-link")
    assert bars.count() > 3
    box = tab.locator("#chart-tools rect.bar").first.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 5  # drawn, not collapsed by the CSP
    page.assert_clean()

    bash = tab.locator('#chart-tools a.bar-link[aria-label^="Bash:"]')
    value = int(bash.get_attribute("data-value"))
    assert value > 0
    bash.locator("rect.bar").click()
    tab.wait_for_url("**/agents/?tool=Bash")
    expect(tab.locator("#results .count")).to_have_text(
        f"{value} agent{'s' if value != 1 else ''} match{'es' if value == 1 else ''} the filters"
    )
    page.assert_clean()


def test_collection_page_filters_problems_in_place(live_server, page, imported):
    """Choosing a severity swaps the problems table without a reload and pushes the URL."""
    tab = page.page
    tab.goto(live_server.url + reverse("catalog:collection_detail", args=["acme-studio-sample"]))
    expect(tab.locator("#health .badge")).not_to_have_text("")
    expect(tab.locator("svg.chart").first).to_be_visible()
    tab.evaluate("window.__sameDocument = true")
    tab.select_option("#f-severity", "error")
    expect(tab.locator("#problems .count")).to_have_text("1 problem matches the filters")
    assert "severity=error" in tab.url
    assert tab.evaluate("window.__sameDocument") is True
    expect(tab.locator("#problems tbody tr")).to_have_count(1)
    page.assert_clean()
