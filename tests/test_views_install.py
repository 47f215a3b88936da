"""Install on the detail page (catalog.views.browse + catalog.core.install): shown, in the JSON twin, and working.

The end-to-end test runs the command the page shows, in a shell, against the live server: the
file must arrive byte for byte where the tool looks for it.
"""

import shlex
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Definition
from tests.helpers import CORPUS, SAMPLE, SAMPLE_NAME


@pytest.mark.django_db
def test_detail_page_and_json_show_the_install_command(client, sample_catalog):
    definition = Definition.objects.get(kind="command", slug="acme-studio:review:security")
    url = definition.get_absolute_url()
    data = client.get(url, {"format": "json"}).json()
    raw_url = "http://testserver" + reverse(
        "catalog:definition_raw", args=[definition.collection.slug, "command", definition.slug]
    )
    assert shlex.split(data["install"]) == [
        "mkdir", "-p", ".claude/commands/review", "&&",
        "curl", "-fsSL", raw_url, "-o", ".claude/commands/review/security.md",
    ]  # fmt: skip
    html = client.get(url).content.decode()
    assert 'id="install-command"' in html and 'data-copy-target="install-command"' in html
    assert "&amp;&amp; curl -fsSL" in html
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="install-command"' in fragment


@pytest.mark.django_db
def test_a_plugin_of_a_marketplace_has_the_plugin_way(client, import_tree):
    """A real marketplace repository: its own name (from marketplace.json) is what the install names."""
    import_tree(CORPUS / "obra__superpowers")
    skill = Definition.objects.filter(kind="skill").select_related("collection").first()
    assert skill.collection.kind == "marketplace" and skill.collection.marketplace == "superpowers-dev"
    data = client.get(skill.get_absolute_url(), {"format": "json"}).json()
    command, plugin_way = data["install"].splitlines()
    assert shlex.split(command)[-1] == f".claude/skills/{skill.slug}/SKILL.md"
    words = shlex.split(plugin_way)
    assert words[:4] == ["claude", "plugin", "marketplace", "add"]
    assert words[-3:] == ["plugin", "install", "superpowers@superpowers-dev"]


@pytest.mark.django_db(transaction=True)
def test_the_command_installs_the_file_byte_for_byte(live_server, import_tree, tmp_path):
    import_tree(SAMPLE, collection=SAMPLE_NAME)
    for definition in Definition.objects.filter(
        slug__in=["api-designer", "acme-studio:review:security", "threat-modeling"]
    ):
        path = definition.get_absolute_url()
        # The command carries the absolute URL of the host it was asked from.
        install = Client(SERVER_NAME="localhost").get(path, {"format": "json"}).json()["install"]
        install = install.replace("http://localhost/", live_server.url + "/")
        subprocess.run(["bash", "-c", install], cwd=tmp_path, check=True, timeout=30)
        target = tmp_path / shlex.split(install)[-1]
        assert target.read_bytes() == bytes(definition.raw)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == [
        ".claude/agents/api-designer.md",
        ".claude/commands/review/security.md",
        ".claude/skills/threat-modeling/SKILL.md",
    ]
