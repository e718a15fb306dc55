"""Bar charts of a release's published numbers (matplotlib), each with its alt text.

A hidden figure gets no bar and the word "hidden" where its bar would be: never a bar of
zero. matplotlib is imported when a chart is drawn, not when the app starts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.national.release import HIDDEN

WIDTH_IN = 6.3  # the report's text width, in inches
BAR_COLOUR = "#1d70b8"
HIDDEN_COLOUR = "#505a5f"


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[int | None], *, unit: str = ""
) -> tuple[bytes, str]:
    """Return a horizontal bar chart as PNG bytes, and alt text saying every value shown."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    height = 0.9 + 0.32 * len(labels)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=110)
    axes = figure.subplots()
    positions = list(range(len(labels)))[::-1]
    shown = [v for v in values if v is not None]
    top = max(shown, default=0) or 1
    axes.barh(
        [p for p, v in zip(positions, values, strict=True) if v is not None],
        shown,
        color=BAR_COLOUR,
        height=0.6,
    )
    for position, value in zip(positions, values, strict=True):
        text = HIDDEN if value is None else f"{value}{unit}"
        colour = HIDDEN_COLOUR if value is None else "#0b0c0c"
        style = "italic" if value is None else "normal"
        axes.text((value or 0) + top * 0.01, position, text, va="center", color=colour, style=style)
    axes.set_yticks(positions, [_short(label) for label in labels])
    axes.set_xlim(0, top * 1.15)
    axes.set_title(title, loc="left", fontsize=10)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.42, right=0.97, top=1 - 0.45 / height, bottom=0.35 / height)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    said = "; ".join(
        f"{label}: {HIDDEN if value is None else f'{value}{unit}'}"
        for label, value in zip(labels, values, strict=True)
    )
    return buffer.getvalue(), f"Bar chart. {title}. {said}."


def _short(label: str, limit: int = 42) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
