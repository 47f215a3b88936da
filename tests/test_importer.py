"""The importer service and the import_agents command, on SQLite and PostgreSQL alike."""

import csv
import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models

from catalog.models import Collection, Definition, DefinitionVersion, Edge, ImportRun, Item, Problem
from catalog.services import importer, rows
from tests.helpers import CORPUS, SEEDS, seed_path

pytestmark = pytest.mark.django_db

AGENT = """---
name: {name}
description: {description}
tools: Read, Grep, Bash(git:*)
model: sonnet
---

# {title}

## Core Responsibilities
- Keep the {name} promises.

## Success Metrics
- Review turnaround under 4 hours.
"""


def write_agent(root, name, description="Reviews things carefully.", title=None):
    path = root / "agents" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(AGENT.format(name=name, description=description, title=title or name.title()))
    return path


def adds_up(report):
    return report.found == report.created + report.updated + report.unchanged + report.skipped + report.rejected


def test_import_creates_definitions_with_derived_rows(tmp_path, import_tree):
    """A small tree imports into one collection with tools, items and provenance kept."""
    write_agent(tmp_path, "code-reviewer")
    (tmp_path / "README.md").write_text("# Not an agent\n")
    report = import_tree(tmp_path)

    assert (report.found, report.created, report.skipped, report.rejected) == (2, 1, 1, 0)
    assert adds_up(report)
    agent = Definition.objects.get()
    assert agent.collection.name == tmp_path.name
    assert (agent.kind, agent.format, agent.slug, agent.model) == ("agent", "claude-code", "code-reviewer", "sonnet")
    assert agent.source_path == "agents/code-reviewer.md"
    assert bytes(agent.raw) == (tmp_path / "agents/code-reviewer.md").read_bytes()
    assert len(agent.sha256) == 64
    links = list(agent.tool_links.select_related("tool"))
    assert [(link.tool.name, link.pattern) for link in links] == [("Read", ""), ("Grep", ""), ("Bash", "git:*")]
    assert set(agent.items.values_list("field", flat=True)) == {"responsibility", "metric"}


