"""A release's figures as rows for its two CSV files: long (for machines) and wide (for people).

Pure Python. Both give the release date and mark a hidden cell with the same word
(`release.HIDDEN`). The long form keeps the columns `table, row, column, count` of the
earlier national figures export, with labels beside the stable ids; the wide form lays each
table out as it reads on the page, with the share of finished teams where both counts are
shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.national.facts import MET
from bot.national.layout import FINISHED_ROW, UK
from bot.national.release import HIDDEN, Release
from bot.national.wording import percent

LONG_COLUMNS = ["release_date", "table", "row", "row_label", "column", "column_label", "count"]
TITLE = "National picture of specialised parent-infant relationship teams"


def long_records(release: Release) -> Iterator[dict[str, Any]]:
    """Yield one record per published cell, in the tables' order."""
    for table in release.layout.tables:
        rows, columns = dict(table.rows), dict(table.columns)
        for cell in table.cells:
            yield {
                "release_date": release.published_on.isoformat(),
                "table": table.key,
                "row": cell.row,
                "row_label": rows[cell.row],
                "column": cell.column,
                "column_label": columns[cell.column],
                "count": release.shown_or_hidden(cell),
            }


def share_of_finished(release: Release, count: int | None) -> int | str:
    """Return a count's share of finished teams in percent, or HIDDEN if either is hidden."""
    finished = release.value("results", FINISHED_ROW, UK)
    if count is None or finished is None:
        return HIDDEN
    return f"{percent(count, finished)}%" if finished else ""


def wide_rows(release: Release) -> list[list[Any]]:
    """Return the tables laid out as they read, one after another, with a heading each."""
    lines: list[list[Any]] = [
        [TITLE],
        ["Release date", release.published_on.isoformat()],
        [f"Hidden figures are marked “{HIDDEN}”: see the note on small numbers."],
    ]
    for table in release.layout.tables:
        shares = table.key in ("results", "descriptors")
        header = ["", *(label for _, label in table.columns)]
        if table.key == "results":
            header.append("Share of finished teams")
        elif table.key == "descriptors":
            header.append("Met, share of finished teams")
        lines += [[], [table.title], header]
        for row, label in table.rows:
            line = [label, *(release.shown_or_hidden(table.cell(row, c)) for c, _ in table.columns)]
            if shares:
                if table.key == "results" and row in release.layout.shape.result_ids:
                    line.append(share_of_finished(release, release.value("results", row, UK)))
                elif table.key == "descriptors":
                    line.append(share_of_finished(release, release.value("descriptors", row, MET)))
                else:
                    line.append("")
            lines.append(line)
    return lines
