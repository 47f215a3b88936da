"""Search over responsibilities and success metrics, on SQLite (FTS5) and PostgreSQL alike.

The suite runs once per database; nothing here names an engine except where a behaviour is
the engine's own (the time budget). Fixtures are small definitions written here; the seeds
are imported at run time through the importer.
"""

import json
import re
import time

import pytest
from django.db import connection
from django.urls import reverse_lazy

from catalog import search
from catalog.core.extraction import extract_items
from catalog.models import Definition, Item
from catalog.search import Criteria
from tests.helpers import make_definition, seed_paths

URL = reverse_lazy("catalog:search")

HOSTILE_QUERIES = [
    '"',
    '"unbalanced quote',
    'say "hello',
    "NEAR(",
    "NEAR(uptime coverage, 2)",
    "uptime AND",
    "OR OR OR",
    "NOT uptime",
    "-uptime",
    "-",
    "col:uptime",
    "metric:uptime",
    "{metric}: uptime",
    "*",
    "upt*",
    "^uptime",
    "uptime + coverage",
    "(((",
    "'); DROP TABLE catalog_item; --",
    "🚀🔥 uptime 👍",
    "🚀",
    "a\x00b uptime\x00",
    "\x00",
    "uptime" * 5,
    "x" * 100_000,
    "uptime " * 20_000,
    "ǅ ﬁ Ⅻ ０ uptime",
    "\u202e\u200b uptime",
    "%",
    "_",
    "\\",
    "':*",
    "&|!<->",
]


# ---------------------------------------------------------------------------
# Fixtures written here
# ---------------------------------------------------------------------------


R, M = Item.Field.RESPONSIBILITY, Item.Field.METRIC


def names(results):
    return [hit.definition.name for hit in results.hits]


def marked(match):
    return [segment.text for segment in match.segments if segment.marked]


# ---------------------------------------------------------------------------
# Reading the query (no database)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", HOSTILE_QUERIES)
def test_parsed_tokens_are_only_letters_and_digits(raw):
    """Whatever is typed, the words handed to an engine are runs of letters and digits, capped."""
    terms = search.parse_query(raw)
    assert len(terms.tokens) <= search.MAX_TOKENS
    assert len(terms.text) <= search.MAX_QUERY_LENGTH
    assert "\x00" not in terms.text
    for token in terms.tokens:
        assert re.fullmatch(r"[^\W_]+", token), token


def test_last_plain_word_is_a_prefix():
    """The word being typed matches as a prefix; a finished word (trailing space) or a compound does not."""
    assert search.parse_query("test cov").prefix
    assert search.parse_query("test cov").head == "test "
    assert not search.parse_query("test cov ").prefix
    assert not search.parse_query("sub-20").prefix
    assert not search.parse_query("test c").prefix  # one letter would expand to half the vocabulary


def test_query_is_capped_in_length_and_words():
    """A 100 KB query keeps its first MAX_TOKENS words only."""
    terms = search.parse_query("word " * 20_000)
    assert terms.tokens == ("word",) * search.MAX_TOKENS


def test_highlight_marks_query_words_and_keeps_the_text():
    """Segments join back to the exact text; words, their plurals and the typed prefix are marked."""
    text = "Tests: <b>coverage</b> of 80% & tested migrations"
    segments = search.highlight(text, search.parse_query("test cov"))
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.marked] == ["Tests", "coverage", "tested"]


def test_highlight_folds_case_and_diacritics():
    """ "resume" marks "Résumé", as the engines match it."""
    segments = search.highlight("Parse every Résumé", search.parse_query("resume parse"))
    assert [s.text for s in segments if s.marked] == ["Parse", "Résumé"]


# ---------------------------------------------------------------------------
# Engines: relevance, scope, filters, sync
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_exact_phrase_ranks_above_scattered_match():
    """Both items hold both words; the one with them side by side ranks first, even though it is longer."""
    make_definition("Scattered", [(R, "Database backups, then planned migrations")])
    make_definition(
        "Phrase", [(R, "Own every zero-downtime database migrations plan for each quarterly release of the platform")]
    )
    results = search.search(Criteria(query="database migrations"))
    assert names(results) == ["Phrase", "Scattered"]
    assert results.hits[0].phrase and not results.hits[1].phrase


