"""The families pages: the list and one family, as full pages, fragments and JSON twins."""

import json
import re

import pytest

from tests.helpers import assert_fragment, assert_page, made_up_prose, write_tree

pytestmark = pytest.mark.django_db


def agent(name, body, tools="Read, Grep", extra=""):
    return (
        f"---\nname: {name}\ndescription: Plans the release of {name}.\ntools: {tools}\n---\n\n"
        f"## Mission\n\n{body}\n\n## Workflow\n\n{made_up_prose(len(name))}\n{extra}"
    )


@pytest.fixture
def family_catalog(tmp_path, import_tree):
    """release-planner in three collections (one a copy of alpha's), plus an unrelated agent."""
    root = tmp_path / "catalog"
    body = made_up_prose(1)
    write_tree(root / "alpha", {"agents/release-planner.md": agent("release-planner", body)})
    write_tree(root / "beta", {"agents/release-planner.md": agent("release-planner", body)})
    write_tree(
        root / "gamma",
        {
            "agents/release_planner.md": agent(
                "Release Planner",
                made_up_prose(7),
                tools="Read, Grep, Bash, Write",
                extra="\n## Own Section\n\nOnly here.\n",
            ),
            "agents/db-tuner.md": agent("db-tuner", made_up_prose(9)),
        },
    )
    import_tree(root)
    return root


def test_family_page_lines_up_every_version(client, family_catalog):
    """One column per version: the copy is folded in as "same as", tools are a matrix, sections
    are aligned, and each pair of columns links to the compare page."""
    response = client.get("/families/agent/release-planner/")
    assert_page(response)
    html = response.content.decode()
    assert html.count('class="member-head"') == 2  # alpha and gamma; beta is a copy of alpha
    assert "same as" in html and "beta/agent/release-planner" in html
    assert "/compare/?left=alpha%2Fagent%2Frelease-planner&amp;right=gamma%2Fagent%2Frelease-planner" in html
    assert "/compare/?left=gamma%2Fagent%2Frelease-planner&amp;right=alpha%2Fagent%2Frelease-planner" in html
    bash_row = re.search(r"<code>Bash</code></th>(.*?)</tr>", html).group(1)
    assert re.findall(r'aria-label="([a-z ]+)"', bash_row) == ["not allowed", "allowed"]  # alpha, then gamma
    assert "Own Section" in html
    assert "<script" not in html.split("</head>", 1)[1]  # no inline scripts in the body
    assert ' style="' not in html


def test_family_json_twin_keeps_the_contract(client, family_catalog):
    """key, name, members with key, collection, score, score_reasons and copy_of."""
    data = client.get("/families/agent/release-planner/?format=json").json()
    assert data["key"] == "agent/release-planner" and data["name"] == "release-planner"
    members = {m["key"]: m for m in data["members"]}
    assert set(members) == {"alpha/agent/release-planner", "beta/agent/release-planner", "gamma/agent/release-planner"}
    assert members["beta/agent/release-planner"]["copy_of"] == "alpha/agent/release-planner"
    assert members["alpha/agent/release-planner"]["copy_of"] is None
    for m in data["members"]:
        assert isinstance(m["collection"], str) and isinstance(m["score"], int)
        assert all(isinstance(r, str) for r in m["score_reasons"])
        assert sum(int(r.split(" ", 1)[0]) for r in m["score_reasons"]) == m["score"]
    assert data["members"][0]["score"] == max(m["score"] for m in data["members"])
    assert data["tools"]["Bash"] == ["gamma/agent/release-planner"]
    assert data["core"]["unique_headings"] == {"gamma/agent/release-planner": ["Own Section"]}


def test_family_page_query_count_is_fixed(client, family_catalog, django_assert_max_num_queries):
    """The family page reads a fixed number of queries, then the cache."""
    with django_assert_max_num_queries(14):
        client.get("/families/agent/release-planner/")
    with django_assert_max_num_queries(3):
        client.get("/families/agent/release-planner/")


def test_unknown_family_is_404(client, family_catalog):
    assert client.get("/families/agent/no-such-thing/").status_code == 404
    assert client.get("/families/<script>/").status_code == 404


def test_family_list_is_largest_first_and_filters(client, family_catalog):
    """Largest first; kind, collection and name words narrow it; the fragment is the results."""
    response = client.get("/families/")
    assert_page(response)
    html = response.content.decode()
    assert html.index("agent/release-planner") < html.index("agent/db-tuner")
    data = client.get("/families/?format=json").json()
    assert [f["key"] for f in data["results"]] == ["agent/release-planner", "agent/db-tuner"]
    assert data["results"][0]["collections"] == ["alpha", "beta", "gamma"]
    assert [f["key"] for f in client.get("/families/?format=json&collection=alpha").json()["results"]] == [
        "agent/release-planner"
    ]
    assert client.get("/families/?format=json&kind=skill").json()["count"] == 0
    assert [f["key"] for f in client.get("/families/?format=json&q=tuner").json()["results"]] == ["agent/db-tuner"]
    assert client.get("/families/?format=json&q=%25%27%22").json()["count"] == 0  # text is data
    fragment = client.get("/families/?q=planner", headers={"HX-Request": "true"})
    assert_fragment(fragment)
    assert "agent/release-planner" in fragment.content.decode()
    assert fragment["Vary"] and "HX-Request" in fragment["Vary"]


def test_definition_links_to_its_family(client, family_catalog):
    """The detail page and its JSON twin name the family: key, url and size."""
    data = client.get("/d/gamma/agent/release-planner/?format=json").json()
    assert data["family"] == {"key": "agent/release-planner", "url": "/families/agent/release-planner/", "size": 3}
    html = client.get("/d/gamma/agent/release-planner/").content.decode()
    assert 'href="/families/agent/release-planner/"' in html


def test_family_scores_sort(client, family_catalog):
    """?sort= orders the score table; an unknown value falls back to the score."""
    names = client.get("/families/agent/release-planner/?sort=collection").content.decode()
    table = names.split('class="table family-scores"', 1)[1]
    assert table.index("alpha") < table.index("beta") < table.index("gamma")
    assert client.get("/families/agent/release-planner/?sort=bogus").status_code == 200
    json.dumps(client.get("/families/agent/release-planner/?format=json").json())


def test_overview_lists_the_largest_families(client, family_catalog):
    """The overview links to families of several versions (one of one version is not listed)."""
    html = client.get("/").content.decode()
    assert 'href="/families/agent/release-planner/"' in html
    assert 'href="/families/agent/db-tuner/"' not in html
    data = client.get("/?format=json").json()
    assert [f["key"] for f in data["largest_families"]] == ["agent/release-planner"]
