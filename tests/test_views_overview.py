"""The overview and collection pages (catalog.views.overview, browse.collection_detail).

Both are checked on the bundled sample catalog as the real importer stores it: full page,
HTMX fragment and JSON twin, pinned query counts (cold cache, then warm), and above all that
every number links to a list that really shows that many items: each chart bar is followed
to its list and the list's count compared with the bar's value.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db.models import Count, Q

from catalog.models import Collection, Definition, Edge, Problem
from catalog.selectors import overview
from tests.helpers import HTMX, SAMPLE, SAMPLE_NAME, assert_fragment, assert_page

# Query counts here are the views' own: the page cache in front of them is tested in test_page_cache.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SAMPLE_SLUG = "acme-studio-sample"
COLLECTION_URL = f"/collections/{SAMPLE_SLUG}/"


def json_of(client, url):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}format=json")
    assert response.status_code == 200, url
    return response.json()


def list_count(client, url):
    """How many items the list at ``url`` says it has."""
    return json_of(client, url)["count"]


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


def test_overview_page_fragment_and_query_counts(client, sample_catalog, django_assert_num_queries):
    """Cold: one aggregate query per number or chart; warm: only the catalog stamp."""
    # stamp; counts by kind and format; models; tools; rules; sizes; connected; missing;
    # collections; problems by collection; imports; shared names (one: no name is shared);
    # largest families
    with django_assert_num_queries(13):
        response = client.get("/")
    assert_page(response)
    with django_assert_num_queries(1):
        fragment = client.get("/", headers=HTMX)
    assert_fragment(fragment)
    assert b'class="chart"' in fragment.content
    with django_assert_num_queries(1):
        assert_page(client.get("/", headers=HTMX | {"HX-History-Restore-Request": "true"}))


def test_overview_charts_are_svg_links_with_titles_and_no_inline_style(client, sample_catalog):
    """Every bar is an <a> wrapping a <rect>, with a <title>; nothing needs an inline style."""
    response = client.get("/")
    html = response.content.decode()
    links = re.findall(r'<a class="bar-link" href="[^"]+"[^>]*>(.*?)</a>', html, re.S)
    assert len(links) >= 20
    for inner in links:
        assert re.search(r"<title>[^<]+</title>", inner)
        assert '<rect class="bar"' in inner
    assert html.count("<svg") == 7
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    assert "Content-Security-Policy" in response.headers


def test_overview_counts_match_the_database(client, sample_catalog):
    """The JSON twin's counts are the present definitions of each kind."""
    data = json_of(client, "/")
    expected = dict(Definition.objects.present().values_list("kind").annotate(n=Count("pk")).order_by())
    assert data["counts"] == {kind: expected.get(kind, 0) for kind in Definition.Kind.values}
    assert data["agents_with_problems"] == Definition.objects.present().agents().filter(problem_count__gt=0).count()
    assert set(data["charts"]) == {"models", "tools", "rules", "problem_collections", "sizes", "connected", "missing"}


@pytest.mark.parametrize("chart", ["models", "tools", "rules", "sizes"])
def test_each_bar_links_to_a_list_with_that_many_agents(client, sample_catalog, chart):
    """Follow every bar of the chart: the agent list it opens counts exactly the bar's value."""
    rows = json_of(client, "/")["charts"][chart]
    assert rows, f"the sample catalog should fill the {chart} chart"
    assert any(row["value"] for row in rows)
    for row in rows:
        assert row["url"].startswith("/agents/?")
        assert list_count(client, row["url"]) == row["value"], row


def test_size_bars_add_up_to_every_agent(client, sample_catalog):
    """The size buckets neither miss nor double-count an agent."""
    rows = json_of(client, "/")["charts"]["sizes"]
    assert sum(row["value"] for row in rows) == Definition.objects.present().agents().count()