@pytest.mark.django_db
def test_metric_query_finds_the_metric_not_a_random_mention():
    """Searching metrics for "99.9% uptime" finds the metric; a passing mention ranks below it or not at all."""
    make_definition("Reliability", [(R, "Run the on-call rotation"), (M, "99.9% uptime for the public API")])
    make_definition("Storyteller", [(R, "Explain why 99.9 percent is a promise and why uptime is a budget")])
    make_definition("Unrelated", [(M, "Review turnaround under 4 hours")])

    everything = search.search(Criteria(query="99.9% uptime"))
    assert names(everything) == ["Reliability", "Storyteller"]
    assert everything.hits[0].matches[0].field == M

    metrics = search.search(Criteria(query="99.9% uptime", scope=M))
    assert names(metrics) == ["Reliability"]
    responsibilities = search.search(Criteria(query="99.9% uptime", scope=R))
    assert names(responsibilities) == ["Storyteller"]


@pytest.mark.django_db
def test_every_word_must_match_in_the_same_item():
    """Words spread over two items of one definition do not make it a match."""
    make_definition("Split", [(R, "Design the API gateway"), (R, "Write the caching layer")])
    make_definition("Together", [(R, "Design the caching layer for the API")])
    assert names(search.search(Criteria(query="api caching"))) == ["Together"]


@pytest.mark.django_db
def test_last_word_matches_as_prefix_while_typing():
    """ "test cov" already finds "test coverage"; stems match whole words ("migrations" finds "migration")."""
    make_definition("Coverage", [(M, "Test coverage above 80% on critical paths")])
    make_definition("Migrator", [(R, "Plan each schema migration")])
    assert names(search.search(Criteria(query="test cov"))) == ["Coverage"]
    assert names(search.search(Criteria(query="migrations"))) == ["Migrator"]
    assert names(search.search(Criteria(query="migr"))) == ["Migrator"]


@pytest.mark.django_db
def test_whole_word_that_fills_the_window_skips_the_prefix(monkeypatch):
    """A typed "plan" also finds "planetarium", unless "plan" alone already fills the ranked window."""
    for n in range(3):
        make_definition(f"Planner {n}", [(R, f"Plan sprint {n} with the team")])
    make_definition("Astronomer", [(R, "Run the planetarium shows")])
    assert len(search.search(Criteria(query="plan")).hits) == 4
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)
    results = search.search(Criteria(query="plan"))
    assert not results.exact
    assert all(name.startswith("Planner") for name in names(results))


@pytest.mark.django_db
def test_definition_ranks_by_its_best_item_and_counts_all_of_them():
    """A definition appears once, its best item first, with every matching item counted."""
    make_definition(
        "Many",
        [(R, "Profile latency now and then"), (M, "p95 latency under 200ms"), (R, "Report latency budgets")],
    )
    results = search.search(Criteria(query="p95 latency"))
    (hit,) = results.hits
    assert hit.match_count == 1
    assert hit.matches[0].text == "p95 latency under 200ms"
    results = search.search(Criteria(query="latency"))
    (hit,) = results.hits
    assert hit.match_count == 3
    assert results.count == 1


@pytest.mark.django_db
def test_count_is_exact_beyond_the_page_and_pages_cover_every_hit():
    """The count covers every matching definition; the pages list each of them once."""
    for n in range(5):
        make_definition(f"Agent {n}", [(R, f"Keep observability dashboards current, variant {n}")])
    pages = [search.search(Criteria(query="observability"), page=n, per_page=2) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [2, 2, 1]
    assert {p.count for p in pages} == {5} and all(p.exact and p.pages == 3 for p in pages)
    assert sorted(name for p in pages for name in names(p)) == [f"Agent {n}" for n in range(5)]
    assert names(search.search(Criteria(query="observability"), page=99, per_page=2)) == names(pages[2])


@pytest.mark.django_db
def test_count_becomes_a_lower_bound_past_the_candidate_cap(monkeypatch):
    """When more items match than are ranked, the results say their count is a lower bound."""
    for n in range(4):
        make_definition(f"Agent {n}", [(R, f"Keep observability dashboards current, variant {n}")])
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)
    results = search.search(Criteria(query="observability"))
    assert not results.exact
    assert results.count == 2


