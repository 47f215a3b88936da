"""The admin: every model browsable, definitions edited through the importer, conflicts, export, access."""

import io
import zipfile

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from catalog import search
from catalog.models import Collection, Conflict, Definition, DefinitionVersion, Edge, Item, Problem
from catalog.services import editing
from catalog.stamp import catalog_stamp

pytestmark = pytest.mark.django_db

AGENT = """---
name: release-helper
description: {description}
x-owner: platform
tools: Read, Bash
---

## Core Responsibilities
- {duty}

## Success Metrics
- Every release has notes.
"""


def write_agent(path, description="Ships releases.", duty="Tag releases with zephyrine care."):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(AGENT.format(description=description, duty=duty))


@pytest.fixture
def tree(tmp_path, import_tree):
    """One agent in a collection of its own; returns (root, path of its file, the agent)."""
    path = tmp_path / "agents" / "release-helper.md"
    write_agent(path)
    import_tree(tmp_path)
    return tmp_path, path, Definition.objects.get(slug="release-helper")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def edit_data(client, definition, **fields):
    """The change form's POST data as the browser would send it, with ``fields`` replaced."""
    response = client.get(change_url(definition))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in ("frontmatter_yaml", "body")}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{name}": management[name].value() for name in management.fields})
    data.update(fields)
    return data


def post_edit(client, definition, **fields):
    return client.post(change_url(definition), edit_data(client, definition, **fields))


def replace_in_frontmatter(client, definition, old, new):
    data = edit_data(client, definition)
    assert old in data["frontmatter_yaml"]
    data["frontmatter_yaml"] = data["frontmatter_yaml"].replace(old, new)
    return client.post(change_url(definition), data)


# ---------------------------------------------------------------------------
# Every model: changelist, search, change form
# ---------------------------------------------------------------------------


@pytest.fixture
def full_catalog(sample_catalog, tree, import_tree, admin_client):
    """The sample catalog plus one edited agent with an open conflict and a manual edge."""
    root, path, agent = tree
    assert post_edit(admin_client, agent, body=agent.body + "\nEdited.\n").status_code == 302
    write_agent(path, description="Upstream moved on.")
    import_tree(root)
    Edge.objects.create(
        source=agent, target=Definition.objects.get(slug="api-designer"), target_name="api-designer",
        kind=Edge.Kind.PEER, manual=True,
    )  # fmt: skip


