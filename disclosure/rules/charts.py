"""Bar charts drawn on the server as SVG: the geometry only (templates draw it).

Each chart is shown beside a table of the same numbers, which screen readers, printers and
people who would rather read get instead; the SVG itself is ``aria-hidden``. No JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Twelve colours that stay apart on white: Paul Tol's "muted" scheme (designed for the
#: common colour-vision deficiencies) and three of Okabe–Ito's. A catalog of more categories
#: shares the last one; the table beside the chart names them all.
PALETTE = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#E69F00",
    "#D55E00",
    "#555555",
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    text: str  # the value as printed at the end of the bar
    y: int
    width: float
    #: Where the value is printed: just past the end of the bar.
    text_x: float = 0


@dataclass(frozen=True)
class HorizontalBars:
    """One bar per row, labels on the left, the value at the end of the bar."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_width: int


def horizontal_bars(
    rows: Sequence[tuple[str, int | float, str]],
    *,
    maximum: float | None = None,
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 8,
) -> HorizontalBars:
    """``rows`` are (label, value, printed value); bars scale to ``maximum`` (the largest
    value when not given)."""
    plot_width = width - label_width - 60
    top = max([maximum or 0, *(value for _label, value, _text in rows)]) or 1
    bars = tuple(
        Bar(
            label,
            value,
            text,
            index * (bar_height + gap),
            plot_width * value / top,
            label_width + plot_width * value / top + 6,
        )
        for index, (label, value, text) in enumerate(rows)
    )
    return HorizontalBars(
        bars=bars,
        width=width,
        height=max(len(bars) * (bar_height + gap) - gap, bar_height),
        label_width=label_width,
        bar_height=bar_height,
        plot_width=plot_width,
    )


@dataclass(frozen=True)
class Segment:
    series: int
    colour: str
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    total: int
    segments: tuple[Segment, ...]
    #: The centre of the column, where its label is printed.
    middle: float = 0


@dataclass(frozen=True)
class StackedColumns:
    """One column per period (month), stacked by series (category), with a legend."""

    columns: tuple[Column, ...]
    legend: tuple[tuple[str, str], ...]  # (series label, colour)
    width: int
    height: int
    plot_height: int
    column_width: float
    ticks: tuple[tuple[float, int], ...]  # (y, value) of the horizontal guide lines


def stacked_columns(
    labels: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    width: int = 640,
    plot_height: int = 220,
) -> StackedColumns:
    """``values[i][j]`` is series ``j`` in column ``i``. Series beyond the palette share its
    last colour, so a catalog of many categories still draws (the table names them all)."""
    totals = [sum(column) for column in values]
    top = _nice_top(max(totals, default=0))
    step = width / max(len(labels), 1)
    columns = []
    for index, (label, column) in enumerate(zip(labels, values, strict=True)):
        base, segments = plot_height, []
        for number, value in enumerate(column):
            if not value:
                continue
            height = plot_height * value / top
            base -= height
            segments.append(Segment(number, _colour(number), base, height, value))
        x = index * step
        columns.append(Column(label, x, totals[index], tuple(segments), x + step * 0.35))
    ticks = tuple((plot_height - plot_height * value / top, value) for value in _ticks(top))
    return StackedColumns(
        columns=tuple(columns),
        legend=tuple((name, _colour(number)) for number, name in enumerate(series)),
        width=width,
        height=plot_height + 24,
        plot_height=plot_height,
        column_width=step * 0.7,
        ticks=ticks,
    )


def _colour(number: int) -> str:
    return PALETTE[min(number, len(PALETTE) - 1)]


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ not below ``value`` (at least 1)."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= value:
                return max(factor * magnitude, 1)
        magnitude *= 10


def _ticks(top: int) -> list[int]:
    return [top * share // 4 for share in range(5) if top * share % 4 == 0] or [0, top]


@dataclass(frozen=True)
class Line:
    """One series as a polyline (``points``, SVG's "x,y x,y" syntax; a gap where a value is
    missing starts a new run) with a dot at each value."""

    label: str
    colour: str
    runs: tuple[str, ...]
    dots: tuple[tuple[float, float, int | float], ...]  # (x, y, value)


@dataclass(frozen=True)
class LineChart:
    """One line per series over the same periods, the value axis from 0 to ``top``."""

    lines: tuple[Line, ...]
    labels: tuple[tuple[float, str], ...]  # (x, period label)
    legend: tuple[tuple[str, str], ...]  # (series label, colour)
    width: int
    height: int
    plot_height: int
    ticks: tuple[tuple[float, int], ...]


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    *,
    maximum: int | None = None,
    width: int = 640,
    plot_height: int = 220,
) -> LineChart:
    """``series`` are (label, one value per period or None); the axis runs to ``maximum``
    (100 for rates) or to a round number above the largest value."""
    values = [value for _label, row in series for value in row if value is not None]
    top = maximum or _nice_top(int(max(values, default=0)))
    step = width / max(len(labels), 1)

    def x_of(index: int) -> float:
        return step * index + step / 2

    def y_of(value: float) -> float:
        return plot_height - plot_height * value / top

    lines = []
    for number, (label, row) in enumerate(series):
        runs: list[str] = []
        current: list[str] = []
        dots = []
        for index, value in enumerate(row):
            if value is None:
                if current:
                    runs.append(" ".join(current))
                current = []
                continue
            x, y = x_of(index), y_of(value)
            current.append(f"{x:.1f},{y:.1f}")
            dots.append((x, y, value))
        if current:
            runs.append(" ".join(current))
        lines.append(Line(label, _colour(number), tuple(runs), tuple(dots)))
    return LineChart(
        lines=tuple(lines),
        labels=tuple((x_of(index), label) for index, label in enumerate(labels)),
        legend=tuple((line.label, line.colour) for line in lines),
        width=width,
        height=plot_height + 24,
        plot_height=plot_height,
        ticks=tuple((y_of(value), value) for value in _ticks(top)),
    )