@pytest.mark.django_db
def test_filters_narrow_by_collection_kind_model_and_tool():
    """Each filter keeps only the definitions that have the value."""
    make_definition("Alpha", [(R, "Audit security headers")], collection="One", model="opus", tools=["Read"])
    make_definition("Beta", [(R, "Audit security headers")], collection="Two", kind="command", tools=["Bash"])
    assert names(search.search(Criteria(query="security audit"))) == ["Alpha", "Beta"]
    assert names(search.search(Criteria(query="security audit", collection="two"))) == ["Beta"]
    assert names(search.search(Criteria(query="security audit", kind="command"))) == ["Beta"]
    assert names(search.search(Criteria(query="security audit", model="opus"))) == ["Alpha"]
    assert names(search.search(Criteria(query="security audit", tool="Bash"))) == ["Beta"]
    assert names(search.search(Criteria(query="security audit", tool="Write"))) == []


@pytest.mark.django_db
@pytest.mark.parametrize("selective_up_to", [search.SELECTIVE_FILTER, 0])
def test_filters_give_the_same_results_as_a_list_of_ids_or_per_item(monkeypatch, selective_up_to):
    """PostgreSQL applies a filter keeping few definitions as a list of their ids and a broad
    one per matching item; both ways keep the same definitions (SQLite always checks per item)."""
    monkeypatch.setattr(search, "SELECTIVE_FILTER", selective_up_to)
    make_definition("Alpha", [(R, "Audit security headers")], collection="One", model="opus", tools=["Read"])
    make_definition("Beta", [(R, "Audit security headers")], collection="Two", kind="command", tools=["Bash"])
    make_definition("Gamma", [(R, "Audit security headers")], kind="command", tools=["Bash"], missing=True)
    assert names(search.search(Criteria(query="security", kind="command", tool="Bash"))) == ["Beta"]
    assert names(search.search(Criteria(query="security", collection="one", tool="Read"))) == ["Alpha"]
    assert names(search.search(Criteria(query="security", kind="skill"))) == []


@pytest.mark.django_db
def test_category_filter_takes_the_folder_and_the_folders_below_it():
    """``category=design`` keeps design and design/web, not design_old (LIKE's _ is literal)."""
    for name, category in (("Alpha", "design"), ("Beta", "design/web"), ("Gamma", "design_old"), ("Delta", "")):
        definition = make_definition(name, [(R, "Audit security headers")])
        Definition.objects.filter(pk=definition.pk).update(category=category)
    assert names(search.search(Criteria(query="security", category="design"))) == ["Alpha", "Beta"]
    assert names(search.search(Criteria(query="security", category="design_old"))) == ["Gamma"]
    assert names(search.search(Criteria(query="security", category="design/web"))) == ["Beta"]


@pytest.mark.django_db
def test_tool_filter_means_allowed_the_tool_as_in_the_lists():
    """A tool listed as disabled (OpenCode's ``bash: false``) does not count, as in the lists' filter."""
    allowed = make_definition("Allowed", [(R, "Audit security headers")], tools=["Bash"])
    denied = make_definition("Denied", [(R, "Audit security headers")], tools=["Bash"])
    denied.tool_links.update(enabled=False)
    assert allowed.tool_links.get().enabled
    assert names(search.search(Criteria(query="security", tool="Bash"))) == ["Allowed"]


@pytest.mark.django_db
def test_missing_definitions_are_not_found():
    """A definition whose file vanished from the last import is not a search result."""
    make_definition("Gone", [(R, "Maintain the feature flags")], missing=True)
    assert search.search(Criteria(query="feature flags")).hits == ()


@pytest.mark.django_db
def test_index_follows_rewritten_and_deleted_definitions():
    """index_definitions replaces a definition's indexed items, and forgets a deleted definition."""
    definition = make_definition("Changing", [(R, "Tune the message queues")])
    other = make_definition("Steady", [(R, "Tune the message queues too")])
    definition.items.all().delete()
    Item.objects.create(definition=definition, field=M, text="Zero lost messages in the event streams")
    search.index_definitions([definition.pk])
    assert names(search.search(Criteria(query="message queues"))) == ["Steady"]
    assert names(search.search(Criteria(query="event streams"))) == ["Changing"]

    other_pk = other.pk
    other.delete()
    search.index_definitions([other_pk])
    assert search.search(Criteria(query="message queues")).hits == ()


