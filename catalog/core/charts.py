"""Geometry for the server-rendered bar charts of the overview and collection pages.

A chart is a list of ``(label, value, url)`` rows turned into coordinates that a template
draws as SVG: one horizontal bar per row, its label on the left and its value on the right.
Everything is placed with SVG attributes (``x``, ``y``, ``width``, ``height``), never with
``style``, so the charts render under a CSP that forbids inline styles and need no script.

Pure Python: no Django import, so the layout is tested without a database.
"""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 480
ROW_HEIGHT = 22
BAR_HEIGHT = 15
LABEL_WIDTH = 170
VALUE_WIDTH = 44  # room right of the longest bar for its number
CHAR_WIDTH = 6.2  # average advance of an 11px sans-serif character, to shorten long labels


@dataclass(frozen=True)
class Bar:
    """One row of a chart, with where to draw it."""

    name: str  # the label in full
    label: str  # as shown, shortened to fit
    value: int
    url: str
    title: str  # the full text for <title>: label, value and any detail
    y: int  # top of the row
    width: float  # length of the bar; at least 1 for a non-zero value, so it stays clickable
    text_y: int  # baseline of the label and the value
    value_x: float  # where the value is written, just after the bar


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: a title for screen readers, the bars and the SVG's size."""

    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_x: int  # right edge of the labels (text-anchor="end")
    bar_x: int  # left edge of the bars
    bar_height: int

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)

    def __bool__(self):
        return bool(self.bars)

    def as_rows(self):
        """The chart as data, for a JSON twin: each bar's label, value and list URL."""
        return [{"label": bar.name, "value": bar.value, "url": bar.url} for bar in self.bars]


def shorten(text, max_chars):
    """``text`` cut to ``max_chars`` characters, ending in an ellipsis when cut."""
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + "…"


def bar_chart(rows: Iterable[tuple], title="", *, width=WIDTH, label_width=LABEL_WIDTH, unit=""):
    """Lay out ``rows`` of ``(label, value, url)`` or ``(label, value, url, detail)``.

    Bars are scaled to the largest value, so the longest bar fills the plot area; rows keep
    the order given. ``unit`` names what is counted ("agents") in each bar's title.
    """
    rows = [tuple(row) + ("",) * (4 - len(row)) for row in rows]
    largest = max((row[1] for row in rows), default=0)
    plot = width - label_width - VALUE_WIDTH
    max_chars = int((label_width - 8) // CHAR_WIDTH)
    bars = []
    for index, (label, value, url, detail) in enumerate(rows):
        length = max(1.0, round(plot * value / largest, 1)) if value > 0 else 0.0
        y = index * ROW_HEIGHT
        counted = f"{value} {unit}".strip()
        bars.append(
            Bar(
                name=str(label),
                label=shorten(str(label), max_chars),
                value=value,
                url=url,
                title=f"{label}: {counted}" + (f" — {detail}" if detail else ""),
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                width=length,
                text_y=y + ROW_HEIGHT // 2 + 4,
                value_x=label_width + length + 4,
            )
        )
    return BarChart(
        title=title,
        bars=tuple(bars),
        width=width,
        height=max(ROW_HEIGHT, len(bars) * ROW_HEIGHT),
        label_x=label_width - 6,
        bar_x=label_width,
        bar_height=BAR_HEIGHT,
    )


@dataclass(frozen=True)
class SizeBucket:
    """A range of file sizes in bytes: ``low`` included, ``high`` included (``None``: no limit)."""

    low: int
    high: int | None

    @property
    def label(self):
        if self.high is None:
            return f"≥ {self.low // 1024} KB"
        return f"{self.low // 1024}–{(self.high + 1) // 1024} KB"


def size_buckets(edges=(1, 2, 4, 8, 16, 32)):
    """Buckets doubling in size: under 1 KB, 1–2 KB, ... and one open-ended bucket at the end.

    ``edges`` are in KB; sizes of agent files spread over orders of magnitude, so a linear
    scale would put nearly every file in the first bar.
    """
    bounds = [0] + [edge * 1024 for edge in edges]
    buckets = [SizeBucket(low, high - 1) for low, high in zip(bounds, bounds[1:], strict=False)]
    return buckets + [SizeBucket(bounds[-1], None)]
