"""The compare page, its patch download, its autocomplete and version history, through the test client.

The seeds are imported at run time; edited copies of a seed are written to ``tmp_path`` so
that a comparison has unchanged runs and word-level changes (the five seeds share almost no
lines). Query counts are pinned; the suite runs on SQLite and on PostgreSQL alike.
"""

import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.html import escape

from catalog.models import Definition, Reference
from tests.helpers import HTMX, SEEDS, edited_seed_text, seed_path

# Query counts here are the views' own: the page cache in front of them is tested in test_page_cache.py.
pytestmark = pytest.mark.usefixtures("page_cache_off")

URL = reverse_lazy("catalog:compare")
PATCH = reverse_lazy("catalog:compare_patch")
PICK = reverse_lazy("catalog:compare_pick")


def derived_sets(definition):
    """What the importer derived for a definition, as the diff's four sets."""
    references = list(definition.references.all())
    return {
        "tools": {link.tool.name for link in definition.tool_links.all()},
        "skills": {r.name for r in references if r.kind == Reference.Kind.SKILL},
        "commands": {r.name for r in references if r.kind == Reference.Kind.COMMAND},
        "collaborators": {e.target_name for e in definition.edges_out.exclude(kind="excludes")},
    }


def apply_patch(text, patch):
    """Apply a unified diff to ``text`` (enough of patch(1) to check ours)."""
    source = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    out, position = [], 0
    lines = iter(patch.splitlines(keepends=True)[2:])
    for line in lines:
        hunk = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if hunk:
            start = int(hunk[1]) - (hunk[2] != "0")
            out += source[position:start]
            position = start
        elif line.startswith("\\"):
            out[-1] = out[-1].removesuffix("\n")
        elif line[0] == " ":
            assert source[position] == line[1:]
            out.append(line[1:])
            position += 1
        elif line[0] == "-":
            assert source[position] == line[1:]
            position += 1
        elif line[0] == "+":
            out.append(line[1:])
    return "".join(out + source[position:])


@pytest.fixture
def seeds(db, import_tree):
    """The five seed variants, collection "seeds"; maps each file's number ("000") to its key."""
    import_tree(SEEDS)
    return {
        d.source_path[:3]: d.key
        for d in Definition.objects.filter(collection__slug="seeds").select_related("collection")
    }


@pytest.fixture
def edited(seeds, import_tree, tmp_path):
    """Seed 002 and a lightly edited copy in a second collection: ``(original key, edited key)``."""
    folder = tmp_path / "edited" / "agents"
    folder.mkdir(parents=True)
    (folder / "backend.md").write_text(edited_seed_text(seed_path("002").read_text(encoding="utf-8")), encoding="utf-8")
    import_tree(tmp_path / "edited", collection="edited")
    copy = Definition.objects.select_related("collection").get(collection__slug="edited")
    return seeds["002"], copy.key


@pytest.fixture
def history(db, import_tree, tmp_path):
    """Seed 002 imported, then re-imported after an edit: ``(definition, kept version, sets before)``."""
    folder = tmp_path / "team" / "agents"
    folder.mkdir(parents=True)
    path = folder / "backend.md"
    original = seed_path("002").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    import_tree(tmp_path / "team", collection="team")
    definition = Definition.objects.select_related("collection").get(collection__slug="team")
    before = derived_sets(definition)
    path.write_text(edited_seed_text(original), encoding="utf-8")
    import_tree(tmp_path / "team", collection="team")
    definition = Definition.objects.select_related("collection").get(pk=definition.pk)
    return definition, definition.versions.get(), before


# ---------------------------------------------------------------------------
# Page and fragment
# ---------------------------------------------------------------------------


def test_full_page_compares_two_seed_variants(client, seeds):
    """The page shows both sides, the summary, every frontmatter field and the body's sections."""
    response = client.get(URL, {"left": seeds["000"], "right": seeds["002"]})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" in html
    assert 'id="compare"' in html
    for label in ("Similarity", "Fields changed", "Tools", "Sections changed", "Lines"):
        assert f"<dt>{label}</dt>" in html
    assert "<code>permissionMode</code>" in html  # only on the left
    assert "<code>auto_activate</code>" in html  # only on the right
    assert "Only left" in html and "Only right" in html
    assert html.count('class="diff-section') > 20
    assert 'class="diff diff-split"' in html