def test_rule_bars_follow_the_stored_problem_codes(client, sample_catalog):
    """A rule's bar counts the agents having at least one problem with that code."""
    rows = json_of(client, "/")["charts"]["rules"]
    for row in rows:
        code = parse_qs(urlsplit(row["url"]).query)["rule"][0]
        agents = Definition.objects.present().agents().filter(problems__code=code).distinct().count()
        assert row["value"] == agents


def test_kind_and_format_numbers_link_to_lists_of_that_many(client, sample_catalog):
    """The cards and the format table: each number's link lists that many definitions."""
    stats = overview.statistics()
    for _, _, n, url in stats["kinds"]:
        assert list_count(client, url) == n
    cells = [cell for _, row in stats["formats"] for cell in row]
    assert cells
    for n, url in cells:
        assert list_count(client, url) == n
    assert list_count(client, stats["problems_url"]) == stats["agents_with_problems"]


def test_problems_by_collection_link_to_the_collection_problems_table(client, sample_catalog):
    """A collection's bar counts its problems, rejected files included, as its table does."""
    rows = json_of(client, "/")["charts"]["problem_collections"]
    assert [row["url"] for row in rows] == [f"{COLLECTION_URL}#problems"]
    assert rows[0]["value"] == json_of(client, COLLECTION_URL)["problems"]["count"]
    assert rows[0]["value"] == Problem.objects.filter(collection__slug=SAMPLE_SLUG).count()


def test_connected_and_missing_agents_open_the_graph_on_them(client, sample_catalog):
    """A connected agent's bar focuses the graph on it; a missing agent's bar on its node,
    which that many agents point to."""
    charts = json_of(client, "/")["charts"]
    connected = charts["connected"]
    assert connected and [r["value"] for r in connected] == sorted((r["value"] for r in connected), reverse=True)
    graph = json_of(client, connected[0]["url"])
    assert graph["focus"] == [parse_qs(urlsplit(connected[0]["url"]).query)["focus"][0]]

    missing = charts["missing"]
    assert missing, "the sample catalog has a dangling collaborator"
    for row in missing:
        graph = json_of(client, row["url"])
        (node,) = graph["focus"]
        assert node == f"missing:{row['label']}"
        sources = {edge["source"] for edge in graph["edges"] if edge["target"] == node}
        assert len(sources) == row["value"]
        naming = Edge.objects.filter(target=None, target_name=row["label"]).values("source").distinct()
        assert row["value"] == naming.count()


def test_names_in_several_collections_link_to_compare(client, db, import_tree):
    """A name imported in two collections is listed with a compare link that opens both."""
    import_tree(SAMPLE, collection=SAMPLE_NAME)
    import_tree(SAMPLE / "agents" / "api-designer.md", collection="Mirror")
    data = json_of(client, "/")
    shared = next(s for s in data["shared_names"] if s["slug"] == "api-designer")
    assert [d["key"] for d in shared["definitions"]] == [
        f"{SAMPLE_SLUG}/agent/api-designer",
        "mirror/agent/api-designer",
    ]
    (url,) = shared["compare"]
    assert url in client.get("/").content.decode().replace("&amp;", "&")
    assert client.get(url).status_code == 200


def test_overview_of_an_empty_catalog(client, db, django_assert_num_queries):
    """No definitions: no charts, the counts are zero and the page says how to import."""
    response = client.get("/")
    assert_page(response)
    assert b"<svg" not in response.content
    assert b"import_agents" in response.content
    data = json_of(client, "/")
    assert data["counts"] == {"agent": 0, "command": 0, "skill": 0}
    assert all(rows == [] or all(r["value"] == 0 for r in rows) for rows in data["charts"].values())


def test_overview_is_recomputed_after_an_import(client, sample_catalog, import_tree):
    """The cache is keyed by the catalog stamp: a new import shows at once."""
    before = json_of(client, "/")["counts"]["agent"]
    import_tree(SAMPLE / "agents" / "api-designer.md", collection="Mirror")
    assert json_of(client, "/")["counts"]["agent"] == before + 1