def test_reimport_of_unchanged_tree_changes_nothing(tmp_path, import_tree):
    """Idempotent: the second import of the same files reports only unchanged ones."""
    write_agent(tmp_path, "a")
    write_agent(tmp_path, "b")
    import_tree(tmp_path)
    before = list(Definition.objects.values_list("pk", "sha256", "imported_at"))
    second = import_tree(tmp_path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert list(Definition.objects.values_list("pk", "sha256", "imported_at")) == before


def test_changed_file_is_updated_and_previous_version_kept(tmp_path, import_tree):
    """A changed file updates its definition in place and keeps the old content as a version."""
    path = write_agent(tmp_path, "a", description="First words.")
    import_tree(tmp_path)
    old_raw = path.read_bytes()
    write_agent(tmp_path, "a", description="Second words.")
    report = import_tree(tmp_path)

    assert (report.created, report.updated) == (0, 1)
    agent = Definition.objects.get()
    assert agent.description == "Second words."
    version = DefinitionVersion.objects.get(definition=agent)
    assert bytes(version.raw) == old_raw
    assert agent.items.count() == 2  # derived rows replaced, not duplicated


def test_import_stores_each_body_rendered_with_its_toc(tmp_path, import_tree):
    """Rendering happens at import: the row holds sanitized HTML, the toc and the hash it came
    from; a changed file is rendered again."""
    path = write_agent(tmp_path, "a", title="First Title")
    import_tree(tmp_path)
    agent = Definition.objects.get()
    assert agent.rendered_sha256 == agent.sha256
    assert '<h1 id="h-first-title">First Title</h1>' in agent.rendered_html
    toc = [entry["text"] for entry in agent.rendered_toc]
    assert toc == ["First Title", "Core Responsibilities", "Success Metrics"]

    path.write_text(path.read_text().replace("First Title", "Second <script>x()</script>Title"))
    import_tree(tmp_path)
    agent.refresh_from_db()
    assert agent.rendered_sha256 == agent.sha256
    assert "Second" in agent.rendered_html and "First Title" not in agent.rendered_html
    assert "<script" not in agent.rendered_html


def test_vanished_file_is_marked_missing_not_deleted(tmp_path, import_tree):
    """A file that disappears upstream stays in the catalog, marked missing."""
    write_agent(tmp_path, "a")
    gone = write_agent(tmp_path, "b")
    import_tree(tmp_path)
    gone.unlink()
    report = import_tree(tmp_path)
    assert report.missing == 1
    assert Definition.objects.get(slug="b").missing is True
    assert Definition.objects.get(slug="a").missing is False


def test_one_bad_file_is_recorded_and_never_aborts_the_others(tmp_path, import_tree):
    """An oversized file is rejected with a problem naming it; its neighbours still import."""
    write_agent(tmp_path, "good")
    big = tmp_path / "agents" / "huge.md"
    big.write_text("---\nname: huge\ndescription: x\n---\n" + "x" * (1024 * 1024 + 10))
    bomb = tmp_path / "agents" / "bomb.md"
    bomb.write_text(
        "---\nname: bomb\ndescription: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"l{i}: &l{i} [*{prev}, *{prev}]\n" for i, prev in enumerate(["a"] + [f"l{n}" for n in range(11)]))
        + "---\nbody\n"
    )
    report = import_tree(tmp_path)

    assert report.created == 1
    assert report.rejected == 2
    assert adds_up(report)
    rejected = {problem.path for problem in Problem.objects.filter(definition=None)}
    assert rejected == {"agents/huge.md", "agents/bomb.md"}
    assert all(r["path"].endswith((".md",)) and r["reason"] for r in report.rejections)


def test_failed_import_leaves_previous_catalog_whole(tmp_path, import_tree, monkeypatch):
    """Atomic: an error half-way through the writes rolls everything back."""
    write_agent(tmp_path, "a", description="Original.")
    import_tree(tmp_path)
    write_agent(tmp_path, "a", description="Changed.")
    write_agent(tmp_path, "b")

    def explode(*args, **kwargs):
        raise RuntimeError("simulated crash after the definitions were written")

    monkeypatch.setattr(rows, "resolve_catalog", explode)
    with pytest.raises(RuntimeError):
        import_tree(tmp_path)

    assert list(Definition.objects.values_list("slug", "description")) == [("a", "Original.")]
    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.FAILED


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="platform without symlinks")
def test_symlinks_leaving_the_root_are_not_followed(tmp_path, import_tree):
    """A link to a file outside the imported root is skipped with a reason, never read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write_agent(outside, "secret")
    root = tmp_path / "root"
    write_agent(root, "inside")
    (root / "agents" / "link.md").symlink_to(secret)
    report = import_tree(root)
    assert list(Definition.objects.values_list("slug", flat=True)) == ["inside"]
    assert report.skipped == 1 and adds_up(report)


def test_single_file_with_any_extension(import_tree):
    """A file named on the command line imports whatever its extension (the seeds are .txt)."""
    seed = seed_path("001")
    report = import_tree(seed)
    assert report.created == 1
    assert Definition.objects.get().slug == "backend-architect"


def test_seed_000_headings_repaired(import_tree):
    """The mojibake seed imports with 🧠 in its headings, not ðŸ§ , and a warning says so."""
    import_tree(seed_path("000"))
    agent = Definition.objects.get()
    assert "## 🧠 Your Identity & Memory" in agent.body
    assert "ðŸ" not in agent.body
    assert agent.problems.filter(code="mojibake-repaired").exists()


def test_seeds_as_a_directory_keep_distinct_slugs(import_tree):
    """Five files naming the same agent in one collection get distinct, stable slugs."""
    import_tree(SEEDS)
    slugs = list(Definition.objects.order_by("source_path").values_list("slug", flat=True))
    assert len(slugs) == 5 and len(set(slugs)) == 5
    assert import_tree(SEEDS).unchanged == 5
    assert list(Definition.objects.order_by("source_path").values_list("slug", flat=True)) == slugs


def test_command_prints_summary_that_adds_up(tmp_path):
    """import_agents prints found = created + updated + unchanged + skipped + rejected."""
    write_agent(tmp_path, "a")
    (tmp_path / "CONTRIBUTING.md").write_text("# How to help\n")
    out = StringIO()
    call_command("import_agents", str(tmp_path), stdout=out)
    assert "found 2 = created 1 + updated 0 + unchanged 0 + skipped 1 + rejected 0" in out.getvalue()


def test_command_json_report(tmp_path):
    """--json prints one JSON object with the report's keys."""
    write_agent(tmp_path, "a")
    out = StringIO()
    call_command("import_agents", str(tmp_path), "--json", "--collection", "Mine", stdout=out)
    report = json.loads(out.getvalue())
    assert {"found", "created", "updated", "unchanged", "skipped", "rejected", "problems"} <= set(report)
    assert report["created"] == 1
    assert Collection.objects.get().name == "Mine"


