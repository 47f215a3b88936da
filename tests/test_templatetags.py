"""Template tags of the catalog."""

from django.template.defaultfilters import truncatechars

from catalog.templatetags.catalog_tags import definition_rows, select_options


def test_select_options_escapes_and_selects():
    """Values and labels are escaped; only the current value is selected."""
    html = select_options([("a&b", '<x y="1">', 3), ("plain", "Plain", 1)], "plain")
    assert html == (
        '<option value="a&amp;b">&lt;x y=&quot;1&quot;&gt; (3)</option>'
        '<option value="plain" selected>Plain (1)</option>'
    )


def test_select_options_with_nothing_current():
    """No current value selects nothing."""
    assert "selected" not in select_options([("a", "A", 1)], None)


class Row:
    """Stands in for a listed Definition: the attributes definition_rows reads."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_absolute_url(self):
        return self.url

    def get_kind_display(self):
        return self.kind

    def get_format_display(self):
        return self.format


class Place:
    def __init__(self, name, url):
        self.name, self.url = name, url

    def get_absolute_url(self):
        return self.url


HOSTILE = '"><script>alert(1)</script>'


def hostile_row(**overrides):
    fields = dict(
        url='/d/x/agent/a"b/', name=HOSTILE, description=HOSTILE, kind=HOSTILE, format=HOSTILE, model=HOSTILE,
        collection=Place(HOSTILE, "/collections/<c>/"), chips=[(HOSTILE, HOSTILE, True), ("Read", "Read", False)],
        more_tools=2, collaborator_count=3, problem_count=1, size=2048,
    )  # fmt: skip
    return Row(**fields | overrides)


def test_definition_rows_escape_every_value():
    """Names, descriptions, tools, collection, kind, format, model and URLs are all escaped."""
    html = definition_rows([hostile_row()], show_kind=True)
    assert "<script" not in html and '"><script' not in html
    assert html.count("&lt;script&gt;") == 8  # name, description, kind, collection, format, model, chip title and text
    assert 'href="/d/x/agent/a&quot;b/"' in html and 'href="/collections/&lt;c&gt;/"' in html
    assert '<li class="chip flag" title="&quot;&gt;&lt;script&gt;' in html
    assert '<li class="chip">+2</li>' in html and '<span class="badge warn">1</span>' in html


def test_definition_rows_options_and_plain_values():
    """Kind shown only when asked, collection hidden when asked, no model as a dash, sizes humanized."""
    row = hostile_row(name="reviewer", model="", problem_count=0, more_tools=0, chips=[])
    plain = definition_rows([row])
    assert "<td>—</td>" in plain and '<td class="num">0</td>' in plain and "2.0\xa0KB" in plain
    assert plain.count("<td>") + plain.count("<td ") == 8  # name, collection, format, model, tools, 3 numbers
    assert definition_rows([row], show_kind=True, hide_collection=True).count("<td") == 8
    assert "/collections/" not in definition_rows([row], hide_collection=True)


def test_definition_rows_truncate_descriptions_as_truncatechars():
    """A long description is cut to 140 characters, the last an ellipsis, like the filter."""
    long = "word " * 60
    html = definition_rows([hostile_row(description=long)])
    shown = html.split('<div class="muted small">')[1].split("</div>")[0]
    assert shown == truncatechars(long, 140) and len(shown) == 140 and shown.endswith("…")


def test_select_options_without_counts():
    """(value, label) choices show no count."""
    assert select_options([("name", "Name"), ("-size", "Largest first")], "-size") == (
        '<option value="name">Name</option><option value="-size" selected>Largest first</option>'
    )