@pytest.mark.django_db
def test_rebuild_index_matches_incremental_indexing():
    """A full rebuild finds what incremental indexing found."""
    make_definition("Rebuilt", [(R, "Harden the container images"), (M, "Zero critical vulnerabilities")])
    before = [(h.definition.pk, [m.text for m in h.matches]) for h in search.search(Criteria(query="critical")).hits]
    search.rebuild_index()
    after = [(h.definition.pk, [m.text for m in h.matches]) for h in search.search(Criteria(query="critical")).hits]
    assert before == after != []


@pytest.mark.django_db
@pytest.mark.parametrize("raw", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(raw):
    """Operators, quotes, NUL bytes and 100 KB queries never reach an engine as syntax."""
    make_definition("Reliability", [(M, "99.9% uptime for the public API")])
    search.search(Criteria(query=raw))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", ["-uptime", '"uptime"', "uptime*", "^uptime", "(((uptime", "🚀 uptime 👍", "uptime\x00", "UPTIME:"]
)
def test_operators_around_a_word_search_for_the_word(raw):
    """Query syntax around a word is ignored: the word itself is what is searched."""
    make_definition("Reliability", [(M, "99.9% uptime for the public API")])
    make_definition("Other", [(M, "Review turnaround under 4 hours")])
    assert names(search.search(Criteria(query=raw))) == ["Reliability"]


@pytest.mark.django_db
def test_time_budget_stops_an_expensive_query():
    """A statement that outlives the budget is stopped as SearchTooExpensive; the connection stays usable."""
    counting = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000) SELECT count(*) FROM n"
    )
    with pytest.raises(search.SearchTooExpensive):
        with search.time_budget(5), connection.cursor() as cursor:
            cursor.execute(counting)
            cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    make_definition("After", [(R, "Still searchable afterwards")])
    assert names(search.search(Criteria(query="searchable"))) == ["After"]


@pytest.mark.django_db
def test_time_budget_ends_with_its_block():
    """After the block a statement longer than the budget runs to its end, and on PostgreSQL the
    enclosing transaction (each test runs in one) has its own settings back."""
    on_postgres = connection.vendor == "postgresql"

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), current_setting('max_parallel_workers_per_gather')"
            )
            return cursor.fetchone()

    outer = settings() if on_postgres else None
    with search.time_budget(20):
        if on_postgres:  # parallel workers would cost a search more than they save
            assert settings() == ("20ms", "0")
    counting = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000) SELECT count(*) FROM n"
    )
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(counting)
        assert cursor.fetchone() == (1_000_000,)
        assert time.perf_counter() - start > 0.02  # longer than the budget was
    if on_postgres:
        assert settings() == outer


# ---------------------------------------------------------------------------
# The view: page, fragment, JSON
# ---------------------------------------------------------------------------


@pytest.fixture
def reliability(db):
    make_definition(
        "Reliability",
        [(R, "Run the <script>alert(1)</script> on-call rotation"), (M, "99.9% uptime for the <b>public</b> API")],
        tools=["Read"],
    )


