"""Bar chart geometry (catalog.core.charts): pure layout, no Django and no database."""

from catalog.core.charts import (
    BAR_HEIGHT,
    LABEL_WIDTH,
    ROW_HEIGHT,
    VALUE_WIDTH,
    WIDTH,
    bar_chart,
    shorten,
    size_buckets,
)

PLOT = WIDTH - LABEL_WIDTH - VALUE_WIDTH


def test_bars_scale_to_the_largest_value_and_keep_the_order_given():
    """The largest value fills the plot area; the others are proportional, in input order."""
    chart = bar_chart([("a", 5, "/a"), ("b", 10, "/b"), ("c", 1, "/c")], "T")
    assert [bar.name for bar in chart.bars] == ["a", "b", "c"]
    assert chart.bars[1].width == PLOT
    assert chart.bars[0].width == PLOT / 2
    assert chart.total == 16
    assert chart.height == 3 * ROW_HEIGHT


def test_rows_are_stacked_and_values_written_after_their_bar():
    """Each row sits one row height below the last; the value starts just right of the bar."""
    chart = bar_chart([("a", 3, "/a"), ("b", 6, "/b")])
    first, second = chart.bars
    assert second.y - first.y == ROW_HEIGHT
    assert first.y >= 0 and first.y + BAR_HEIGHT <= ROW_HEIGHT
    assert first.value_x == chart.bar_x + first.width + 4
    assert chart.bar_x + max(bar.width for bar in chart.bars) + VALUE_WIDTH <= chart.width


def test_a_tiny_value_stays_visible_and_zero_draws_nothing():
    """A non-zero bar is at least one unit long, so it can be seen and clicked; zero is empty."""
    chart = bar_chart([("big", 100_000, "/big"), ("tiny", 1, "/tiny"), ("none", 0, "/none")])
    assert chart.bars[1].width == 1.0
    assert chart.bars[2].width == 0.0


def test_long_labels_are_shortened_but_titles_keep_everything():
    """The drawn label fits the label column; the <title> text has the full label, value, unit and detail."""
    long_name = "a-very-long-agent-name-that-would-run-into-the-bars"
    (bar,) = bar_chart([(long_name, 4, "/x", "warning: something")], unit="agents").bars
    assert bar.label.endswith("…") and len(bar.label) < len(long_name)
    assert bar.name == long_name
    assert bar.title == f"{long_name}: 4 agents — warning: something"


def test_an_empty_chart_is_falsy_and_still_has_a_height():
    """No rows: nothing to draw, and the template shows its empty message instead."""
    chart = bar_chart([], "Nothing")
    assert not chart and chart.bars == () and chart.height == ROW_HEIGHT
    assert chart.as_rows() == []


def test_as_rows_is_the_chart_as_data():
    """The JSON twin of a chart: full label, value and list URL per bar."""
    chart = bar_chart([("Read", 7, "/agents/?tool=Read")])
    assert chart.as_rows() == [{"label": "Read", "value": 7, "url": "/agents/?tool=Read"}]


def test_shorten():
    """Text within the limit is unchanged; longer text ends in one ellipsis within the limit."""
    assert shorten("abc", 3) == "abc"
    assert shorten("abcdef", 4) == "abc…"


def test_size_buckets_cover_every_size_once():
    """Buckets start at 0, follow each other without gap or overlap, and the last is open-ended."""
    buckets = size_buckets()
    assert buckets[0].low == 0 and buckets[-1].high is None
    for before, after in zip(buckets, buckets[1:], strict=False):
        assert after.low == before.high + 1
    assert [b.label for b in buckets] == ["0–1 KB", "1–2 KB", "2–4 KB", "4–8 KB", "8–16 KB", "16–32 KB", "≥ 32 KB"]