# ---------------------------------------------------------------------------
# Collection page
# ---------------------------------------------------------------------------


def test_collection_page_fragments_and_query_counts(client, sample_catalog, django_assert_num_queries):
    """Cold page; warm page; each table's fragment reads only its own rows, chosen by HX-Target."""
    # collection, counts by kind (also the definitions' count), definitions (keys, rows, tools),
    # catalog stamp, statistics (8), rejected files, categories, problems (count, rows)
    with django_assert_num_queries(18):
        response = client.get(COLLECTION_URL)
    assert_page(response)
    assert "HX-Target" in response.headers["Vary"]
    with django_assert_num_queries(10):  # warm: the statistics come from the cache
        assert_page(client.get(COLLECTION_URL))

    with django_assert_num_queries(5):  # collection, counts by kind, keys, rows, tools
        results = client.get(COLLECTION_URL, headers=HTMX)
    assert_fragment(results)
    assert b"definition-link" in results.content and b"problems-h" not in results.content

    with django_assert_num_queries(4):  # collection, counts by kind, problems count and rows
        problems = client.get(f"{COLLECTION_URL}?severity=error", headers=HTMX | {"HX-Target": "problems"})
    assert_fragment(problems)
    html = problems.content.decode()
    assert "1 problem matches the filters" in html
    assert "broken-bomb.md" in html and "definition-link" not in html


def test_health_score_follows_its_documented_formula(client, sample_catalog):
    """100 × clean definitions ÷ (definitions + rejected files), shown with the formula."""
    present = Definition.objects.present().filter(collection__slug=SAMPLE_SLUG)
    clean = present.exclude(problems__severity__in=["warning", "error"]).count()
    rejected = Problem.objects.filter(collection__slug=SAMPLE_SLUG, definition=None).count()
    assert rejected == 1 and 0 < clean < present.count()
    expected = round(100 * clean / (present.count() + rejected))

    health = json_of(client, COLLECTION_URL)["health"]
    assert health == {
        "score": expected,
        "formula": overview.HEALTH_FORMULA,
        "definitions": present.count(),
        "clean": clean,
        "rejected": rejected,
    }
    html = client.get(COLLECTION_URL).content.decode()
    assert f">{expected}</span>" in html
    assert overview.HEALTH_FORMULA in html


def test_health_of_an_empty_collection_is_not_a_number():
    """Nothing imported, nothing rejected: no score rather than a division by zero."""
    assert overview.Health(definitions=0, clean=0, rejected=0).score is None
    assert overview.Health(definitions=3, clean=3, rejected=1).score == 75


@pytest.mark.parametrize(
    "query",
    ["", "?rule=legacy-tool", "?severity=warning", "?severity=info", "?rule=legacy-tool&severity=info", "?rule=nope"],
)
def test_problems_table_filters_by_rule_and_severity(client, sample_catalog, query):
    """The table's count is the collection's problems with that rule and severity."""
    params = parse_qs(query.lstrip("?"))
    expected = Problem.objects.filter(collection__slug=SAMPLE_SLUG)
    if "rule" in params:
        expected = expected.filter(code=params["rule"][0])
    if "severity" in params:
        expected = expected.filter(severity=params["severity"][0])
    data = json_of(client, COLLECTION_URL + query)["problems"]
    assert data["count"] == expected.count()
    assert all(p["code"] == params["rule"][0] for p in data["results"]) if "rule" in params else True
    if query == "?rule=nope":
        assert data["count"] == 0


def test_problems_by_rule_options_link_to_that_many_rows(client, sample_catalog):
    """Each rule the filter offers, with its count, gives a table of exactly that many rows."""
    by_rule = json_of(client, COLLECTION_URL)["problems"]["by_rule"]
    assert len(by_rule) > 3
    for code, n in by_rule.items():
        assert json_of(client, f"{COLLECTION_URL}?rule={code}")["problems"]["count"] == n
    html = client.get(f"{COLLECTION_URL}?rule=legacy-tool").content.decode()
    assert '<option value="legacy-tool" selected>' in html