def test_sample_catalog_shows_what_agentdash_does(sample_catalog):
    """The bundled sample has agents, commands, skills, edges, items and a deliberately broken file."""
    kinds = set(Definition.objects.values_list("kind", flat=True))
    assert kinds == {"agent", "command", "skill"}
    assert Definition.objects.filter(kind="agent").count() >= 10
    assert Edge.objects.exclude(target=None).exists()
    assert Edge.objects.filter(target=None).exists()  # a dangling collaborator, on purpose
    assert Item.objects.filter(field="metric").exists()
    assert sample_catalog.rejected >= 1 or Problem.objects.filter(severity="warning").exists()


@pytest.mark.corpus
def test_whole_corpus_imports(import_tree):
    """The real corpus imports without a crash; >= 99% of definition files get a name and description."""
    report = import_tree(CORPUS)
    assert adds_up(report)

    definitions = Definition.objects.count()
    named = Definition.objects.exclude(name="").exclude(description="").count()
    candidates = report.created + report.rejected
    assert named >= 0.99 * candidates, (named, candidates)
    # Everything not imported has a recorded reason.
    assert sum(report.skip_reasons.values()) == report.skipped
    assert len(report.rejections) == report.rejected
    # The manifest lists how many definition files each repository has; we find them all.
    with open(CORPUS / "MANIFEST.tsv") as handle:
        expected = sum(
            int(row["n_agent_files"]) + int(row["n_command_files"]) + int(row["n_skill_files"])
            for row in csv.DictReader(handle, delimiter="\t")
        )
    assert definitions + report.rejected == expected

    second = import_tree(CORPUS)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == definitions


def test_cross_file_findings_follow_the_neighbours(tmp_path, import_tree):
    """A skill added later resolves an unchanged agent's unresolved-skill finding on re-import."""
    agent = write_agent(tmp_path, "writer")
    agent.write_text(agent.read_text().replace("model: sonnet", "model: sonnet\nskills: style-guide"))
    import_tree(tmp_path)
    writer = Definition.objects.get(slug="writer")
    assert writer.problems.filter(code="unresolved-skill").exists()
    assert writer.problem_count == writer.problems.count()

    skill = tmp_path / "skills" / "style-guide" / "SKILL.md"
    skill.parent.mkdir(parents=True)
    skill.write_text("---\nname: style-guide\ndescription: House style for prose.\n---\n\n## Rules\n- Short words.\n")
    report = import_tree(tmp_path)
    assert (report.created, report.unchanged) == (1, 1)
    writer.refresh_from_db()
    assert not writer.problems.filter(code="unresolved-skill").exists()
    assert writer.problem_count == writer.problems.count()


def planner_row_estimate(table):
    """How many rows the database's planner statistics say ``table`` holds (None: never measured)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            (estimate,) = cursor.fetchone()
            return None if estimate < 0 else estimate
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else None


def test_a_large_import_refreshes_the_planner_statistics(tmp_path, import_tree):
    """After an import of many files the planner knows how big the tables are: stale statistics
    (an empty table) once made PostgreSQL scan every definition for each edge of a detail page."""
    for n in range(importer.REFRESH_STATISTICS_AFTER):
        write_agent(tmp_path, f"agent-{n:03d}")
    import_tree(tmp_path)
    assert planner_row_estimate("catalog_definition") == pytest.approx(importer.REFRESH_STATISTICS_AFTER, rel=0.1)
    assert planner_row_estimate("catalog_item") >= 2 * importer.REFRESH_STATISTICS_AFTER * 0.9


# --- collections are their sources -----------------------------------------------------


def write_category_repository(root, agents):
    """A repository of category folders at its root and a README (no agents/ folder)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text(f"# {root.name}\n")
    for relpath in agents:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(AGENT.format(name=path.stem, description=f"The {path.stem}.", title=path.stem))


