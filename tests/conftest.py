"""Shared fixtures: imports, a clean cache, and a real Chromium page (paths are in ``tests.helpers``)."""

import os
from pathlib import Path

import pytest

from tests.helpers import SAMPLE, SAMPLE_NAME

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body while the browser is open.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_worker(request):
    """Under pytest-xdist, give each worker a cache of its own, as pytest-django gives it a test
    database of its own: ``empty_cache`` below clears the whole cache between tests, which must
    never wipe what a test on the other worker has just cached. The local-memory default is
    per process already; a file cache gets a folder per worker, any other backend a key prefix
    (enough for reads; its ``clear()`` would still reach every worker)."""
    from django.conf import settings
    from django.test import override_settings

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        yield
        return
    caches = {}
    for alias, options in settings.CACHES.items():
        options = dict(options)
        backend = options.get("BACKEND", "")
        if backend.endswith(("LocMemCache", "FileBasedCache")):
            options["LOCATION"] = f"{options.get('LOCATION', '')}-{worker}"
        else:
            options["KEY_PREFIX"] = f"{options.get('KEY_PREFIX', '')}{worker}"
        caches[alias] = options
    with override_settings(CACHES=caches):  # its setting_changed signal rebuilds the cache handlers
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached. The cache keys on the latest import run's id,
    which SQLite hands out again after a test's transaction rolls back."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_off(settings):
    """Requests reach the views every time, for tests that pin the queries a view runs
    (tests/test_page_cache.py tests the cache in front of them)."""
    settings.AGENTDASH_PAGE_CACHE = False


@pytest.fixture
def import_tree():
    """Import one or more paths and return the report; the database is the test's own."""
    from catalog.services.importer import import_paths

    def run(*paths, collection=None):
        _, report = import_paths([str(p) for p in paths], collection_name=collection)
        return report

    return run


@pytest.fixture
def sample_catalog(db, import_tree):
    """The bundled sample catalog, imported under the name the demo uses."""
    return import_tree(SAMPLE, collection=SAMPLE_NAME)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT as the image has it: ``collectstatic`` run once with the production settings."""
    from tests.production import collect_static

    return collect_static(tmp_path_factory)


# ---------------------------------------------------------------------------
# Real Chromium through Playwright
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails the run, never skips it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (./dev test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Recorded in the page itself, so a violation is seen even when Chromium does not log it.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class PageProbe:
    """A Playwright page that remembers console errors, page errors and CSP violations."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.add_init_script(_CSP_LISTENER)

    def csp_violations(self):
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean(self):
        """No console errors, no uncaught exceptions, no CSP violations on the current page."""
        problems = self.errors + [f"csp: {v}" for v in self.csp_violations()]
        assert problems == [], problems


@pytest.fixture
def page(browser):
    context = browser.new_context()
    probe = PageProbe(context.new_page())
    probe.page.set_default_timeout(15_000)
    yield probe
    context.close()
