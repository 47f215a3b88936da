"""The strict CSP in real Chromium, on pages served from the cache.

Cached pages carry no nonce, so the policy allows only this site's script files. These tests
check both halves in a browser: our own scripts run on a page served from the cache, and an
inline script that reaches a page anyway (here injected into the response on its way to the
browser, as a sanitizer bug would) does not run and is reported as a violation.
"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = '<script>window.__pwned = 1</script><img src="/static/img/favicon.svg" onload="window.__pwned = 2">'


@pytest.fixture
def detail_url(transactional_db, import_tree):
    from catalog.models import Definition
    from tests.helpers import SAMPLE

    import_tree(SAMPLE, collection="Acme Studio (sample)")
    agent = Definition.objects.select_related("collection").filter(kind="agent", edges_out__isnull=False).first()
    return agent.get_absolute_url()


def wait_for_violations(page, count):
    """Poll from Playwright's side: the CSP forbids the eval that wait_for_function needs."""
    for _ in range(50):
        violations = page.csp_violations()
        if len(violations) >= count:
            return violations
        page.page.wait_for_timeout(100)
    return page.csp_violations()


def test_our_scripts_run_on_a_page_served_from_the_cache(live_server, page, detail_url):
    """The second visit is a cache hit (same ETag) and htmx and the neighbourhood graph still run."""
    tab = page.page
    first = tab.goto(live_server.url + detail_url)
    second = tab.goto(live_server.url + detail_url)
    assert second.status in (200, 304) and second.header_value("etag") == first.header_value("etag")
    assert "nonce" not in second.header_value("content-security-policy")
    expect(tab.locator(".graph-mini canvas").first).to_be_visible()  # drawn by graph.js
    assert tab.evaluate("typeof window.htmx") == "object"
    page.assert_clean()


def test_an_inline_script_in_a_page_is_blocked_and_reported(live_server, page, detail_url):
    """Neither an inline script nor an event handler runs; each is a CSP violation; the page's
    own scripts still run."""
    tab = page.page

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, body=body)

    tab.route(live_server.url + detail_url, inject)
    tab.goto(live_server.url + detail_url)
    expect(tab.locator(".graph-mini canvas").first).to_be_visible()  # our scripts ran
    violations = wait_for_violations(page, 2)
    assert tab.evaluate("window.__pwned") is None
    assert any(v.startswith("script-src-elem inline") for v in violations), violations
    assert any(v.startswith("script-src-attr inline") for v in violations), violations
    # A script added by a script is held to the same policy.
    tab.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 3';"
                 " document.body.append(s); }")  # fmt: skip
    assert tab.evaluate("window.__pwned") is None
