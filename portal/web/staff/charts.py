"""Bar charts drawn on the server as inline SVG (templates/staff/withdrawals/_bar_chart.html):
no chart library reaches the browser, and the same numbers are always in a table."""

from __future__ import annotations

from dataclasses import dataclass

#: Longer labels are cut in the drawing; the table beside it keeps the full text.
MAX_LABEL = 44


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    #: Length relative to the longest bar, 0 to 1.
    share: float

    @property
    def short_label(self) -> str:
        if len(self.label) <= MAX_LABEL:
            return self.label
        return self.label[: MAX_LABEL - 1].rstrip() + "…"


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    #: A sentence for screen readers (the SVG's <desc>).
    description: str
    bars: list[Bar]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def bar_chart(chart_id: str, title: str, description: str, rows) -> BarChart:
    """A chart of (label, count) rows, in the order given."""
    rows = [(str(label), int(count)) for label, count in rows]
    longest = max((count for _label, count in rows), default=0)
    return BarChart(
        id=chart_id,
        title=str(title),
        description=str(description),
        bars=[Bar(label, count, count / longest if longest else 0.0) for label, count in rows],
    )