def test_problems_table_is_paginated_and_keeps_its_filters(client, sample_catalog, monkeypatch):
    """Pages of the problems table, with the filters kept in every page link."""
    monkeypatch.setattr(overview, "PROBLEM_PAGE_SIZE", 2)
    total = Problem.objects.filter(collection__slug=SAMPLE_SLUG, severity="warning").count()
    first = json_of(client, f"{COLLECTION_URL}?severity=warning")["problems"]
    assert first["pages"] == -(-total // 2) and len(first["results"]) == 2
    html = client.get(f"{COLLECTION_URL}?severity=warning", headers=HTMX | {"HX-Target": "problems"}).content.decode()
    assert 'href="?severity=warning&amp;problems_page=2"' in html
    last = json_of(client, f"{COLLECTION_URL}?severity=warning&problems_page={first['pages']}")["problems"]
    seen = len(first["results"]) * (first["pages"] - 1) + len(last["results"])
    assert seen == total


def test_collection_chart_bars_link_to_lists_narrowed_to_the_collection(client, sample_catalog, import_tree):
    """With another collection present, a collection's bars still count only its own agents."""
    import_tree(SAMPLE / "agents", collection="Mirror")
    charts = json_of(client, "/collections/mirror/")["charts"]
    for name in ("models", "tools", "rules", "sizes"):
        for row in charts[name]:
            assert "collection=mirror" in row["url"]
            assert list_count(client, row["url"]) == row["value"], row
    overview_tools = {r["label"]: r["value"] for r in json_of(client, "/")["charts"]["tools"]}
    mirror_tools = {r["label"]: r["value"] for r in charts["tools"]}
    assert mirror_tools and all(n < overview_tools[name] for name, n in mirror_tools.items() if name in overview_tools)


def test_collection_json_twin_keeps_its_contract(client, sample_catalog):
    """Counts, health and problems beside the paginated definitions list it always had."""
    data = json_of(client, f"{COLLECTION_URL}?kind=skill")
    assert data["counts"] == dict(
        Definition.objects.present()
        .filter(collection__slug=SAMPLE_SLUG)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert data["count"] == 3 and {d["kind"] for d in data["results"]} == {"skill"}
    assert {"score", "formula"} <= set(data["health"])
    assert data["problems"]["by_severity"] == dict(
        Problem.objects.filter(collection__slug=SAMPLE_SLUG).values_list("severity").annotate(n=Count("pk")).order_by()
    )


def test_collection_page_works_without_javascript(client, sample_catalog):
    """Forms are plain GET forms and every table link has an href; filters stay in the URL."""
    html = client.get(f"{COLLECTION_URL}?rule=legacy-tool&kind=agent").content.decode()
    assert 'action="/collections/acme-studio-sample/#problems"' in html
    assert '<input type="hidden" name="kind" value="agent">' in html  # kept by the problems form
    assert '<input type="hidden" name="rule" value="legacy-tool">' in html  # kept by the definitions form
    assert not re.search(r"\sstyle=", html)


def test_problems_of_missing_definitions_are_not_counted(client, sample_catalog):
    """A definition whose file vanished leaves the lists, and its problems leave the counts."""
    gone = Definition.objects.filter(problems__code="legacy-tool").first()
    Definition.objects.filter(pk=gone.pk).update(missing=True)
    cache.clear()
    kept = Problem.objects.filter(collection__slug=SAMPLE_SLUG)
    kept = kept.filter(Q(definition=None) | Q(definition__missing=False))
    assert json_of(client, COLLECTION_URL)["problems"]["count"] == kept.count()
    assert json_of(client, "/")["charts"]["problem_collections"][0]["value"] == kept.count()


def test_unknown_collection_is_404(client, db):
    assert client.get("/collections/nowhere/").status_code == 404
    assert Collection.objects.count() == 0
