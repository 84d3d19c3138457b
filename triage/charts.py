"""Counts of completed checks by week and level, and a small SVG bar chart of them. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from triage import engine

COLOURS = {  # the site's care-card colours, as SVG fill attributes (no style attribute: strict CSP)
    engine.EMERGENCY: "#a50e1e",
    engine.URGENT: "#b34700",
    engine.GP: "#1d4f91",
    engine.SELF_CARE: "#00703c",
}


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ordered(self) -> list[int]:
        """The counts, most urgent level first."""
        return [self.counts[level] for level in engine.LEVELS]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_counts(rows: Iterable[tuple[date, str, int]], today: date, weeks: int = 12) -> list[Week]:
    """`rows` are (day, disposition, count). The last `weeks` weeks up to today's, oldest first, gaps as zeros."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    table = {first + timedelta(weeks=n): dict.fromkeys(engine.LEVELS, 0) for n in range(weeks)}
    for day, disposition, count in rows:
        start = week_start(day)
        if start in table and disposition in table[start]:
            table[start][disposition] += count
    return [Week(start, counts) for start, counts in table.items()]


def bar_chart(weeks: list[Week], labels: dict[str, str], title: str) -> SafeString:
    """Stacked bars, one a week, most urgent at the bottom. The admin page shows the same numbers as a table."""
    width, height, left, bottom, top = 640, 220, 36, 28, 12
    plot_height = height - bottom - top
    step = (width - left) / max(len(weeks), 1)
    peak = max([week.total for week in weeks] + [1])
    bars = []
    for index, week in enumerate(weeks):
        x = left + index * step + step * 0.15
        y = height - bottom
        for level in engine.LEVELS:
            count = week.counts[level]
            if not count:
                continue
            bar_height = plot_height * count / peak
            y -= bar_height
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                    round(x, 1),
                    round(y, 1),
                    round(step * 0.7, 1),
                    round(bar_height, 1),
                    COLOURS[level],
                    week.start.isoformat(),
                    count,
                    labels[level],
                )
            )
        if index % 2 == 0 or len(weeks) <= 6:
            bars.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#0b0c0c">{}</text>',
                    round(x + step * 0.35, 1),
                    height - 10,
                    week.start.strftime("%d %b"),
                )
            )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">{}</text>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">0</text>',
        left,
        height - bottom,
        width,
        height - bottom,
        left - 6,
        top + 10,
        peak,
        left - 6,
        height - bottom,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="outcome-chart-title">'
        '<title id="outcome-chart-title">{}</title>{}{}</svg>',
        width,
        height,
        title,
        axis,
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )
