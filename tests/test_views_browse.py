"""Browse pages (catalog.views.browse and overview): full pages, HTMX fragments, JSON twins.

The catalog here is built row by row, so every case the pages must show (a legacy tool, an
unknown tool, a dangling collaborator, an unresolved command, a problem, a missing file, a
near-copy in another collection) is present exactly once and the pinned query counts do
not depend on the parser. Query counts are pinned with the cache cleared (the first view
after an import) and, where a cache is used, again when warm.
"""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape

from catalog.core import rendering
from catalog.core.analysis import render_body, toc_rows
from catalog.core.rendering import ANCHOR_PREFIX
from catalog.models import (
    Collection,
    Definition,
    DefinitionTool,
    Edge,
    ImportRun,
    Problem,
    Reference,
    Tool,
)
from catalog.selectors import browse, variants
from catalog.services.importer import import_paths
from tests.helpers import CORPUS, HTMX, assert_fragment, assert_page

# Query counts here are the views' own: the page cache in front of them is tested in test_page_cache.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

COMPARE_ARCHITECTS = "/compare/?left=alpha%2Fagent%2Fbackend-architect&right=beta%2Fagent%2Fbackend-architect"

ARCHITECT_BODY = """# Backend Architect

You design **scalable** backend systems, service boundaries and data models.

## Core Responsibilities

- Design service boundaries and APIs with versioning and pagination
- Choose storage engines and plan schema migrations with rollbacks
- Review capacity plans, caching layers and queue topologies

## Workflow

Hand the API contract to frontend-engineer once it is reviewed.

```python
def handler(request):
    return {"status": "ok"}
```
"""

DESIGNER_BODY = """# API Designer

Write OpenAPI documents, error envelopes and naming conventions for public endpoints.

## Checklist

- Every endpoint documents its errors
- Pagination uses cursors
"""


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts as the first request after an import: nothing cached."""
    cache.clear()
    yield
    cache.clear()


def make_definition(collection, kind, slug, *, body="", frontmatter=None, raw=None, run=None, **fields):
    frontmatter = frontmatter if frontmatter is not None else {"name": slug, "description": f"The {slug}."}
    if raw is None:
        raw = ("---\n" + "".join(f"{k}: {v}\n" for k, v in frontmatter.items()) + "---\n" + body).encode()
    rendered = render_body(body)  # as an import stores it
    values = {
        "rendered_html": rendered.html,
        "rendered_toc": toc_rows(rendered.toc),
        "rendered_sha256": hashlib.sha256(raw).hexdigest(),
        "format": Definition.Format.CLAUDE_CODE,
        "name": slug,
        "description": frontmatter.get("description", ""),
        "source_path": f"{kind}s/{slug}.md",
    } | fields
    return Definition.objects.create(
        collection=collection,
        kind=kind,
        slug=slug,
        frontmatter=frontmatter,
        body=body,
        source_text=raw.decode("utf-8", "replace"),
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        import_run=run,
        imported_at=timezone.now(),
        **values,
    )


def allow(definition, *links):
    """Give a definition tools: (tool, raw, legacy, enabled) tuples in the order written."""
    DefinitionTool.objects.bulk_create(
        DefinitionTool(definition=definition, tool=tool, raw=raw, legacy=legacy, enabled=enabled, position=n)
        for n, (tool, raw, legacy, enabled) in enumerate(links)
    )


@pytest.fixture
def catalog():
    """Two collections with agents, a skill, and every odd case the pages must show."""
    run = ImportRun.objects.create(status=ImportRun.Status.SUCCEEDED, finished_at=timezone.now(), found=7)
    alpha = Collection.objects.create(name="Alpha Agents", slug="alpha", origin="https://example.com/alpha")
    beta = Collection.objects.create(name="Beta Agents", slug="beta")
    tools = {
        name: Tool.objects.create(name=name, kind=kind)
        for name, kind in [
            ("Read", "builtin"),
            ("Bash", "builtin"),
            ("Edit", "builtin"),
            ("WebFetch", "builtin"),
            ("codebase", "other"),
        ]
    }
    architect = make_definition(
        alpha,
        "agent",
        "backend-architect",
        body=ARCHITECT_BODY,
        frontmatter={
            "name": "backend-architect",
            "description": "Designs backends.",
            "model": "sonnet",
            "x-team": "platform",
            "metadata": {"owners": ["ana", "bo"]},
        },
        model="sonnet",
        run=run,
        problem_count=1,
        collaborator_count=2,
    )
    allow(
        architect,
        (tools["Read"], "Read", "", True),
        (tools["Bash"], "Bash(git:*)", "", True),
        (tools["Edit"], "MultiEdit", "MultiEdit", True),
        (tools["codebase"], "codebase", "", True),
    )
    frontend = make_definition(
        alpha, "agent", "frontend-engineer", body="# Frontend\n\nBuild pages.\n", model="opus", run=run,
        collaborator_count=1,
    )  # fmt: skip
    allow(frontend, (tools["Read"], "Read", "", True), (tools["WebFetch"], "WebFetch", "", True))
    copy = make_definition(
        beta,
        "agent",
        "backend-architect",
        body=ARCHITECT_BODY + "\nAlso own the on-call runbook.\n",
        format=Definition.Format.COPILOT,
        source_path="backend-architect.agent.md",
        run=run,
    )
    allow(copy, (tools["WebFetch"], "fetch", "", True))
    designer = make_definition(beta, "agent", "api-designer", body=DESIGNER_BODY, run=run)
    allow(designer, (tools["Read"], "read", "", True), (tools["Bash"], "bash", "", False))
    make_definition(beta, "agent", "retired-agent", body="Gone.", run=run, missing=True)
    checklist = make_definition(alpha, "skill", "release-checklist", body="# Release checklist\n", run=run)

    Reference.objects.create(definition=architect, kind="skill", name="release-checklist", target=checklist)
    Reference.objects.create(definition=architect, kind="command", name="deploy")
    Edge.objects.create(
        source=architect, target=frontend, target_name="frontend-engineer", kind=Edge.Kind.HANDS_OFF_TO,
        evidence="Hand the API contract to frontend-engineer once it is reviewed.", line=17,
    )  # fmt: skip
    Edge.objects.create(
        source=architect, target=None, target_name="ghost-agent", kind=Edge.Kind.PEER,
        evidence="Works with ghost-agent.", line=9,
    )  # fmt: skip
    Problem.objects.create(
        definition=architect, collection=alpha, import_run=run, path=architect.source_path, line=3,
        severity="warning", code="yaml-lenient", message="The frontmatter is not valid YAML; read it line by line.",
    )  # fmt: skip
    Problem.objects.create(
        collection=beta, import_run=run, path="agents/broken.md", severity="error", code="file-too-large",
        message="File is 2,000,000 bytes; the limit is 1,048,576 bytes.",
    )  # fmt: skip
    return {
        "run": run,
        "alpha": alpha,
        "beta": beta,
        "architect": architect,
        "frontend": frontend,
        "copy": copy,
        "designer": designer,
        "checklist": checklist,
    }


def names(response):
    return [item["name"] + "@" + item["collection"] for item in response.json()["results"]]


# ---------------------------------------------------------------------------
# Agent list
# ---------------------------------------------------------------------------


def test_agent_list_is_a_full_page_with_every_present_agent(client, catalog, django_assert_num_queries):
    """The page lists present agents only, with a filter form wired to HTMX, in 12 queries when cold."""
    # count, the page's keys, its rows, their tools, catalog stamp, then the six filter choices (rules included)
    with django_assert_num_queries(12):
        response = client.get("/agents/")
    assert_page(response)
    html = response.content.decode()
    for name in ("backend-architect", "frontend-engineer", "api-designer"):
        assert name in html
    assert "retired-agent" not in html
    assert "release-checklist</a>" not in html  # skills have their own list
    assert 'hx-trigger="change, submit"' in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert 'method="get"' in html
    assert "4 agents" in html


def test_agent_list_filter_choices_are_cached_until_the_catalog_changes(client, catalog, django_assert_num_queries):
    """A second page view reuses the filter choices; a new import run invalidates them."""
    client.get("/agents/")
    with django_assert_num_queries(5):  # count, keys, rows, their tools, catalog stamp
        client.get("/agents/")
    ImportRun.objects.create()
    with django_assert_num_queries(12):
        client.get("/agents/")


def test_agent_list_fragment_is_only_the_results(client, catalog, django_assert_num_queries):
    """An HTMX request gets the results partial, never the filter choices' queries."""
    with django_assert_num_queries(4):  # count, keys, rows, their tools
        response = client.get("/agents/?tool=Bash", headers=HTMX)
    assert_fragment(response)
    html = response.content.decode()
    assert "backend-architect" in html
    assert "frontend-engineer" not in html
    assert "<form" not in html
    assert "1 agent matches the filters" in html


def test_boosted_and_history_restore_requests_get_the_full_page(client, catalog):
    """The back button and hx-boost must never show a bare fragment."""
    assert_page(client.get("/agents/", headers=HTMX | {"HX-Boosted": "true"}))
    assert_page(client.get("/agents/", headers=HTMX | {"HX-History-Restore-Request": "true"}))


def test_list_query_count_does_not_grow_with_the_rows(client, catalog, django_assert_num_queries):
    """No N+1: thirty more agents with tools cost no extra query."""
    read = Tool.objects.get(name="Read")
    for n in range(30):
        agent = make_definition(catalog["alpha"], "agent", f"extra-{n:02d}", body="Extra.")
        allow(agent, (read, "Read", "", True))
    with django_assert_num_queries(4):
        response = client.get("/agents/?format=json")
    assert response.json()["count"] == 34


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["api-designer@beta", "backend-architect@alpha", "backend-architect@beta", "frontend-engineer@alpha"]),
        ("collection=beta", ["api-designer@beta", "backend-architect@beta"]),
        ("file_format=copilot", ["backend-architect@beta"]),
        ("model=sonnet", ["backend-architect@alpha"]),
        ("tool=Bash", ["backend-architect@alpha"]),  # api-designer lists bash as disabled
        ("tool=Edit", ["backend-architect@alpha"]),
        ("tool=WebFetch", ["backend-architect@beta", "frontend-engineer@alpha"]),
        ("skill=release-checklist", ["backend-architect@alpha"]),
        ("problems=yes", ["backend-architect@alpha"]),
        ("problems=no", ["api-designer@beta", "backend-architect@beta", "frontend-engineer@alpha"]),
        ("collection=alpha&tool=Read&problems=no", ["frontend-engineer@alpha"]),
        ("file_format=bogus&problems=maybe&sort=nonsense", ["api-designer@beta", "backend-architect@alpha",
                                                       "backend-architect@beta", "frontend-engineer@alpha"]),
        ("tool=NoSuchTool", []),
        ("rule=yaml-lenient", ["backend-architect@alpha"]),
        ("rule=file-too-large", []),  # a rejected file's problem belongs to no definition
        ("rule=no-such-rule", []),  # an unknown rule matches nothing, never everything
        ("min_size=1&max_size=0", []),
        ("min_size=²&max_size=-1", ["api-designer@beta", "backend-architect@alpha", "backend-architect@beta",
                                    "frontend-engineer@alpha"]),
    ],
)  # fmt: skip
def test_agent_list_filters(client, catalog, query, expected):
    """Each filter narrows the list; patterns (Bash(git:*)) and legacy names (MultiEdit) count under
    their canonical tool, disabled tools do not; values that cannot be valid are ignored."""
    response = client.get(f"/agents/?format=json&{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["api-designer", "backend-architect", "backend-architect", "frontend-engineer"]),
        ("-name", ["frontend-engineer", "backend-architect", "backend-architect", "api-designer"]),
        ("collection", ["backend-architect@alpha", "frontend-engineer@alpha", "api-designer@beta",
                        "backend-architect@beta"]),
        ("-collaborators", ["backend-architect@alpha", "frontend-engineer@alpha", "api-designer@beta",
                            "backend-architect@beta"]),
    ],
)  # fmt: skip
def test_agent_list_sorts(client, catalog, sort, expected):
    """Sorting by name, collection and number of collaborators, ties broken by name."""
    got = names(client.get(f"/agents/?format=json&sort={sort}"))
    if "@" not in expected[0]:
        got = [name.split("@")[0] for name in got]
    assert got == expected


def test_agent_list_sorts_by_size(client, catalog):
    """Largest first and smallest first follow the stored file size."""
    largest = client.get("/agents/?format=json&sort=-size").json()["results"]
    sizes = [item["size"] for item in largest]
    assert sizes == sorted(sizes, reverse=True)
    smallest = client.get("/agents/?format=json&sort=size").json()["results"]
    assert [item["size"] for item in smallest] == sorted(sizes)


