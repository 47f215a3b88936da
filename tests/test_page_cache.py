"""Anonymous pages from the shared cache: what invalidates them, who never gets them, 304s, variants."""

import gzip

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from catalog.models import Conflict, Definition
from tests.test_admin import change_url, edit_data, write_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(tmp_path, import_tree):
    """One agent with an open conflict (so its page has a staff-only button); (root, path, agent)."""
    path = tmp_path / "agents" / "release-helper.md"
    write_agent(path)
    import_tree(tmp_path)
    agent = Definition.objects.get(slug="release-helper")
    agent.locally_modified = True
    agent.save()
    write_agent(path, description="Upstream moved on.")
    import_tree(tmp_path)
    assert Conflict.objects.open().exists()
    return tmp_path, path, Definition.objects.get(slug="release-helper")


def test_a_second_anonymous_visit_is_served_from_the_cache(client, tree, django_assert_num_queries):
    """The page is built once; the next visit costs the stamp query alone, and is the same page."""
    _, _, agent = tree
    first = client.get(agent.get_absolute_url())
    with django_assert_num_queries(1):
        second = client.get(agent.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('W/"')
    assert "HX-Request" in second["Vary"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_import_changes_what_cached_pages_show(client, tree, import_tree):
    """A new import makes every cached page of the old catalog unreachable."""
    root, _, agent = tree
    assert "bundle-maker" not in client.get("/agents/").content.decode()
    etag = client.get(agent.get_absolute_url())["ETag"]
    write_agent(root / "agents" / "bundle-maker.md")
    import_tree(root)
    assert "bundle-maker" in client.get("/agents/").content.decode()
    fresh = client.get(agent.get_absolute_url(), headers={"if-none-match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_an_admin_save_changes_what_cached_pages_show(client, admin_client, tree):
    """Staff's edit shows to anonymous visitors at once, though their page was cached."""
    _, _, agent = tree
    assert "quillwort" not in client.get(agent.get_absolute_url()).content.decode()
    data = edit_data(admin_client, agent)
    data["body"] = data["body"].replace("zephyrine", "quillwort")
    assert admin_client.post(change_url(agent), data).status_code == 302
    assert "quillwort" in client.get(agent.get_absolute_url()).content.decode()


def test_matching_if_none_match_gets_304_even_once_the_entry_is_gone(client, tree):
    """Conditional GET: a current ETag is answered with 304, from the cache or from the stamp."""
    _, _, agent = tree
    url = agent.get_absolute_url()
    page = client.get(url)
    not_modified = client.get(url, headers={"if-none-match": page["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == page["ETag"]
    since = client.get(url, headers={"if-modified-since": page["Last-Modified"]})
    assert since.status_code == 304

    cache.clear()
    assert client.get(url, headers={"if-none-match": page["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": 'W/"other"'}).status_code == 200


def test_no_cached_page_shows_staff_elements_to_anonymous_visitors(client, admin_client, tree):
    """Staff first then anonymous, and anonymous first then staff: each sees their own page."""
    _, _, agent = tree
    url = agent.get_absolute_url()
    resolve = reverse("admin:catalog_conflict_change", args=[Conflict.objects.get().pk])

    staff_page = admin_client.get(url).content.decode()
    assert resolve in staff_page and 'href="/admin/"' in staff_page
    anonymous = client.get(url)
    assert resolve not in anonymous.content.decode() and 'href="/admin/"' not in anonymous.content.decode()
    cached = client.get(url)  # now certainly from the cache
    assert resolve not in cached.content.decode()
    assert resolve in admin_client.get(url).content.decode()


def test_logged_in_users_get_fresh_pages(client, tree):
    """A change that the stamp cannot see still shows at once to anyone with a session."""
    _, _, agent = tree
    url = agent.get_absolute_url()
    user = Client()
    user.force_login(User.objects.create_user("reader", password="x"))
    client.get(url)
    user.get(url)
    Definition.objects.filter(pk=agent.pk).update(name="Renamed Quietly")
    assert "Renamed Quietly" not in client.get(url).content.decode()  # anonymous: the cached page
    fresh = user.get(url)
    assert "Renamed Quietly" in fresh.content.decode()
    assert not fresh.has_header("ETag")


def test_the_cache_never_mixes_up_fragment_page_and_json(client, tree):
    """One URL, three answers: the HTMX fragment, the page (boosted or history restore too), JSON."""
    _, _, agent = tree
    url = agent.get_absolute_url()
    for _ in range(2):  # the second round comes from the cache
        page = client.get(url).content.decode()
        fragment = client.get(url, headers={"hx-request": "true"}).content.decode()
        boosted = client.get(url, headers={"hx-request": "true", "hx-boosted": "true"}).content.decode()
        restore = client.get(url, headers={"hx-request": "true", "hx-history-restore-request": "true"}).content.decode()
        as_json = client.get(url, {"format": "json"})
        assert page.lstrip().lower().startswith("<!doctype html>")
        assert "<html" not in fragment and "release-helper" in fragment
        assert boosted == page and restore == page
        assert as_json["Content-Type"] == "application/json" and as_json.json()["slug"] == "release-helper"
    listing = client.get("/agents/", headers={"hx-request": "true"}).content.decode()
    assert "<html" not in listing and "<html" in client.get("/agents/").content.decode()


def test_bodies_are_stored_compressed_and_unpacked_for_clients_without_gzip(client, tree):
    """gzip for clients that accept it, the same bytes plain for the others; HEAD has no body."""
    _, _, agent = tree
    url = agent.get_absolute_url()
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and head["Content-Length"] == str(len(plain.content))


def test_admin_pages_are_never_cached(client):
    """The admin's login page is built for each visitor: it sets its own CSRF cookie."""
    first = client.get(reverse("admin:login"))
    second = Client().get(reverse("admin:login"))
    assert first.status_code == second.status_code == 200
    assert not second.has_header("ETag")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_cache_url_selects_the_backend():
    """No CACHE_URL: the file cache every process shares; redis, memcached and file URLs map to
    Django's backends; an unknown scheme is refused."""
    from django.core.exceptions import ImproperlyConfigured

    from agentdash.settings import VAR_DIR, cache_from_url

    default = cache_from_url("")
    assert default["BACKEND"].endswith("FileBasedCache") and default["LOCATION"] == str(VAR_DIR / "cache")
    assert cache_from_url("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert cache_from_url("memcached://mc:11211")["LOCATION"] == "mc:11211"
    assert cache_from_url("file:///srv/agentdash%20cache")["LOCATION"] == "/srv/agentdash cache"
    with pytest.raises(ImproperlyConfigured, match="ftp"):
        cache_from_url("ftp://x")


def test_a_cache_folder_that_cannot_be_made_means_no_cache_not_an_error(tmp_path, client, settings, sample_catalog):
    """Pages are built for every request, and answer 200, when the cache folder cannot be made
    (a read-only var directory; here a file stands where the folder's parent should be, which
    stops root too)."""
    from django.core.cache import caches

    blocker = tmp_path / "var"
    blocker.write_text("not a directory")
    settings.CACHES = {
        "default": {"BACKEND": "agentdash.cache.TolerantFileBasedCache", "LOCATION": str(blocker / "cache")}
    }
    caches["default"].set("anything", 1)
    assert caches["default"].get("anything") is None
    pages = [client.get("/agents/") for _ in range(2)]
    assert [page.status_code for page in pages] == [200, 200]
    assert pages[1].content == pages[0].content
