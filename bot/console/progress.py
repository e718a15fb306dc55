"""The progress table and the national picture, read from each team's summary row.

Filtering, sorting, counting and paging run in SQL over the summaries (`store.summaries`);
only the shown page's rows are built in Python, from the kept standings. Before reading,
`fresh_summaries` brings stale summaries up to date: their audits' standings are read (or,
if they no longer fit, evaluated by the one evaluation and kept) and the rows refreshed.
If that cannot be written (the database busy past its timeout), both pages fall back to
evaluating every team in Python (`rows_in_python`), which is what the summaries must agree
with (tests/test_summaries.py).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from bot import store
from bot.console import national
from bot.console.standings import standings
from bot.tree.assessment import FINISHED, IN_PROGRESS, NOT_STARTED, Standing
from bot.tree.model import Tree
from bot.trees import tree_for_audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableQuery:
    """What the progress table is asked for: its filters, its order and the page."""

    include_archived: bool = False
    nation: str = ""
    status: str = ""
    result: str = ""
    query: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1
    page_size: int = national.PAGE_SIZE


@dataclass(frozen=True)
class ProgressTable:
    """One page of the progress table, with the counts its caption gives."""

    rows: list[national.ProgressRow]
    pending: list[national.ProgressRow]
    matching: int
    total: int
    page: int
    pages: int


def scored_with(db, tree: Tree) -> dict[str, str]:
    """Map "<digest> <status>" to the tree such an audit is scored with, for other trees."""
    return {
        f"{row['tree_digest']} {row['status']}": tree_for_audit(db, row, tree).digest
        for row in store.summary_trees(db, tree.digest)
    }


def fresh_summaries(db, tree: Tree) -> bool:
    """Bring every team's summary up to date; False if some could not be kept."""
    stale = store.stale_summaries(db, scored_with(db, tree))
    if not stale:
        return True
    standings().for_audits(db, tree, store.summarised_audits(db, stale))
    try:
        store.refresh_summaries(db, stale)
    except sqlite3.OperationalError as error:
        log.warning("Could not refresh %d team summaries: %s", len(stale), error)
        return False
    return not store.stale_summaries(db, scored_with(db, tree))


def _rows(db, tree: Tree, summaries: list[dict]) -> list[national.ProgressRow]:
    """Build the progress rows of these summaries, from their kept standings."""
    if not summaries:
        return []
    details = store.summarised_teams(db, summaries)
    # An audit with no answer yet (no scored tree) is not started: no standing to read.
    unanswered = {s["audit_id"] for s in summaries if s["scored_digest"] is None}
    audits = [
        audit
        for item in details.values()
        for audit in (item["audit"], item["latest_finished"])
        if audit is not None and audit["id"] not in unanswered
    ]
    standing_of = {None: Standing(NOT_STARTED)} | dict.fromkeys(unanswered, Standing(NOT_STARTED))
    standing_of |= standings().for_audits(db, tree, audits)
    return [
        _progress_row(
            details[summary["team_id"]],
            summary["contributors"],
            summary["audits"],
            details[summary["team_id"]]["latest_finished"],
            standing_of,
        )
        for summary in summaries
    ]


def _progress_row(
    item: dict, contributors: int, audits: int, latest: dict | None, standing_of: dict
) -> national.ProgressRow:
    """One team's row: `item` holds its team, current audit and link, `standing_of` the
    standings by audit id (None: no audit)."""
    audit = item["audit"]
    return national.ProgressRow(
        item["team"],
        audit,
        item["link"],
        contributors,
        audits,
        standing_of[audit["id"] if audit else None],
        latest_finished=latest,
        latest_standing=standing_of[latest["id"]] if latest else None,
    )


def progress_table(db, tree: Tree, asked: TableQuery) -> ProgressTable:
    """Return the page of the teams matching `asked`'s filters, in its order."""
    if not fresh_summaries(db, tree):
        return table_in_python(db, tree, asked)
    filters = {
        "include_archived": asked.include_archived,
        "nation": asked.nation,
        "status": asked.status,
        "result": asked.result,
        "words": asked.query.casefold().split(),
    }
    total, matching = store.progress_counts(db, **filters)
    pages = max(1, -(-matching // asked.page_size))
    page = min(max(1, asked.page), pages)
    shown = store.progress_page(
        db,
        sort=asked.sort,
        orders={
            "nation": list(national.NATION_LABELS),
            "status": list(national.STATUSES),
            "result": [result.id for result in tree.results],
        },
        descending=asked.descending,
        limit=asked.page_size,
        offset=(page - 1) * asked.page_size,
        **filters,
    )
    return ProgressTable(
        rows=_rows(db, tree, shown),
        pending=national.filter_rows(
            _rows(db, tree, store.pending_summaries(db)),
            nation=asked.nation,
            status=asked.status,
            result=asked.result,
            query=asked.query,
        ),
        matching=matching,
        total=total,
        page=page,
        pages=pages,
    )


def national_tally(db, tree: Tree) -> national.Tally:
    """Count the national picture's teams in SQL over the summaries (`national.tally`'s twin)."""
    if not fresh_summaries(db, tree):
        rows = rows_in_python(db, tree)
        return national.tally(
            (row.team["nation"], row.counted)
            for row in rows
            if national.counts_nationally(row.team)
        )
    counts = store.national_counts(db, targeted=national.TARGETED)
    teams: dict[tuple[str, str], int] = {}
    finished = 0
    for nation, counted_status, result, number in counts["results"]:
        if counted_status == FINISHED and result:
            row = result
            finished += number
        else:
            row = IN_PROGRESS if counted_status != NOT_STARTED else NOT_STARTED
        key = (row, national.nation_column(nation))
        teams[key] = teams.get(key, 0) + number
    return national.Tally(
        teams=teams,
        finished=finished,
        descriptors={(key, value): number for key, value, number in counts["descriptors"]},
        flagged={flag: number for flag, number, _ in counts["flags"]},
        flagged_targeted={flag: number for flag, _, number in counts["flags"] if number},
    )


# -- every team in Python: the fallback, and what the summaries must agree with --------------


def rows_in_python(db, tree: Tree, *, include_archived: bool = False) -> list[national.ProgressRow]:
    """Return every team's progress row, each standing read or evaluated (no summaries)."""
    overview = store.team_overview(db, include_archived=include_archived)
    finished = store.latest_finished_audits(db)
    standing_of = standings().for_audits(
        db, tree, [item["audit"] for item in overview] + list(finished.values())
    )
    return [
        _progress_row(
            item,
            item["contributors"],
            item["audits"],
            finished.get(item["team"]["id"]),
            standing_of,
        )
        for item in overview
    ]


def table_in_python(db, tree: Tree, asked: TableQuery) -> ProgressTable:
    """The progress table by evaluating every team in Python: filtered, sorted and paged."""
    every_row = rows_in_python(db, tree, include_archived=asked.include_archived)
    waiting = [row for row in every_row if row.team["pending"] and not row.team["archived"]]
    rows = [row for row in every_row if row not in waiting]
    pending = national.filter_rows(
        waiting, nation=asked.nation, status=asked.status, result=asked.result, query=asked.query
    )
    chosen = national.filter_rows(
        rows, nation=asked.nation, status=asked.status, result=asked.result, query=asked.query
    )
    matching = national.sort_rows(tree, chosen, asked.sort, asked.descending)
    shown, page, pages = national.page_of(matching, asked.page, asked.page_size)
    return ProgressTable(shown, pending, len(matching), len(rows), page, pages)
