"""Template tags of the catalog."""

from catalog.templatetags.catalog_tags import select_options


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
