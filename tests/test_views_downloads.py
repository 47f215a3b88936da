"""Zip downloads of lists and collections (catalog.views.downloads): every match, re-importable.

Each round trip downloads a zip, unpacks it into a temporary folder, imports that folder as a
new collection and compares what it holds with what was downloaded.
"""

import io
import zipfile

import pytest
from django.urls import reverse

from catalog.models import Definition
from catalog.selectors import finding
from catalog.views import downloads
from tests.helpers import CORPUS

# These pin the queries a view runs: the page cache in front of it stays out of the count.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def unpack(response, into):
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        archive.extractall(into)
    return names


def identities(definitions):
    return sorted(definitions.values_list("kind", "format", "slug", "sha256"))


def test_a_filtered_list_downloads_every_match_and_imports_again(
    client, sample_catalog, import_tree, tmp_path, django_assert_num_queries
):
    """Every match of the filters, not only the page shown; the files import to the same definitions."""
    url = reverse("catalog:agent_list")
    wanted = finding.matching(Definition.objects.filter(kind="agent"), "engineer", ("name", "slug", "description"))
    assert 3 < wanted.count() < Definition.objects.filter(kind="agent").count()
    with django_assert_num_queries(5):  # how many, the resources (paths, candidates, bytes), the rows
        response = client.get(url, {"q": "engineer", "format": "zip", "page": "2"})
    assert response["Content-Disposition"] == 'attachment; filename="agents.zip"'
    names = [name for name in unpack(response, tmp_path) if name.endswith(".md")]
    assert len(names) == client.get(url, {"q": "engineer", "format": "json"}).json()["count"] == wanted.count()
    assert all(name.startswith("acme-studio-sample/agents/") for name in names)
    assert (tmp_path / "acme-studio-sample/.claude-plugin/plugin.json").is_file()  # the plugin's manifest

    downloaded = identities(wanted)
    import_tree(tmp_path / "acme-studio-sample", collection="Round trip")
    assert identities(Definition.objects.filter(collection__name="Round trip")) == downloaded


def test_a_collection_downloads_in_its_layout_and_imports_to_the_same_definitions(client, import_tree, tmp_path):
    """A real OpenCode collection: every definition comes back with the same kind, format, slug and bytes."""
    import_tree(CORPUS / "darrenhinde__OpenAgents")
    original = identities(Definition.objects.present())
    slug = Definition.objects.first().collection.slug
    response = client.get(reverse("catalog:collection_detail", args=[slug]), {"format": "zip"})
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.zip"'
    unpack(response, tmp_path)
    import_tree(tmp_path / slug, collection="Round trip")
    assert identities(Definition.objects.filter(collection__name="Round trip")) == original


def test_a_plugin_s_commands_come_back_with_their_namespace(client, sample_catalog, import_tree, tmp_path):
    """The download carries the plugin's manifest, so its commands import again as ``plugin:name``."""
    unpack(client.get(reverse("catalog:command_list"), {"format": "zip"}), tmp_path)
    import_tree(tmp_path / "acme-studio-sample", collection="Round trip")
    again = Definition.objects.filter(collection__name="Round trip")
    assert identities(again) == identities(Definition.objects.filter(kind="command").exclude(pk__in=again))
    assert "acme-studio:review:security" in again.values_list("slug", flat=True)


def test_pages_link_to_their_download(client, sample_catalog):
    html = client.get(reverse("catalog:agent_list"), {"q": "engineer"}).content.decode()
    assert 'href="?q=engineer&amp;format=zip" download' in html
    slug = Definition.objects.first().collection.slug
    html = client.get(reverse("catalog:collection_detail", args=[slug])).content.decode()
    assert 'href="?format=zip" download' in html


def test_a_download_too_large_is_refused_with_a_reason(client, sample_catalog, monkeypatch):
    monkeypatch.setattr(downloads, "MAX_DEFINITIONS", 3)
    response = client.get(reverse("catalog:agent_list"), {"format": "zip"})
    assert response.status_code == 400
    assert "at most 3. Narrow the filters." in response.content.decode()