def test_htmx_request_gets_the_fragment(client, seeds):
    """An htmx request gets the #compare partial only: no layout, same diff, Vary: HX-Request."""
    response = client.get(URL, {"left": seeds["000"], "right": seeds["002"]}, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html
    assert "site-header" not in html
    assert "compare-form" in html
    assert "<dt>Similarity</dt>" in html


def test_history_restore_and_boosted_requests_get_the_full_page(client, seeds):
    """Back-button restores and boosted links need the whole page, not a bare fragment."""
    query = {"left": seeds["000"], "right": seeds["002"]}
    restore = client.get(URL, query, headers=HTMX | {"HX-History-Restore-Request": "true"})
    boosted = client.get(URL, query, headers=HTMX | {"HX-Boosted": "true"})
    assert "<html" in restore.content.decode()
    assert "<html" in boosted.content.decode()


def test_query_counts_are_pinned(client, seeds, django_assert_num_queries):
    """Two current definitions: one query for both, then tools, references and edges (4 in all)."""
    query = {"left": seeds["000"], "right": seeds["002"]}
    with django_assert_num_queries(4):
        assert client.get(URL, query).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(URL, query, headers=HTMX).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(URL, query | {"format": "json"}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(PATCH, query).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(PICK, {"side": "left", "q": "backend"}).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200


def test_same_definition_on_both_sides_is_identical(client, seeds):
    """Comparing a definition with itself reports no difference and a similarity of 1."""
    data = client.get(URL, {"left": seeds["001"], "right": seeds["001"], "format": "json"}).json()
    assert data["summary"]["similarity"] == 1.0
    assert data["summary"]["lines_added"] == data["summary"]["lines_removed"] == 0
    assert {s["status"] for s in data["sections"]} == {"same"}
    html = client.get(URL, {"left": seeds["001"], "right": seeds["001"]}).content.decode()
    assert "No difference" in html


# ---------------------------------------------------------------------------
# JSON twin
# ---------------------------------------------------------------------------


def test_json_twin_shape(client, seeds):
    """?format=json gives the keys, the summary, fields, the four sets and the sections."""
    response = client.get(URL, {"left": seeds["000"], "right": seeds["002"], "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["left"] == seeds["000"] and data["right"] == seeds["002"]
    assert 0 <= data["summary"]["similarity"] <= 1
    for name in ("fields_changed", "tools_added", "tools_removed", "sections_changed", "lines_added", "lines_removed"):
        assert isinstance(data["summary"][name], int)
    assert data["fields"] and all(set(f) == {"name", "status", "left", "right"} for f in data["fields"])
    statuses = {f["name"]: f["status"] for f in data["fields"]}
    assert statuses["permissionMode"] == "removed" and statuses["complexity"] == "added"
    assert statuses["name"] == "changed"
    assert set(data["sets"]) == {"tools", "skills", "commands", "collaborators"}
    assert all(set(s) == {"only_left", "only_right", "both"} for s in data["sets"].values())
    assert data["sections"] and all({"left_heading", "right_heading", "status"} <= set(s) for s in data["sections"])
    assert data["patch_url"].startswith(str(PATCH))


def test_json_sets_agree_with_what_the_importer_stored(client, seeds):
    """Each set's left and right sides are exactly what each definition was imported with."""
    left = Definition.objects.by_key(seeds["000"])
    right = Definition.objects.by_key(seeds["002"])
    data = client.get(URL, {"left": left.key, "right": right.key, "format": "json"}).json()
    expected_left, expected_right = derived_sets(left), derived_sets(right)
    assert expected_left["skills"] and expected_left["collaborators"]  # the comparison is not vacuous
    for name, diff in data["sets"].items():
        assert set(diff["only_left"]) | set(diff["both"]) == expected_left[name]
        assert set(diff["only_right"]) | set(diff["both"]) == expected_right[name]
    summary = data["summary"]
    assert (summary["tools_added"], summary["tools_removed"]) == (
        len(data["sets"]["tools"]["only_right"]),
        len(data["sets"]["tools"]["only_left"]),
    )


def test_swapping_sides_mirrors_the_diff(client, seeds):
    """The swap link exchanges left and right; the swapped diff counts additions as removals."""
    html = client.get(URL, {"left": seeds["000"], "right": seeds["002"]}).content.decode()
    swap = unescape(re.search(r'class="button swap-link" href="([^"]+)"', html)[1])
    assert client.get(swap).status_code == 200
    forward = client.get(URL, {"left": seeds["000"], "right": seeds["002"], "format": "json"}).json()
    backward = client.get(swap + "&format=json").json()
    assert (backward["left"], backward["right"]) == (forward["right"], forward["left"])
    assert backward["summary"]["lines_added"] == forward["summary"]["lines_removed"]
    assert backward["summary"]["tools_added"] == forward["summary"]["tools_removed"]
    assert backward["sets"]["tools"]["only_left"] == forward["sets"]["tools"]["only_right"]


# ---------------------------------------------------------------------------
# Display: word highlights, hide unchanged, unified view, escaping
# ---------------------------------------------------------------------------


def test_word_level_highlights_mark_the_changed_word(client, edited):
    """A line with one word changed shows that word in <del>/<ins>, the rest of the line plain."""
    original, copy = edited
    html = client.get(URL, {"left": original, "right": copy}).content.decode()
    assert "<ins>REWORDED</ins>" in html
    assert re.search(r'<tr class="replace">.*?<del>[^<]+</del>.*?<ins>REWORDED</ins>', html)
    assert '<tr class="insert">' in html and "A closing line the edit added." in html
    assert "WebFetch" in re.search(r'<tr class="set-tools">.*?</tr>', html, re.DOTALL)[0]


def test_hide_unchanged_folds_equal_runs_into_details(client, edited):
    """?hide=1 folds long unchanged runs into <details> that still hold the hidden lines."""
    original, copy = edited
    full = client.get(URL, {"left": original, "right": copy}).content.decode()
    hidden = client.get(URL, {"left": original, "right": copy, "hide": "1"}).content.decode()
    assert 'class="diff-skip"' not in full
    assert hidden.count('<details class="diff-skip">') > 5
    # Every line is still on the page, inside a <details> when folded.
    assert full.count('<tr class="equal">') == hidden.count('<tr class="equal">')
    folded = re.search(
        r'<details class="diff-skip">\s*<summary>(\d+) unchanged lines?.*?</summary>(.*?)</details>', hidden, re.DOTALL
    )
    assert folded[2].count('<tr class="equal">') == int(folded[1])
    assert "<ins>REWORDED</ins>" in hidden
    assert "Show unchanged" in hidden and "Hide unchanged" not in hidden


def test_hide_unchanged_hides_same_fields(client, edited):
    """Under ?hide=1 only changed frontmatter fields are listed, with a count of the others."""
    original, copy = edited
    html = client.get(URL, {"left": original, "right": copy, "hide": "1"}).content.decode()
    fields = re.search(r'<table class="table fields-table">.*?</table>', html, re.DOTALL)[0]
    assert "<code>tools</code>" in fields and "<code>name</code>" not in fields
    assert "unchanged fields hidden" in html


def test_unified_view(client, edited):
    """?view=unified draws one column, removed lines before added ones, with word highlights."""
    original, copy = edited
    html = client.get(URL, {"left": original, "right": copy, "view": "unified"}).content.decode()
    assert 'class="diff diff-unified"' in html and 'class="diff diff-split"' not in html
    assert '<td class="l">' not in html
    assert re.search(
        r'<tr class="delete">.*?<del>[^<]+</del>.*?</tr>\s*<tr class="insert">.*?<ins>REWORDED</ins>', html
    )
    assert 'aria-current="true">Unified' in html


def test_diff_text_is_escaped(client, db, import_tree, tmp_path):
    """Markup in either file reaches the page as text, in the fields and in the body rows."""
    folder = tmp_path / "hostile" / "agents"
    folder.mkdir(parents=True)
    for name, extra in (("one", "first"), ("two", "second")):
        (folder / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: <img src=x onerror=alert(1)> {extra}\n---\n\n"
            f"# Role\n\nPlain line.\n<script>alert('{extra}')</script>\n",
            encoding="utf-8",
        )
    import_tree(tmp_path / "hostile", collection="hostile")
    html = client.get(URL, {"left": "hostile/agent/one", "right": "hostile/agent/two"}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_coarse_fallback_is_explained_on_the_page(client, db, import_tree, tmp_path):
    """Past the size bound the page says the comparison is coarse, and why."""
    folder = tmp_path / "huge" / "agents"
    folder.mkdir(parents=True)
    for name in ("big-one", "big-two"):
        lines = "\n".join(f"- step {n} of {name}" if n % 7 == 0 else f"- step {n}" for n in range(10_500))
        (folder / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: big\n---\n\n# Steps\n\n{lines}\n", encoding="utf-8"
        )
    import_tree(tmp_path / "huge", collection="huge")
    query = {"left": "huge/agent/big-one", "right": "huge/agent/big-two"}
    data = client.get(URL, query | {"format": "json"}).json()
    assert data["summary"]["coarse"] is True
    html = client.get(URL, query).content.decode()
    assert "too large for a line-by-line comparison" in html
    assert 'class="notice warn coarse-reason"' in html


# ---------------------------------------------------------------------------
# Missing and unknown keys
# ---------------------------------------------------------------------------


def test_empty_keys_show_the_picker_with_a_hint(client, seeds):
    """No keys, or only one: the picker (prefilled where given) and a hint, never an error."""
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="left"' in html and 'name="right"' in html
    assert "Choose a definition on each side" in html
    one = client.get(URL, {"left": seeds["000"]}).content.decode()
    assert f'value="{seeds["000"]}"' in one and "Choose a definition on each side" in one
    assert client.get(URL, {"left": seeds["000"], "format": "json"}).status_code == 400


UNKNOWN_KEYS = [
    "nope/agent/nothing",
    "garbage",
    "seeds/agent/backend-architect@999999",
    "seeds/agent/backend-architect@99999999999999999999999999",
    "a/b/c@",
    "@1",
    "é/ü/∂",
]


@pytest.mark.parametrize("bad", UNKNOWN_KEYS)
def test_unknown_key_is_named_on_the_page(client, seeds, bad):
    """An unknown key gives the picker and says which key: 404 for the page and the JSON."""
    page = client.get(URL, {"left": seeds["000"], "right": bad})
    assert page.status_code == 404
    html = page.content.decode()
    assert "<html" in html and 'name="left"' in html
    assert f"<code>{escape(bad)}</code>" in html
    assert f'value="{seeds["000"]}"' in html
    data = client.get(URL, {"left": seeds["000"], "right": bad, "format": "json"})
    assert data.status_code == 404
    assert data.json()["not_found"] == [bad]
    # htmx does not swap error responses, so the fragment says the same with a 200.
    fragment = client.get(URL, {"left": seeds["000"], "right": bad}, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_nul_bytes_in_keys_and_queries_are_not_an_error(client, seeds):
    """A NUL byte (which PostgreSQL refuses in parameters) is dropped, never a 500."""
    data = client.get(URL, {"left": seeds["000"] + "\x00", "right": "x\x00/y/z", "format": "json"})
    assert data.status_code == 404 and data.json()["not_found"] == ["x/y/z"]
    assert client.get(PICK, {"side": "left", "q": "back\x00end"}).status_code == 200


def test_both_unknown_keys_are_named(client, db):
    data = client.get(URL, {"left": "x/agent/one", "right": "y/agent/two", "format": "json"}).json()
    assert data["not_found"] == ["x/agent/one", "y/agent/two"]


# ---------------------------------------------------------------------------
# Patch download
# ---------------------------------------------------------------------------


def test_patch_download(client, seeds):
    """The .patch is a UTF-8 unified diff attachment that turns the left file into the right one."""
    response = client.get(PATCH, {"left": seeds["000"], "right": seeds["002"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-diff; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.patch"')
    patch = response.content.decode("utf-8")
    assert patch.startswith("--- a/seeds/000_") and "\n+++ b/seeds/002_" in patch
    left = seed_path("000").read_bytes().decode("utf-8")
    right = seed_path("002").read_bytes().decode("utf-8")
    assert apply_patch(left, patch) == right


def test_patch_of_the_same_file_is_empty(client, seeds):
    response = client.get(PATCH, {"left": seeds["001"], "right": seeds["001"]})
    assert response.status_code == 200 and response.content == b""


def test_patch_with_unknown_or_missing_keys(client, seeds):
    """An unknown key is a 404 and a missing one a 400, each saying why in plain text."""
    unknown = client.get(PATCH, {"left": seeds["000"], "right": "nope/agent/x"})
    assert unknown.status_code == 404 and b"nope/agent/x" in unknown.content
    assert client.get(PATCH, {"left": seeds["000"]}).status_code == 400


def test_page_links_to_its_patch(client, seeds):
    html = client.get(URL, {"left": seeds["000"], "right": seeds["002"]}).content.decode()
    href = unescape(re.search(r'class="button patch-link" href="([^"]+)"', html)[1])
    assert href.startswith(str(PATCH))
    assert client.get(href)["Content-Type"] == "text/x-diff; charset=utf-8"


# ---------------------------------------------------------------------------
# History: versions kept by re-imports
# ---------------------------------------------------------------------------


def test_version_compare_after_reimport(client, history, django_assert_num_queries):
    """``key@<version>`` names the content a re-import replaced; it compares like any definition."""
    definition, version, before = history
    left = f"{definition.key}@{version.pk}"
    with django_assert_num_queries(5):
        response = client.get(URL, {"left": left, "right": definition.key, "format": "json"})
    data = response.json()
    assert (data["left"], data["right"]) == (left, definition.key)
    assert data["sets"]["tools"]["only_right"] == ["WebFetch"] and data["sets"]["tools"]["only_left"] == []
    # The version's sets are read again from its text; they match what its import had stored.
    for name, expected in before.items():
        assert set(data["sets"][name]["only_left"]) | set(data["sets"][name]["both"]) == expected
    assert data["summary"]["lines_added"] == 2 and data["summary"]["lines_removed"] == 1
    assert [f["name"] for f in data["fields"] if f["status"] != "same"] == ["tools"]

    html = client.get(URL, {"left": left, "right": definition.key}).content.decode()
    assert f"previous version @{version.pk}" in html
    assert "<ins>REWORDED</ins>" in html


def test_two_versions_and_their_patch(client, history):
    """A version compared with itself is identical; its patch against the current file is exact."""
    definition, version, _ = history
    left = f"{definition.key}@{version.pk}"
    same = client.get(URL, {"left": left, "right": left, "format": "json"}).json()
    assert same["summary"]["similarity"] == 1.0
    patch = client.get(PATCH, {"left": left, "right": definition.key})
    assert patch.status_code == 200
    assert f"{definition.slug}@{version.pk}_vs_{definition.slug}.patch" in patch["Content-Disposition"]
    assert apply_patch(bytes(version.raw).decode(), patch.content.decode()) == bytes(definition.raw).decode()


def test_version_of_another_definition_is_unknown(client, history, seeds):
    """A version id only counts under the definition it belongs to."""
    _, version, _ = history
    foreign = f"{seeds['000']}@{version.pk}"
    response = client.get(URL, {"left": foreign, "right": seeds["000"], "format": "json"})
    assert response.status_code == 404 and response.json()["not_found"] == [foreign]


def test_history_fragment_links_each_version_to_the_compare_page(client, history):
    """_history.html lists the versions; each link, and the two-version form, opens a working comparison."""
    definition, version, _ = history
    html = render_to_string("catalog/_history.html", {"definition": definition, "versions": definition.versions.all()})
    assert f"@{version.pk}" in html
    href = unescape(re.search(r'class="button compare-link" href="([^"]+)"', html)[1])
    assert href == f"{reverse('catalog:compare')}?left={definition.key}@{version.pk}&right={definition.key}"
    assert client.get(href).status_code == 200
    empty = render_to_string("catalog/_history.html", {"definition": definition, "versions": []})
    assert "No previous versions" in empty


# ---------------------------------------------------------------------------
# Autocomplete
# ---------------------------------------------------------------------------


def picked_keys(html):
    return re.findall(r'data-key="([^"]+)"', html)


def test_pick_matches_names_and_keeps_the_other_side(client, seeds):
    """Suggestions match the name; each one links to the page with that side chosen and the rest kept."""
    response = client.get(
        PICK, {"side": "right", "right": "backend-eng", "left": seeds["000"], "view": "unified"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    backend_engineers = set(Definition.objects.filter(name="backend-engineer").values_list("slug", flat=True))
    assert {key.rsplit("/", 1)[1] for key in picked_keys(html)} == backend_engineers
    link = unescape(re.search(r'<a href="([^"]+)"', html)[1])
    assert client.get(link + "&format=json").json()["left"] == seeds["000"]
    assert "view=unified" in link


def test_pick_reads_q_and_key_prefixes(client, seeds):
    """``q`` wins over the field; a key prefix narrows by collection, kind and slug."""
    html = client.get(PICK, {"side": "left", "q": "seeds/agent/backend-a", "left": "ignored"}).content.decode()
    assert picked_keys(html) == [seeds["000"]]
    html = client.get(PICK, {"side": "left", "q": "architect seeds"}).content.decode()
    assert set(picked_keys(html)) == {
        k for k in seeds.values() if Definition.objects.by_key(k).name == "backend-architect"
    }


def test_pick_needs_two_characters_and_says_when_nothing_matches(client, seeds, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert picked_keys(client.get(PICK, {"side": "left", "q": "b"}).content.decode()) == []
    html = client.get(PICK, {"side": "left", "q": "zzzz-nothing"}).content.decode()
    assert "Nothing matches" in html and "zzzz-nothing" in html