def test_full_page_has_form_and_results(client, reliability):
    """Without htmx the same URL answers a whole page: layout, form with the query, highlighted hits."""
    response = client.get(URL, {"q": "99.9% uptime"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'name="q"' in html and 'value="99.9% uptime"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html and 'hx-push-url="true"' in html
    assert "<mark>99</mark>.<mark>9</mark>% <mark>uptime</mark>" in html
    assert "HX-Request" in response["Vary"]


def test_fragment_for_htmx_is_only_the_results(client, reliability):
    """An htmx request gets the results partial, no layout and no form, and varies on HX-Request."""
    response = client.get(URL, {"q": "uptime"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'name="q"' not in html
    assert "data-search-results" in html and "Reliability" in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_full_page(client, reliability):
    """Back-button restores ask htmx for the page, so they get the whole page, not a bare fragment."""
    response = client.get(URL, {"q": "uptime"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_fragment_query_count_is_fixed(client, reliability, django_assert_max_num_queries, page_cache_off):
    """A search costs a few queries whatever the number of hits (no per-hit queries)."""
    for n in range(8):
        make_definition(f"Extra {n}", [(M, f"Uptime report number {n}")])
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "uptime"}, headers={"HX-Request": "true"})
    assert response.content.decode().count("data-hit") == 9


def test_imported_text_is_escaped_and_only_terms_are_marked(client, reliability):
    """Item text is escaped segment by segment; the only markup added is <mark> around query words."""
    html = client.get(URL, {"q": "rotation"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    html = client.get(URL, {"q": "public api"}).content.decode()
    assert "&lt;b&gt;<mark>public</mark>&lt;/b&gt; <mark>API</mark>" in html


def test_json_answers_the_documented_shape(client, reliability):
    """?format=json: count and results with key, url, name and the matching items."""
    data = client.get(URL, {"q": "uptime", "format": "json"}).json()
    assert data["count"] == 1
    (hit,) = data["results"]
    definition = Definition.objects.get(name="Reliability")
    assert hit["key"] == definition.key
    assert hit["url"] == definition.get_absolute_url()
    assert hit["name"] == "Reliability"
    text = "99.9% uptime for the <b>public</b> API"
    assert hit["matches"] == [{"field": "metric", "section": "Section", "text": text}]


def test_pages_link_to_each_other(client, reliability):
    """Past one page, the results link to the next and previous pages, keeping the query."""
    for n in range(search.PAGE_SIZE):
        make_definition(f"Extra {n}", [(M, f"Uptime report number {n}")])
    first = client.get(URL, {"q": "uptime"}).content.decode()
    assert 'rel="next" href="?q=uptime&amp;page=2"' in first and "Page 1 of 2" in first
    assert first.count("data-hit") == search.PAGE_SIZE
    second = client.get(URL, {"q": "uptime", "page": "2"}).content.decode()
    assert 'rel="prev" href="?q=uptime&amp;page=1"' in second and second.count("data-hit") == 1
    assert client.get(URL, {"q": "uptime", "page": "2", "format": "json"}).json()["page"] == 2
    assert client.get(URL, {"q": "uptime", "page": "x" * 50, "format": "json"}).json()["page"] == 1


def test_scope_and_filters_come_from_the_url(client, reliability):
    """?scope= and the filters narrow the results; an unknown scope means everything."""

    def count(**params):
        return client.get(URL, {"format": "json", **params}).json()["count"]

    assert count(q="uptime", scope="metric") == 1
    assert count(q="uptime", scope="responsibility") == 0
    assert count(q="uptime", scope="nonsense") == 1
    assert count(q="uptime", tool="Read") == 1
    assert count(q="uptime", tool="Write") == 0


def test_empty_state_without_a_query(client, db):
    """No query: a page that explains what to type, with example searches, and no error."""
    response = client.get(URL)
    assert response.status_code == 200
    assert "Type a few words" in response.content.decode()


def test_no_result_state(client, reliability):
    """A query that matches nothing says so, and offers to widen the scope and clear the filters."""
    html = client.get(URL, {"q": "kubernetes", "scope": "metric", "kind": "agent"}).content.decode()
    assert "Nothing matches “kubernetes” in success metrics with these filters." in html
    assert "Search everything" in html and "Clear the filters" in html


@pytest.mark.parametrize("raw", HOSTILE_QUERIES)
def test_hostile_queries_return_a_normal_page(client, reliability, raw):
    """Every hostile query answers 200 as a page, a fragment and JSON: never a 500, never an FTS syntax error."""
    page = client.get(URL, {"q": raw})
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert client.get(URL, {"q": raw}, headers={"HX-Request": "true"}).status_code == 200
    data = client.get(URL, {"q": raw, "format": "json"}).json()
    assert "error" not in data


@pytest.mark.parametrize("name", ["collection", "kind", "model", "tool", "scope"])
def test_hostile_filter_values_return_a_normal_page(client, reliability, name):
    """Filter values are data too: odd values match nothing (or are ignored), never a 500.

    A lone NUL is dropped, which leaves the filter empty; an unknown kind or scope is ignored.
    """
    ignored = name in ("scope", "kind")
    for value, matches in [("a\x00b", ignored), ("\x00", True), ("' OR 1=1 --", ignored), ("x" * 100_000, ignored)]:
        response = client.get(URL, {"q": "uptime", name: value, "format": "json"})
        assert response.status_code == 200
        assert response.json()["count"] == int(matches), value[:20]


def test_too_expensive_query_is_a_message_not_a_500(client, reliability, monkeypatch):
    """When the engine stops a search at its time budget, the page says so and answers 200."""

    def stopped(criteria, **kwargs):
        raise search.SearchTooExpensive("stopped")

    monkeypatch.setattr(search, "search", stopped)
    response = client.get(URL, {"q": "uptime"})
    assert response.status_code == 200
    assert "too expensive" in response.content.decode()
    data = client.get(URL, {"q": "uptime", "format": "json"}).json()
    assert data["count"] == 0 and "too expensive" in data["error"]


def test_lower_bound_count_is_said_on_the_page(client, reliability, monkeypatch):
    """A capped count reads "More than N", never a number that pretends to be exact."""
    make_definition("Second", [(M, "Uptime of 99.95% for the API")])
    monkeypatch.setattr(search, "MAX_CANDIDATES", 1)
    html = client.get(URL, {"q": "uptime"}).content.decode()
    assert "More than 1 definitions match" in html
    assert client.get(URL, {"q": "uptime", "format": "json"}).json()["exact"] is False


# ---------------------------------------------------------------------------
# The seeds, through the importer
# ---------------------------------------------------------------------------


@pytest.fixture
def seeds(db, import_tree):
    files = seed_paths()
    import_tree(*files, collection="Seeds")
    return {path.name: Definition.objects.get(source_path=path.name) for path in files}


def seed_000(seeds):
    return next(definition for name, definition in seeds.items() if name.startswith("000_"))


@pytest.mark.parametrize("query", ["sub-20ms", "99.9% uptime"])
def test_seed_000_is_found_with_the_items_highlighted(client, seeds, query):
    """The mojibake seed 000 promises sub-20ms queries and 99.9% uptime; both searches find it, highlighted."""
    data = client.get(URL, {"q": query, "format": "json"}).json()
    keys = [hit["key"] for hit in data["results"]]
    assert seed_000(seeds).key in keys
    results = search.search(Criteria(query=query))
    hit = next(h for h in results.hits if h.definition.pk == seed_000(seeds).pk)
    words = [w for w in re.findall(r"[^\W_]+", query)]
    for match in hit.matches:
        assert set(words) <= {text.lower() for text in marked(match)}, match.text
    html = client.get(URL, {"q": query}, headers={"HX-Request": "true"}).content.decode()
    assert "<mark>" in html


def _mentions_test_coverage(text):
    words = re.findall(r"[a-z]+", text.lower())
    return any(w.startswith("test") for w in words) and any(w.startswith("coverag") for w in words)


def test_test_coverage_finds_the_metric_items_of_the_seeds_that_have_them(seeds):
    """In success metrics, "test coverage" finds exactly the seeds whose extracted metrics mention it."""
    expected = set()
    for definition in seeds.values():
        if any(
            item.field == "metric" and _mentions_test_coverage(item.text) for item in extract_items(definition.body)
        ):
            expected.add(definition.pk)
    assert expected, "the seeds are expected to hold test-coverage metrics"
    results = search.search(Criteria(query="test coverage", scope=M))
    assert {hit.definition.pk for hit in results.hits} == expected
    for hit in results.hits:
        assert all(match.field == M for match in hit.matches)
        assert any("coverage" in (t.lower() for t in marked(match)) for match in hit.matches)


def test_seed_text_is_repaired_before_it_is_indexed(seeds):
    """Seed 000 is mojibake on disk; the indexed text is the repaired one ("≥", not "â‰¥")."""
    results = search.search(Criteria(query="test coverage", scope=M))
    texts = [m.text for h in results.hits for m in h.matches]
    assert any("≥" in t for t in texts) and not any("â‰" in t for t in texts)


def test_json_of_seed_search_is_utf8(client, seeds):
    """JSON keeps non-ASCII text readable (ensure_ascii off) and parses back."""
    response = client.get(URL, {"q": "test coverage", "scope": "metric", "format": "json"})
    assert json.loads(response.content.decode("utf-8"))["count"] >= 1


@pytest.mark.django_db
def test_a_list_of_models_filters_by_each():
    """Copilot's ``model: [a, b]`` is stored as "a, b": each model finds it, a part of one does not."""
    listed = make_definition("Listed", [(R, "Audit security headers")], model="gpt-4.1, claude-sonnet-4")
    make_definition("Other", [(R, "Audit security headers")], model="gpt-4.1-mini")
    assert names(search.search(Criteria(query="security", model="gpt-4.1"))) == ["Listed"]
    assert names(search.search(Criteria(query="security", model="claude-sonnet-4"))) == ["Listed"]
    assert names(search.search(Criteria(query="security", model="sonnet"))) == []
    assert list(Definition.objects.with_model("claude-sonnet-4")) == [listed]