def test_every_catalog_model_is_registered():
    """Each model of the catalog app has an admin."""
    missing = [m.__name__ for m in apps.get_app_config("catalog").get_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", list(apps.get_app_config("catalog").get_models()), ids=lambda m: m.__name__)
def test_changelist_search_and_change_form(model, full_catalog, admin_client):
    """Each model's list, its search and the change (or view) page of one row all render."""
    assert model.objects.exists(), f"the fixture has no {model.__name__}"
    response = admin_client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()
    assert admin_client.get(changelist_url(model), {"q": "release"}).status_code == 200
    response = admin_client.get(change_url(model.objects.order_by("pk").first()))
    assert response.status_code == 200


def test_definition_changelist_filters_and_links(full_catalog, admin_client):
    """Kind and conflict filters narrow the list; rows link to the public page; the badge marks conflicts."""
    response = admin_client.get(changelist_url(Definition), {"kind__exact": "skill"})
    assert response.context["cl"].result_count == Definition.objects.filter(kind="skill").count() == 3
    response = admin_client.get(changelist_url(Definition), {"conflict": "open"})
    (row,) = response.context["cl"].result_list
    assert row.slug == "release-helper"
    assert row.get_absolute_url() in response.text


def test_definition_changelist_query_count_does_not_grow_with_rows(
    full_catalog, admin_client, django_assert_max_num_queries
):
    """The list loads its page in a fixed handful of queries, whatever the number of rows."""
    with django_assert_max_num_queries(12):
        admin_client.get(changelist_url(Definition))


def test_change_form_shows_provenance_and_links(tree, admin_client):
    """The change page shows the source path, hash and import run read-only, and links out."""
    _, _, agent = tree
    response = admin_client.get(change_url(agent))
    text = response.text
    assert agent.source_path in text and agent.sha256 in text
    assert change_url(agent.import_run) in text
    assert agent.get_absolute_url() in text
    assert reverse("catalog:compare") + "?left=" in text
    assert reverse("admin:catalog_definition_export", args=[agent.pk]) in text
    assert "sha256" not in response.context["adminform"].form.fields  # provenance is never a form field


# ---------------------------------------------------------------------------
# Search: the public search's matching
# ---------------------------------------------------------------------------


def admin_search(client, q, model=Definition):
    response = client.get(changelist_url(model), {"q": q})
    return sorted(d.slug for d in response.context["cl"].result_list)


def test_search_matches_items_like_the_public_search(sample_catalog, tree, admin_client):
    """A word only in a responsibility finds the agent, as the public search does."""
    public = search.search(search.Criteria(query="zephyrine"))
    assert [hit.definition.slug for hit in public.hits] == ["release-helper"]
    assert admin_search(admin_client, "zephyrine") == ["release-helper"]


def test_search_requires_every_term(sample_catalog, tree, admin_client):
    """Each term must match some field or item; a term matching nothing empties the result."""
    assert admin_search(admin_client, "zephyrine release") == ["release-helper"]
    assert admin_search(admin_client, "zephyrine api-designer") == []
    assert "api-designer" in admin_search(admin_client, "api-designer")


def test_search_of_a_name_substring(sample_catalog, admin_client):
    """A part of a slug finds it, though the full-text index knows only whole words."""
    assert admin_search(admin_client, "ecurity-rev") == ["security-reviewer"]


# ---------------------------------------------------------------------------
# Editing
# ---------------------------------------------------------------------------


def test_edit_rederives_everything(tree, admin_client):
    """Saving new frontmatter and body re-derives description, tools, items and the search index."""
    _, _, agent = tree
    data = edit_data(admin_client, agent)
    data["frontmatter_yaml"] = (
        data["frontmatter_yaml"]
        .replace("Ships releases.", "'Ships: releases, notes'")
        .replace("tools: Read, Bash", "tools:\n- Read\n- Grep")
    )
    data["body"] = data["body"].replace("zephyrine", "quillwort")
    response = admin_client.post(change_url(agent), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    agent.refresh_from_db()
    assert agent.locally_modified
    assert agent.description == "Ships: releases, notes"
    assert agent.frontmatter["x-owner"] == "platform"  # unknown fields kept
    assert list(agent.tool_links.values_list("tool__name", flat=True)) == ["Read", "Grep"]
    assert "Tag releases with quillwort care." in agent.items.values_list("text", flat=True)
    assert [h.definition.pk for h in search.search(search.Criteria(query="quillwort")).hits] == [agent.pk]
    assert search.search(search.Criteria(query="zephyrine")).hits == ()
    assert DefinitionVersion.objects.get(definition=agent).replaced_by == "edit"
    assert admin_client.get(agent.get_absolute_url()).text.count("Ships: releases, notes") >= 1


def test_a_save_that_finds_the_catalog_locked_says_so_and_writes_nothing(tree, admin_client, monkeypatch):
    """An import holding SQLite's write lock past the busy timeout: the save reports it, no 500."""
    _, _, agent = tree
    data = edit_data(admin_client, agent)
    data["body"] = data["body"].replace("zephyrine", "quillwort")

    def locked(definition, text, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(editing, "save_edit", locked)
    response = admin_client.post(change_url(agent), data, follow=True)
    assert response.redirect_chain == [(change_url(agent), 302)]
    assert "An import is writing to the catalog, so nothing was saved." in response.text
    agent.refresh_from_db()
    assert not agent.locally_modified and "zephyrine" in agent.body
    assert not DefinitionVersion.objects.filter(definition=agent).exists()


def test_crlf_from_a_browser_is_not_an_edit(tree, admin_client):
    """Submitting the form unchanged (with the CRLF line ends browsers send) changes nothing."""
    _, _, agent = tree
    data = edit_data(admin_client, agent)
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    assert admin_client.post(change_url(agent), data).status_code == 302
    agent.refresh_from_db()
    assert not agent.locally_modified
    assert not DefinitionVersion.objects.exists()


@pytest.mark.parametrize(
    ("frontmatter", "message"),
    [
        ("name: release-helper\ndescription: Use when: red\n", "not valid YAML (line 2"),
        ("- name\n- description\n", "must be a YAML mapping"),
        ("name: release-helper\nname: twice\n", "appears more than once"),
        ("name: [release, helper]\ndescription: x\n", "“name” must be text"),
        ("name: x\ndescription: x\ntools: 5\n", "“tools” must be a comma-separated text, a list"),
        ("name: x\ndescription: x\ntemperature: warm\n", "“temperature” must be a number"),
        ("name: x\na: &a [1, 2]\nb: [*a, *a]\n", "alias"),
        ("name: x\nreleased: 2024-13-45\n", "not valid YAML (month must be in 1..12)"),
    ],
    ids=[
        "invalid-yaml",
        "not-a-mapping",
        "duplicate-key",
        "name-type",
        "tools-type",
        "number-type",
        "alias",
        "impossible-date",
    ],
)
def test_invalid_frontmatter_is_refused_and_nothing_saved(tree, admin_client, frontmatter, message):
    """Frontmatter strict YAML would misread, or with wrong types, is a form error; nothing changes."""
    _, _, agent = tree
    before = Definition.objects.values().get(pk=agent.pk)
    response = post_edit(admin_client, agent, frontmatter_yaml=frontmatter)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("frontmatter_yaml", []))
    assert message.lower() in errors.lower(), errors
    assert "Please correct the error" in response.text
    assert Definition.objects.values().get(pk=agent.pk) == before
    assert not DefinitionVersion.objects.exists()


def test_oversized_file_is_refused(tree, admin_client):
    """A body that makes the file too large for the importer is a form error, not a crash."""
    _, _, agent = tree
    response = post_edit(admin_client, agent, body="x" * (1024 * 1024 + 1))
    assert response.status_code == 200
    assert "larger than" in str(response.context["adminform"].form.non_field_errors())
    agent.refresh_from_db()
    assert not agent.locally_modified


# ---------------------------------------------------------------------------
# Edits versus re-import: the conflict cycle through the admin
# ---------------------------------------------------------------------------


def resolve_url(conflict):
    return reverse("admin:catalog_conflict_resolve", args=[conflict.pk])


def edit_and_change_upstream(admin_client, import_tree, root, path, agent, local, upstream):
    """Edit the description through the admin, then change the upstream file and re-import."""
    response = replace_in_frontmatter(admin_client, agent, f"description: {agent.description}", f"description: {local}")
    assert response.status_code == 302
    write_agent(path, description=upstream, duty="Tag, sign and publish releases.")
    report = import_tree(root)
    assert report.conflicts == 1
    agent.refresh_from_db()
    assert agent.description == local  # the local edit is intact
    return Conflict.objects.open().get(definition=agent)


def test_conflict_cycle_through_the_admin(tree, import_tree, admin_client):
    """Import, edit, upstream change, re-import: a conflict; then keep local, take upstream and merge, by POSTs."""
    root, path, agent = tree

    # 1. Keep local.
    conflict = edit_and_change_upstream(admin_client, import_tree, root, path, agent, "Local one.", "Upstream one.")
    response = admin_client.get(changelist_url(Conflict), {"state": "open"})
    assert [c.pk for c in response.context["cl"].result_list] == [conflict.pk]
    assert resolve_url(conflict) in admin_client.get(change_url(agent)).text
    page = admin_client.get(resolve_url(conflict))
    assert page.status_code == 200
    assert "Upstream one." in page.text and "Local one." in page.text  # the diff in the admin itself
    assert "+description: Upstream one." in page.context["patch"]
    response = admin_client.post(resolve_url(conflict), {"how": "kept-local"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    agent.refresh_from_db()
    assert (conflict.resolution, agent.description, agent.locally_modified) == ("kept-local", "Local one.", True)
    assert import_tree(root).conflicts == 0  # the same upstream file is now seen

    # 2. Take upstream.
    write_agent(path, description="Upstream two.", duty="Tag releases twice.")
    import_tree(root)
    conflict = Conflict.objects.open().get(definition=agent)
    assert admin_client.post(resolve_url(conflict), {"how": "took-upstream"}).status_code == 302
    agent.refresh_from_db()
    assert (agent.description, agent.locally_modified) == ("Upstream two.", False)
    assert bytes(agent.raw) == path.read_bytes()
    assert list(agent.items.filter(field=Item.Field.RESPONSIBILITY).values_list("text", flat=True)) == [
        "Tag releases twice."
    ]

    # 3. Merge, after a refused merge that leaves the conflict open.
    conflict = edit_and_change_upstream(admin_client, import_tree, root, path, agent, "Local three.", "Upstream three.")
    page = admin_client.get(resolve_url(conflict))
    merged = page.context["merge_form"].initial["text"]
    assert "description: Local three." in merged
    bad = admin_client.post(resolve_url(conflict), {"how": "merged", "text": merged.replace("Local three.", "a: b: c")})
    assert bad.status_code == 200 and "not valid YAML" in bad.text
    assert Conflict.objects.open().filter(pk=conflict.pk).exists()
    merged = merged.replace("Local three.", "Local and upstream three.")
    assert admin_client.post(resolve_url(conflict), {"how": "merged", "text": merged}).status_code == 302
    agent.refresh_from_db()
    conflict.refresh_from_db()
    assert (conflict.resolution, agent.description, agent.locally_modified) == (
        "merged",
        "Local and upstream three.",
        True,
    )
    assert not Conflict.objects.open().exists()


def test_resolving_needs_a_post(tree, import_tree, admin_client):
    """GET shows the choices and never resolves; an unknown choice resolves nothing."""
    root, path, agent = tree
    conflict = edit_and_change_upstream(admin_client, import_tree, root, path, agent, "Local.", "Upstream.")
    admin_client.get(resolve_url(conflict), {"how": "took-upstream"})
    assert admin_client.post(resolve_url(conflict), {"how": "whatever"}).status_code == 200
    assert Conflict.objects.open().filter(pk=conflict.pk).exists()


def test_conflict_actions_resolve_a_selection(tree, import_tree, admin_client):
    """The changelist action takes upstream for the selected conflicts."""
    root, path, agent = tree
    conflict = edit_and_change_upstream(admin_client, import_tree, root, path, agent, "Local.", "Upstream.")
    response = admin_client.post(
        changelist_url(Conflict), {"action": "take_upstream", "_selected_action": [conflict.pk]}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.description == "Upstream." and not Conflict.objects.open().exists()


# ---------------------------------------------------------------------------
# Manual edges
# ---------------------------------------------------------------------------


def test_manual_edge_added_with_autocomplete(sample_catalog, admin_client):
    """Staff add an edge by picking agents (autocomplete); it is marked manual and named by its target."""
    source, target = Definition.objects.get(slug="release-manager"), Definition.objects.get(slug="api-designer")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "edge", "field_name": "target", "term": "api-des"},
    )
    assert str(target.pk) in [r["id"] for r in response.json()["results"]]
    response = admin_client.post(
        reverse("admin:catalog_edge_add"), {"source": source.pk, "kind": "peer", "target": target.pk}
    )
    assert response.status_code == 302
    edge = Edge.objects.get(source=source, kind="peer", target=target)
    assert (edge.manual, edge.target_name) == (True, "api-designer")


def test_manual_edges_update_the_collaborator_counts_at_once(sample_catalog, admin_client):
    """Adding a manual edge counts a new collaborator on both ends; deleting it takes it back."""
    source, target = Definition.objects.get(slug="release-manager"), Definition.objects.get(slug="api-designer")
    counts = (source.collaborator_count, target.collaborator_count)
    assert target.pk not in source.edges_out.values_list("target_id", flat=True)  # a new partner for both
    assert source.pk not in target.edges_out.values_list("target_id", flat=True)
    admin_client.post(reverse("admin:catalog_edge_add"), {"source": source.pk, "kind": "peer", "target": target.pk})
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.collaborator_count, target.collaborator_count) == (counts[0] + 1, counts[1] + 1)

    edge = Edge.objects.get(source=source, target=target, manual=True)
    response = admin_client.post(reverse("admin:catalog_edge_delete", args=[edge.pk]), {"post": "yes"})
    assert response.status_code == 302
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.collaborator_count, target.collaborator_count) == counts


def test_admin_changes_show_on_cached_pages_at_once(sample_catalog, admin_client, client):
    """The overview's charts are cached until the catalog changes; a manual edge added in the
    admin is such a change (the admin's log is part of the catalog stamp)."""

    def connections(name):
        chart = client.get("/?format=json").json()["charts"]["connected"]
        return next((bar["value"] for bar in chart if bar["label"] == name), 0)

    source, target = Definition.objects.get(slug="release-manager"), Definition.objects.get(slug="api-designer")
    before = connections(target.name)  # computed and cached
    admin_client.post(reverse("admin:catalog_edge_add"), {"source": source.pk, "kind": "peer", "target": target.pk})
    assert connections(target.name) == before + 1

    collection = Collection.objects.get(pk=source.collection_id)
    stamp = catalog_stamp()
    response = admin_client.post(
        reverse("admin:catalog_collection_change", args=[collection.pk]),
        {"name": collection.name, "slug": "renamed", "kind": collection.kind, "origin": collection.origin,
         "description": collection.description, "commit": collection.commit},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    assert catalog_stamp() != stamp


def test_extracted_edges_are_read_only(sample_catalog, admin_client):
    """An extracted edge cannot be changed or deleted in the admin."""
    edge = Edge.objects.filter(manual=False).first()
    response = admin_client.post(change_url(edge), {"source": edge.source_id, "kind": "peer", "target_name": "x"})
    assert response.status_code == 403
    edge.refresh_from_db()
    assert edge.target_name != "x"


# ---------------------------------------------------------------------------
# Export from the admin
# ---------------------------------------------------------------------------


def test_download_one_definition(tree, admin_client):
    """The download is the file as export_agents writes it: here the imported bytes."""
    _, path, agent = tree
    response = admin_client.get(reverse("admin:catalog_definition_export", args=[agent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert 'filename="release-helper.md"' in response["Content-Disposition"]


def test_export_action_zips_the_selection(sample_catalog, admin_client):
    """The export action returns a zip holding the selected definitions at their export paths, with
    the plugin manifest of their collection (the sample is a plugin)."""
    chosen = list(Definition.objects.filter(kind="skill").select_related("collection"))
    response = admin_client.post(
        changelist_url(Definition), {"action": "export_selected", "_selected_action": [d.pk for d in chosen]}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        expected = [f"{d.collection.slug}/{d.source_path}" for d in chosen]
        assert sorted(archive.namelist()) == sorted(
            [*expected, f"{chosen[0].collection.slug}/.claude-plugin/plugin.json"]
        )
        first = chosen[0]
        assert archive.read(f"{first.collection.slug}/{first.source_path}") == bytes(first.raw)


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


def test_anonymous_and_non_staff_cannot_reach_admin(tree, client, django_user_model):
    """Admin pages, the download and edits redirect to the login page; nothing is saved."""
    _, _, agent = tree
    urls = [
        changelist_url(Definition),
        change_url(agent),
        reverse("admin:catalog_definition_export", args=[agent.pk]),
    ]
    member = django_user_model.objects.create_user("member", password="a-long-enough-password")
    signed_in = Client()
    signed_in.force_login(member)
    for visitor in (client, signed_in):
        for url in urls:
            response = visitor.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url
        visitor.post(change_url(agent), {"frontmatter_yaml": "name: hacked\n", "body": "x"})
    agent.refresh_from_db()
    assert not agent.locally_modified and agent.name == "release-helper"


def test_staff_without_change_permission_cannot_edit(tree, django_user_model):
    """A staff member who may only view definitions sees them but cannot save an edit."""
    _, _, agent = tree
    viewer = django_user_model.objects.create_user("viewer", password="a-long-enough-password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_definition"))
    client = Client()
    client.force_login(viewer)
    assert client.get(change_url(agent)).status_code == 200
    response = client.post(change_url(agent), {"frontmatter_yaml": "name: hacked\n", "body": "x"})
    assert response.status_code == 403
    agent.refresh_from_db()
    assert not agent.locally_modified


def test_state_changes_need_csrf(tree, import_tree, admin_user):
    """Without a CSRF token an edit and a resolution are refused."""
    root, path, agent = tree
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(change_url(agent), {"frontmatter_yaml": "name: x\n", "body": "x"}).status_code == 403
    Conflict.objects.create(definition=agent, upstream_raw=b"---\nname: x\n---\n", upstream_sha256="0" * 64)
    conflict = Conflict.objects.get()
    assert client.post(resolve_url(conflict), {"how": "took-upstream"}).status_code == 403
    assert Conflict.objects.open().exists()


def test_anonymous_visitors_never_see_admin_links(tree, client, admin_client):
    """Public pages link the admin only for staff."""
    _, _, agent = tree
    for url in (reverse("catalog:overview"), agent.get_absolute_url(), reverse("catalog:agent_list")):
        assert "/admin/" not in client.get(url).text
    assert reverse("admin:index") in admin_client.get(agent.get_absolute_url()).text


def test_login_is_throttled_after_five_failures(client, django_user_model, settings):
    """Five wrong passwords lock the client out: even the right password is then refused."""
    django_user_model.objects.create_user("staff", password="the-right-password", is_staff=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "staff", "password": "wrong"})
        assert response.status_code == 200  # the login form again, with its error
    response = client.post(login, {"username": "staff", "password": "wrong"})
    assert response.status_code == 429  # the fifth failure locks
    response = client.post(login, {"username": "staff", "password": "the-right-password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="staff").failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_a_correct_login_still_works_before_the_limit(client, django_user_model):
    """A few failures followed by the right password log in."""
    django_user_model.objects.create_user("staff", password="the-right-password", is_staff=True)
    login = reverse("admin:login")
    for _ in range(2):
        client.post(login, {"username": "staff", "password": "wrong"})
    response = client.post(login, {"username": "staff", "password": "the-right-password"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_collections_and_problems_are_browsable(sample_catalog, admin_client):
    """Collection pages count definitions and link their problems."""
    collection = Collection.objects.get()
    response = admin_client.get(change_url(collection))
    assert f"{Problem.objects.filter(collection=collection).count()} problems" in response.text
    assert User.objects.filter(is_superuser=True).exists()