def test_agent_list_paginates_and_keeps_the_filters(client, catalog, monkeypatch):
    """Page links keep every other parameter; the JSON twin links the next and previous pages."""
    monkeypatch.setattr(browse, "PAGE_SIZE", 1)
    data = client.get("/agents/?format=json&tool=Read&sort=-name").json()
    assert data["count"] == 3
    assert data["pages"] == 3
    assert data["previous"] is None
    assert data["next"] == "/agents/?format=json&tool=Read&sort=-name&page=2"
    second = client.get(data["next"])
    assert names(second) == ["backend-architect@alpha"]
    assert second.json()["previous"].endswith("page=1")

    html = client.get("/agents/?tool=Read&sort=-name&page=2", headers=HTMX).content.decode()
    assert 'href="?tool=Read&amp;sort=-name&amp;page=3"' in html
    assert 'hx-get="?tool=Read&amp;sort=-name&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_out_of_range_page_shows_the_last_page(client, catalog, monkeypatch):
    """A stale ?page= from a shared link still answers, with the last page."""
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    data = client.get("/agents/?format=json&page=99").json()
    assert data["page"] == 2
    assert client.get("/agents/?page=abc").status_code == 200


def test_full_page_keeps_the_filter_state_in_the_form(client, catalog):
    """The same URL without JavaScript shows the filters as chosen, from the query string alone."""
    html = client.get("/agents/?tool=Read&collection=beta&sort=-size&problems=no").content.decode()
    assert '<option value="Read" selected>' in html
    assert '<option value="beta" selected>' in html
    assert '<option value="-size" selected>' in html
    assert '<option value="no" selected>' in html
    assert "1 agent matches the filters" in html


def test_size_range_bounds_are_inclusive(client, catalog):
    """min_size and max_size keep the definitions whose file size lies between them, both included."""
    sizes = sorted(item["size"] for item in client.get("/agents/?format=json").json()["results"])
    low, high = sizes[1], sizes[-2]
    data = client.get(f"/agents/?format=json&min_size={low}&max_size={high}").json()
    assert sorted(item["size"] for item in data["results"]) == [size for size in sizes if low <= size <= high]


def test_rule_and_size_filters_are_fields_of_the_form(client, catalog):
    """A link from the overview (?rule=, ?min_size=) shows up in the form, so changing another
    filter keeps it; the rule choices are the stored problem codes with their titles and counts."""
    html = client.get("/agents/?rule=yaml-lenient&min_size=10&max_size=99999").content.decode()
    assert '<option value="yaml-lenient" selected>yaml-lenient: ' in html
    assert 'name="min_size" type="number"' in html and 'value="10"' in html
    assert 'value="99999"' in html
    assert "1 agent matches the filters" in html
    assert "file-too-large" not in html  # no definition has it, so it is no choice


def test_list_json_contract(client, catalog):
    """A list answers count and results; every item has a key and a url that resolves."""
    data = client.get("/agents/?format=json&collection=alpha").json()
    assert data["count"] == 2
    for item in data["results"]:
        assert item["key"].startswith("alpha/agent/")
        assert client.get(item["url"]).status_code == 200
    architect = next(item for item in data["results"] if item["name"] == "backend-architect")
    assert architect["tools"] == ["Read", "Bash", "Edit", "codebase"]
    assert architect["problem_count"] == 1


def test_skill_and_command_lists(client, catalog, django_assert_num_queries):
    """Skills and commands have the same list, page and fragment."""
    with django_assert_num_queries(12):  # as the agent list
        response = client.get("/skills/")
    assert_page(response)
    assert "release-checklist" in response.content.decode()
    assert "backend-architect" not in response.content.decode()
    with django_assert_num_queries(1):  # the count; an empty page needs no rows query
        assert_fragment(client.get("/commands/", headers=HTMX))
    assert client.get("/commands/?format=json").json() == {
        "count": 0, "page": 1, "pages": 1, "next": None, "previous": None, "results": [],
    }  # fmt: skip


# ---------------------------------------------------------------------------
# Definition detail
# ---------------------------------------------------------------------------


