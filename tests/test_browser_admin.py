"""The admin in real Chromium: a staff member logs in, edits an agent, and settles a conflict.

Runs against ``live_server``; every page visited must stay free of console errors and CSP
violations (the admin's scripts and styles are static files, which script-src 'self' allows).
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Definition
from catalog.services.editing import save_edit
from catalog.services.exporting import dump_frontmatter, frontmatter_of
from tests.helpers import SAMPLE, SAMPLE_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff(transactional_db, django_user_model):
    """A staff member (not a superuser) allowed to view and change definitions and conflicts."""
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    codenames = ("view_definition", "change_definition", "view_conflict", "change_conflict")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames))
    return user


def log_in(page, live_server):
    tab = page.page
    tab.goto(live_server.url + reverse("admin:index"))
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    expect(tab.locator("#site-name")).to_contain_text("AgentDash administration")
    page.assert_clean()


def test_staff_edits_a_description_and_the_public_page_shows_it(live_server, page, staff, import_tree):
    """Log in, change an agent's description in the frontmatter field, save, see it on the public page."""
    import_tree(SAMPLE, collection=SAMPLE_NAME)
    agent = Definition.objects.select_related("collection").get(slug="api-designer")
    log_in(page, live_server)
    tab = page.page

    tab.goto(live_server.url + reverse("admin:catalog_definition_change", args=[agent.pk]))
    expect(tab.locator("#id_frontmatter_yaml")).to_be_visible()
    page.assert_clean()
    mapping = frontmatter_of(agent)
    mapping["description"] = "Designs APIs: contracts first, then code."
    tab.fill("#id_frontmatter_yaml", dump_frontmatter(mapping))
    tab.click("input[name=_save]")
    expect(tab.locator(".messagelist .success")).to_contain_text("was changed successfully")
    page.assert_clean()

    tab.goto(live_server.url + agent.get_absolute_url())
    expect(tab.locator("main")).to_contain_text("Designs APIs: contracts first, then code.")
    page.assert_clean()
    agent.refresh_from_db()
    assert agent.locally_modified


def test_staff_resolves_a_conflict_by_taking_upstream(live_server, page, staff, tmp_path, import_tree):
    """The resolve page shows both sides; taking upstream applies the new file and closes the conflict."""
    path = tmp_path / "agents" / "release-helper.md"
    path.parent.mkdir()
    path.write_text("---\nname: release-helper\ndescription: Upstream words.\n---\n\n## Duties\n- Tag releases.\n")
    import_tree(tmp_path)
    agent = Definition.objects.get(slug="release-helper")
    save_edit(agent, "---\nname: release-helper\ndescription: Local words.\n---\n\n## Duties\n- Tag releases.\n")
    path.write_text(
        "---\nname: release-helper\ndescription: Newer upstream words.\n---\n\n## Duties\n- Sign releases.\n"
    )
    import_tree(tmp_path)
    conflict = agent.conflicts.open().get()

    log_in(page, live_server)
    tab = page.page
    tab.goto(live_server.url + reverse("admin:catalog_definition_change", args=[agent.pk]))
    tab.get_by_role("link", name="Compare and resolve").click()
    expect(tab.locator(".conflict-fields")).to_contain_text("Newer upstream words.")
    expect(tab.locator(".conflict-diff").first).to_contain_text("Sign releases.")
    page.assert_clean()

    tab.get_by_role("button", name="Take the upstream version").click()
    expect(tab.locator(".messagelist .success")).to_contain_text("took the upstream version")
    page.assert_clean()
    conflict.refresh_from_db()
    agent.refresh_from_db()
    assert conflict.resolution == "took-upstream"
    assert (agent.description, agent.locally_modified) == ("Newer upstream words.", False)