def test_category_folders_make_one_collection_with_categories(tmp_path, import_tree):
    """design/ and engineering/ at a repository's root are categories of one collection."""
    write_category_repository(tmp_path / "agency", ["design/ui-designer.md", "engineering/frontend-developer.md"])
    report = import_tree(tmp_path / "agency")
    assert report.collections == ["agency"]
    assert dict(Definition.objects.values_list("slug", "category")) == {
        "ui-designer": "design",
        "frontend-developer": "engineering",
    }


def test_two_repositories_sharing_folder_names_stay_apart(tmp_path, import_tree):
    """The 86-missing bug: a second repository with the same folder names marks nothing of the first."""
    write_category_repository(tmp_path / "one" / "agency", ["design/a.md", "engineering/b.md", "testing/c.md"])
    write_category_repository(tmp_path / "two" / "agency", ["design/d.md", "engineering/e.md"])
    first = import_tree(tmp_path / "one" / "agency")
    second = import_tree(tmp_path / "two" / "agency")
    assert (first.created, second.created, first.missing, second.missing) == (3, 2, 0, 0)
    assert Definition.objects.filter(missing=True).count() == 0
    names = sorted(Collection.objects.values_list("name", flat=True))
    assert names == ["agency", "two/agency"]
    again = import_tree(tmp_path / "one" / "agency")
    assert (again.unchanged, again.missing, again.created) == (3, 0, 0)
    assert Definition.objects.filter(missing=True).count() == 0


def test_a_directory_of_repositories_imports_one_collection_each(tmp_path, import_tree):
    """Repositories side by side in one folder: one collection each, named after their folders."""
    write_category_repository(tmp_path / "acme__agents", ["design/a.md"])
    plugin = tmp_path / "bob__plugin"
    write_agent(plugin, "reviewer")
    (plugin / ".claude-plugin").mkdir()
    (plugin / ".claude-plugin" / "plugin.json").write_text('{"name": "reviews"}')
    report = import_tree(tmp_path)
    assert sorted(report.collections) == ["acme/agents", "bob/plugin"]
    assert Definition.objects.get(slug="reviewer").plugin == "reviews"
    assert Collection.objects.get(name="bob/plugin").kind == "plugin"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")
def test_corpus_imports_into_one_collection_per_repository(import_tree):
    """8 repositories, 8 collections, each with MANIFEST.tsv's counts."""
    import_tree(CORPUS)
    expected = {}
    with open(CORPUS / "MANIFEST.tsv") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = row["repo"] + (" (legacy)" if row["repo"] in expected else "")
            counts = {kind: int(row[f"n_{kind}_files"]) for kind in ("agent", "command", "skill")}
            expected[name] = {kind: n for kind, n in counts.items() if n}
    found = {}
    for collection, kind, count in (
        Definition.objects.values_list("collection__name", "kind").annotate(n=models.Count("pk")).order_by()
    ):
        found.setdefault(collection, {})[kind] = count
    assert found == expected


def test_a_file_given_alone_joins_its_repository(tmp_path, import_tree):
    """design/new.md of an imported repository goes into that repository's collection, with its
    category, instead of a collection named "design"; nothing else is marked missing."""
    write_category_repository(tmp_path / "agency", ["design/a.md", "testing/b.md"])
    import_tree(tmp_path / "agency")
    new = tmp_path / "agency" / "design" / "new.md"
    new.write_text(AGENT.format(name="new", description="New.", title="New"))
    report = import_tree(new)
    assert (report.created, report.missing) == (1, 0)
    assert list(Collection.objects.values_list("name", flat=True)) == ["agency"]
    assert Definition.objects.get(slug="new").source_path == "design/new.md"
    assert Definition.objects.get(slug="new").category == "design"