def test_detail_page_shows_every_panel(client, catalog, django_assert_num_queries):
    """Body, frontmatter, tools, references, collaborators, variants, problems and provenance.

    Cold: definition, references, stamp, five variant scoring queries (same
    name, name words, same collection, descriptions, bodies), variant rows, tools, edges
    out, edges in, problems, referenced-by: 14 queries, whatever the size of the catalog.
    """
    architect = catalog["architect"]
    with django_assert_num_queries(18):  # panels, plus versions, open conflict, two neighbourhood hops
        response = client.get(architect.get_absolute_url())
    assert_page(response)
    html = response.content.decode()
    # body, rendered and sanitized, with a table of contents pointing at heading anchors
    assert "<strong>scalable</strong>" in html
    assert f'href="#{ANCHOR_PREFIX}core-responsibilities"' in html
    assert f'id="{ANCHOR_PREFIX}core-responsibilities"' in html
    assert '<span class="k">def</span>' in html  # code highlighted by Pygments
    # frontmatter: every field, the unknown one flagged, nested values as JSON
    for key in ("name", "description", "model", "x-team", "metadata"):
        assert f"<dt>{key}" in html
    assert 'x-team <span class="badge warn"' in html
    assert "&quot;owners&quot;" in html
    # tools: links under the canonical name, legacy and unknown flagged
    assert 'href="/tools/Bash/"' in html and "Bash(git:*)" in html
    assert 'href="/tools/Edit/"' in html and "legacy name MultiEdit" in html
    assert "not a known tool" in html
    # skills link to the catalog; unresolved commands are shown, flagged
    assert f'href="{catalog["checklist"].get_absolute_url()}"' in html
    assert '<span class="chip flag" title="Not in the catalog">deploy</span>' in html
    # collaborators: resolved as links, dangling as plain names, with evidence and line
    assert f'<a href="{catalog["frontend"].get_absolute_url()}">frontend-engineer</a>' in html
    assert '<span class="dangling"' in html and "ghost-agent" in html
    assert "line 17: Hand the API contract" in html
    # variants: the near-copy in beta, with a similarity and a compare link
    assert COMPARE_ARCHITECTS.replace("&", "&amp;") in html
    # problems and provenance
    assert "The frontmatter is not valid YAML" in html
    assert architect.sha256[:16] in html
    assert "agents/backend-architect.md" in html
    assert f'href="{architect.get_absolute_url()}raw"' in html


def test_detail_page_shows_the_stored_html_and_never_renders(client, catalog, monkeypatch, django_assert_num_queries):
    """The body is rendered at import; a request only reads the stored HTML and toc."""

    def fail(text):
        raise AssertionError("a request rendered Markdown")

    monkeypatch.setattr(rendering, "render_markdown", fail)
    url = catalog["architect"].get_absolute_url()
    client.get(url)
    # warm: definition, references, stamp, variant rows, tools, edges out and in, problems, referenced-by
    with django_assert_num_queries(13):
        response = client.get(url)
    html = response.content.decode()
    assert "<strong>scalable</strong>" in html
    assert f'href="#{ANCHOR_PREFIX}core-responsibilities"' in html


