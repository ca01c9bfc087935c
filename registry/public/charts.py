"""Server-rendered bar charts: geometry computed here, drawn as inline SVG by a template macro."""
from __future__ import annotations

from dataclasses import dataclass

from registry.items.models import Decision

DECISIONS = (Decision.keep, Decision.abolish, Decision.pending)
#: the plotting area, in SVG user units (the SVG scales to its container)
WIDTH, LABEL_W, BAR_H, GAP = 640, 200, 22, 8


@dataclass(frozen=True)
class Segment:
    decision: Decision
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def stacked(rows: list[tuple[str, dict]]) -> Chart:
    """Horizontal bars, one per ``(label, counts by decision)``, stacked by decision."""
    plot = WIDTH - LABEL_W - 60
    biggest = max((sum(c.values()) for _l, c in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        x, segs = float(LABEL_W), []
        for d in DECISIONS:
            n = counts.get(d, 0)
            if n:
                w = round(plot * n / biggest, 2)
                segs.append(Segment(d, n, round(x, 2), max(w, 1.0)))
                x += w
        bars.append(Bar(str(label), sum(counts.values()), i * (BAR_H + GAP), segs))
    return Chart(bars, WIDTH, max(1, len(rows)) * (BAR_H + GAP), LABEL_W, BAR_H)
