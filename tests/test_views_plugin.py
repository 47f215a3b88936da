"""The plugin builder (catalog.views.downloads.plugin_builder): pick, name, download a valid plugin."""

import io
import json
import zipfile

import pytest
import yaml
from django.urls import reverse

from catalog.models import Definition
from tests.helpers import write_tree

pytestmark = pytest.mark.django_db

URL = "/plugin/"


def test_the_url_name():
    assert reverse("catalog:plugin_builder") == URL


def test_a_list_link_opens_the_builder_with_its_matches_ticked(client, sample_catalog):
    html = client.get(reverse("catalog:agent_list"), {"q": "engineer", "page": "1"}).content.decode()
    assert 'href="/plugin/?q=engineer&amp;kind=agent">Build a plugin from these' in html
    page = client.get(URL, {"q": "engineer", "kind": "agent"})
    assert page.status_code == 200
    html = page.content.decode()
    engineers = Definition.objects.filter(kind="agent", slug__endswith="engineer")
    assert engineers.count() >= 4
    for definition in engineers:
        assert f'name="key" value="{definition.key}" checked' in html
    assert 'value="1.0.0"' in html  # a version to start from


def test_download_is_a_plugin_that_imports_as_one(client, sample_catalog, import_tree, tmp_path):
    """The zip holds plugin.json and the chosen files in the plugin layout; imported, it is a plugin
    whose definitions carry the same bytes."""
    chosen = Definition.objects.filter(slug__in=["api-designer", "acme-studio:review:security", "threat-modeling"])
    params = {"name": "acme-picks", "version": "2.0.0", "description": "Picked.", "author": "Me", "format": "zip"}
    response = client.get(URL, {**params, "key": [d.key for d in chosen]})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"] == 'attachment; filename="acme-picks.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert sorted(archive.namelist()) == [
            "acme-picks/.claude-plugin/plugin.json",
            "acme-picks/agents/api-designer.md",
            "acme-picks/commands/review/security.md",
            "acme-picks/skills/threat-modeling/SKILL.md",
        ]
        manifest = json.loads(archive.read("acme-picks/.claude-plugin/plugin.json"))
        archive.extractall(tmp_path)
    assert manifest == {"name": "acme-picks", "version": "2.0.0", "description": "Picked.", "author": {"name": "Me"}}

    import_tree(tmp_path / "acme-picks")
    imported = Definition.objects.filter(plugin="acme-picks")
    assert imported.first().collection.kind == "plugin"
    assert sorted(imported.values_list("kind", "slug", "sha256")) == sorted(
        (d.kind, d.slug.replace("acme-studio:", "acme-picks:"), d.sha256) for d in chosen
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "Acme Picks"}, "must be kebab-case"),
        ({"name": ""}, "The plugin needs a name."),
        ({"name": "ok", "version": "1.0"}, "must be a semantic version"),
        ({"name": "ok", "key": "nope/agent/none"}, "Choose at least one agent, command or skill."),
    ],
)
def test_invalid_requests_show_the_form_with_the_reason(client, sample_catalog, params, message):
    params = {"key": Definition.objects.filter(slug="api-designer").get().key} | params | {"format": "zip"}
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and 'name="name"' in html


def test_a_skill_s_own_files_come_along(client, import_tree, tmp_path):
    """Scripts beside a SKILL.md are part of the skill: the plugin holds them at the same place."""
    write_tree(
        tmp_path / "src",
        {
            "skills/notes/SKILL.md": "---\nname: notes\ndescription: Takes notes.\n---\nRun scripts/run.sh.\n",
            "skills/notes/scripts/run.sh": "#!/bin/sh\necho notes\n",
        },
    )
    import_tree(tmp_path / "src")
    key = Definition.objects.get(slug="notes").key
    response = client.get(URL, {"name": "notes-kit", "key": key, "format": "zip"})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert sorted(archive.namelist()) == [
            "notes-kit/.claude-plugin/plugin.json",
            "notes-kit/skills/notes/SKILL.md",
            "notes-kit/skills/notes/scripts/run.sh",
        ]
        assert archive.read("notes-kit/skills/notes/scripts/run.sh") == b"#!/bin/sh\necho notes\n"


def test_frontmatter_read_leniently_is_written_strictly(client, sample_catalog):
    """Claude Code's validator fails an agent whose YAML does not parse: the plugin gets the fields
    the catalog read, in frontmatter that strict YAML reads back to the same mapping."""
    lenient = Definition.objects.get(slug="legacy-migrator")
    assert lenient.lenient
    response = client.get(URL, {"name": "kit", "key": lenient.key, "format": "zip"})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        text = archive.read("kit/agents/legacy-migrator.md").decode()
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(bytes(lenient.raw).decode().split("---")[1])
    assert yaml.safe_load(text.split("---")[1]) == lenient.frontmatter
    assert text.endswith(lenient.body)