def test_detail_fragment(client, catalog, django_assert_num_queries):
    """An HTMX request for a detail page gets its content without the layout."""
    url = catalog["frontend"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(12):  # as warm above, minus the variant rows: it has none
        response = client.get(url, headers=HTMX)
    assert_fragment(response)
    assert "frontend-engineer" in response.content.decode()


def test_detail_shows_who_names_an_agent(client, catalog):
    """Collaborators in: the agent that hands off to this one, linked."""
    html = client.get(catalog["frontend"].get_absolute_url()).content.decode()
    assert f'<a href="{catalog["architect"].get_absolute_url()}">backend-architect</a>' in html
    assert 'Naming this agent <span class="badge">1</span>' in html


def test_skill_detail_lists_who_references_it(client, catalog):
    """A skill's page lists the definitions that reference it, via Reference."""
    html = client.get(catalog["checklist"].get_absolute_url()).content.decode()
    assert "Referenced by" in html
    assert f'href="{catalog["architect"].get_absolute_url()}"' in html
    data = client.get(catalog["checklist"].get_absolute_url() + "?format=json").json()
    assert data["referenced_by"] == [
        {"key": "alpha/agent/backend-architect", "url": "/d/alpha/agent/backend-architect/"}
    ]


def test_imported_text_is_escaped_and_the_body_sanitized(client, catalog):
    """Descriptions and frontmatter values are escaped; the body's HTML goes through the sanitizer."""
    hostile = make_definition(
        catalog["alpha"],
        "agent",
        "hostile",
        body='# Hi\n\n<script>alert("body")</script>\n\n<img src=x onerror="alert(1)">\n',
        frontmatter={"name": "hostile", "description": "<script>alert('description')</script>", "x": "<b>bold</b>"},
    )
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;description&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "onerror" not in html.split('class="markdown"')[1].split("</section>")[0]


def test_detail_json_contract(client, catalog, django_assert_num_queries):
    """A detail answers at least key, url, kind, name, collection, description, model, tools
    (canonical), skills, commands, problems and variants; it never renders the body."""
    architect = catalog["architect"]
    with django_assert_num_queries(14):  # the HTML's panels without the HTML-only parts
        data = client.get(architect.get_absolute_url() + "?format=json").json()
    assert data["key"] == "alpha/agent/backend-architect"
    assert data["url"] == "/d/alpha/agent/backend-architect/"
    assert data["kind"] == "agent"
    assert data["name"] == "backend-architect"
    assert data["collection"] == "alpha"
    assert data["description"] == "Designs backends."
    assert data["model"] == "sonnet"
    assert data["tools"] == ["Read", "Bash", "Edit", "codebase"]
    assert data["skills"] == ["release-checklist"]
    assert data["commands"] == ["deploy"]
    assert data["problems"] == [
        {"severity": "warning", "code": "yaml-lenient", "line": 3,
         "message": "The frontmatter is not valid YAML; read it line by line."}
    ]  # fmt: skip
    (variant,) = [v for v in data["variants"] if v["relation"] == "same-name"]
    assert variant["key"] == "beta/agent/backend-architect"
    assert variant["url"] == "/d/beta/agent/backend-architect/"
    assert 0.9 < variant["similarity"] < 1
    assert variant["compare_url"] == COMPARE_ARCHITECTS
    assert data["collaborators"]["out"][1] == {
        "kind": "peer", "name": "ghost-agent", "key": None, "url": None,
        "evidence": "Works with ghost-agent.", "line": 9,
    }  # fmt: skip
    assert data["frontmatter"]["x-team"] == "platform"
    assert data["provenance"]["sha256"] == architect.sha256


def test_detail_of_an_unknown_definition_is_404(client, catalog):
    """Unknown collection, kind or slug: not found."""
    assert client.get("/d/alpha/agent/nobody/").status_code == 404
    assert client.get("/d/alpha/widget/backend-architect/").status_code == 404
    assert client.get("/d/nowhere/agent/backend-architect/").status_code == 404


def test_browse_pages_only_answer_get(client, catalog):
    """Every browse page is read-only."""
    for url in ("/", "/agents/", catalog["architect"].get_absolute_url(), "/tools/", "/collections/alpha/"):
        assert client.post(url).status_code == 405


# ---------------------------------------------------------------------------
# Variants
# ---------------------------------------------------------------------------


def test_variants_rank_same_name_copies_and_similar_content(catalog):
    """The edited copy in beta is the same-name variant; agents sharing under 10% of its
    words (frontend-engineer, api-designer) are not listed as similar."""
    same_name, similar = variants.variants(catalog["architect"])
    assert [v.definition.key for v in same_name] == ["beta/agent/backend-architect"]
    assert 0.9 < same_name[0].similarity < 1
    assert same_name[0].compare_url == COMPARE_ARCHITECTS
    assert similar == []


def test_similar_variants_are_ranked_by_similarity(catalog):
    """Agents of the same collection or sharing a name word are ranked, best first."""
    alpha = catalog["alpha"]
    close = make_definition(alpha, "agent", "service-architect", body=ARCHITECT_BODY.replace("Backend", "Service"))
    loose = make_definition(alpha, "agent", "data-modeller", body=ARCHITECT_BODY[:300] + "\nPlus warehouses.\n")
    _, similar = variants.variants(catalog["architect"])
    assert [v.definition.pk for v in similar] == [close.pk, loose.pk]
    assert similar[0].similarity > similar[1].similarity >= variants.MIN_SIMILARITY


def test_identical_content_elsewhere_is_similar_under_any_name(catalog):
    """An exact copy under another name is found through its hash, with similarity 1."""
    copy = make_definition(catalog["beta"], "agent", "renamed-copy", body=ARCHITECT_BODY)
    Definition.objects.filter(pk=copy.pk).update(sha256=catalog["architect"].sha256)
    _, similar = variants.variants(catalog["architect"])
    assert [(v.definition.slug, v.similarity) for v in similar][0] == ("renamed-copy", 1.0)


# ---------------------------------------------------------------------------
# Raw file
# ---------------------------------------------------------------------------


def test_raw_download_serves_the_exact_bytes(client, catalog):
    """The file as imported, byte for byte (CRLF, Latin-1), as a text/plain attachment, nosniff."""
    raw = b"---\r\nname: odd\r\n---\r\nCaf\xe9 <script>x</script>\r\n"
    odd = make_definition(catalog["alpha"], "agent", "odd", raw=raw, source_path="agents/odd file.md")
    response = client.get(odd.get_absolute_url() + "raw")
    assert response.status_code == 200
    assert response.content == raw
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'attachment; filename="odd file.md"'


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


def test_tool_list(client, catalog, django_assert_num_queries):
    """Every tool in use with its number of definitions, as page, fragment and JSON."""
    with django_assert_num_queries(2):  # count, rows
        response = client.get("/tools/")
    assert_page(response)
    with django_assert_num_queries(2):
        assert_fragment(client.get("/tools/?kind=other", headers=HTMX))
    data = client.get("/tools/?format=json&sort=usage").json()
    assert [(t["name"], t["definitions"]) for t in data["results"]] == [
        ("Read", 3), ("WebFetch", 2), ("Bash", 1), ("Edit", 1), ("codebase", 1),
    ]  # fmt: skip
    assert data["results"][0]["url"] == "/tools/Read/"
    assert [t["name"] for t in client.get("/tools/?format=json&kind=other").json()["results"]] == ["codebase"]


def test_tool_detail_lists_every_definition_allowed_it(client, catalog, django_assert_num_queries):
    """Every agent allowed WebFetch, with how each one wrote it."""
    # tool, counts by kind (which also give the paginator its count), legacy names, keys, rows, their tools
    with django_assert_num_queries(6):
        response = client.get("/tools/WebFetch/")
    assert_page(response)
    html = response.content.decode()
    assert catalog["frontend"].get_absolute_url() in html
    assert catalog["copy"].get_absolute_url() in html
    assert catalog["architect"].get_absolute_url() not in html
    data = client.get("/tools/WebFetch/?format=json").json()
    assert data["count"] == 2
    assert {(d["key"], tuple(d["written_as"])) for d in data["results"]} == {
        ("alpha/agent/frontend-engineer", ("WebFetch",)),
        ("beta/agent/backend-architect", ("fetch",)),
    }
    assert client.get("/tools/WebFetch/?kind=agent&format=json").json()["count"] == 2
    assert client.get("/tools/WebFetch/?kind=skill&format=json").json()["count"] == 0
    with django_assert_num_queries(5):  # the fragment never shows the legacy names
        assert_fragment(client.get("/tools/Edit/?kind=agent", headers=HTMX))
    assert "MultiEdit" in client.get("/tools/Edit/").content.decode()
    assert client.get("/tools/NoSuchTool/").status_code == 404


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


def test_collection_list(client, catalog, django_assert_num_queries):
    """Collections with their numbers of agents, commands and skills."""
    with django_assert_num_queries(1):
        response = client.get("/collections/")
    assert_page(response)
    with django_assert_num_queries(1):
        assert_fragment(client.get("/collections/", headers=HTMX))
    data = client.get("/collections/?format=json").json()
    assert [(c["slug"], c["agents"], c["skills"], c["url"]) for c in data["results"]] == [
        ("alpha", 2, 1, "/collections/alpha/"),
        ("beta", 2, 0, "/collections/beta/"),
    ]


def test_collection_detail(client, catalog, django_assert_num_queries):
    """Every definition of the collection with its problem count, and the files it rejected."""
    # collection, counts by kind (the definitions table's count too), the table (keys, rows, tools), the
    # problems table (count, rows), rejected files, categories, then the cold statistics: catalog
    # stamp, problems by rule and severity, kinds and formats, models, tools, rules, size buckets,
    # most connected, missing collaborators
    with django_assert_num_queries(18):
        response = client.get("/collections/beta/")
    assert_page(response)
    html = response.content.decode()
    assert "api-designer" in html and "backend-architect" in html
    assert "retired-agent" not in html
    assert "agents/broken.md" in html
    with django_assert_num_queries(6):  # with a problems filter the paginator counts the rows
        fragment = client.get("/collections/alpha/?problems=yes", headers=HTMX)
    assert_fragment(fragment)
    assert "backend-architect" in fragment.content.decode()
    assert "frontend-engineer" not in fragment.content.decode()
    data = client.get("/collections/alpha/?format=json&kind=skill").json()
    assert data["counts"] == {"agent": 2, "skill": 1}
    assert data["count"] == 1
    assert [d["key"] for d in data["results"]] == ["alpha/skill/release-checklist"]
    assert client.get("/collections/nowhere/").status_code == 404


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


def test_overview(client, catalog, django_assert_num_queries):
    """Counts linking to filtered lists, recent imports, names found in several collections."""
    # stamp, then the cold statistics: kinds and formats, models, tools, rules, size buckets, most
    # connected, missing collaborators, collections, problems by collection, imports, shared names (2),
    # largest families
    with django_assert_num_queries(14):
        response = client.get("/")
    assert_page(response)
    html = response.content.decode()
    assert '<a href="/agents/?file_format=claude-code">3</a>' in html
    assert '<a href="/agents/?file_format=copilot">1</a>' in html
    assert '<a href="/agents/?collection=alpha">2</a>' in html
    assert COMPARE_ARCHITECTS.replace("&", "&amp;") in html
    assert f"#{catalog['run'].pk}" in html
    with django_assert_num_queries(1):  # warm: only the catalog stamp
        assert_fragment(client.get("/", headers=HTMX))
    data = json.loads(client.get("/?format=json").content)
    assert data["counts"] == {"agent": 4, "command": 0, "skill": 1}
    assert data["shared_names"][0]["definitions"][0]["key"] == "alpha/agent/backend-architect"


def test_overview_of_an_empty_catalog(client, db):
    """Before any import the pages still answer, and say how to import."""
    assert "import_agents" in client.get("/").content.decode()
    assert client.get("/agents/").status_code == 200
    assert client.get("/agents/?format=json").json()["count"] == 0


# ---------------------------------------------------------------------------
# The real corpus
# ---------------------------------------------------------------------------


# The corpus's agent pages take minutes on PostgreSQL: in shards, two test workers share them.
CORPUS_SHARDS = 2


@pytest.mark.corpus
@pytest.mark.parametrize("shard", range(CORPUS_SHARDS))
def test_every_corpus_agent_page_renders(client, shard):
    """Import the shared corpus; every agent's page (this shard's share of them) answers 200 and
    shows its name."""
    import_paths([str(CORPUS)])
    everyone = Definition.objects.agents().present().select_related("collection").order_by("pk")
    assert everyone.count() > 500
    agents = list(everyone.only("slug", "kind", "name", "collection__slug"))[shard::CORPUS_SHARDS]
    failures = []
    for agent in agents:
        response = client.get(agent.get_absolute_url())
        if response.status_code != 200:
            failures.append((agent.key, response.status_code))
        elif escape(agent.name).encode() not in response.content:
            failures.append((agent.key, "name missing"))
    assert failures == []
    shown = Definition.objects.filter(pk__in=[agent.pk for agent in agents])
    assert not shown.exclude(rendered_sha256=F("sha256")).exists()


def test_a_copilot_list_of_models_shows_as_a_list_and_filters_by_each(client, tmp_path):
    """``model: [gpt-4.1, claude-sonnet-4]``: the row reads "gpt-4.1, claude-sonnet-4", each model
    is a filter choice of its own and finds the agent."""
    agents = tmp_path / ".github" / "agents"
    agents.mkdir(parents=True)
    planner = "---\ndescription: Plans.\nmodel: [gpt-4.1, claude-sonnet-4]\n---\nPlan.\n"
    (agents / "planner.agent.md").write_text(planner)
    (agents / "coder.agent.md").write_text("---\ndescription: Codes.\nmodel: gpt-4.1\n---\nCode.\n")
    import_paths([tmp_path])
    page = client.get("/agents/").content.decode()
    assert "gpt-4.1, claude-sonnet-4" in page and "[&#x27;" not in page and "['" not in page
    choices = browse.filter_options("agent").models
    assert choices == [("claude-sonnet-4", "claude-sonnet-4", 1), ("gpt-4.1", "gpt-4.1", 2)]
    for model, expected in (("gpt-4.1", ["coder", "planner"]), ("claude-sonnet-4", ["planner"])):
        data = client.get("/agents/", {"model": model, "format": "json"}).json()
        assert sorted(row["name"] for row in data["results"]) == expected
