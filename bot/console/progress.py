"""The progress table, read from each audit's kept standing.

Every team's row is read in two queries (the teams with their current and latest finished
audits, then those audits' standings, `store.keep_standing`); filtering, sorting, paging and
counting are plain Python over the rows (`console.national`). At 500 teams that is a few
milliseconds of reading and no evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import store
from bot.console import national
from bot.tree.model import Tree


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


def progress_rows(db, *, include_archived: bool = False) -> list[national.ProgressRow]:
    """Return every team's progress row, by name."""
    overview = store.team_overview(db, include_archived=include_archived)
    standing_of = store.standings(
        db,
        [item[key]["id"] for item in overview for key in ("audit", "latest_finished") if item[key]],
    )
    return [
        national.ProgressRow(
            item["team"],
            item["audit"],
            item["link"],
            item["contributors"],
            item["audits"],
            standing_of[item["audit"]["id"] if item["audit"] else None],
            latest_finished=item["latest_finished"],
            latest_standing=standing_of[item["latest_finished"]["id"]]
            if item["latest_finished"]
            else None,
        )
        for item in overview
    ]


def progress_table(db, tree: Tree, asked: TableQuery) -> ProgressTable:
    """Return the page of the teams matching `asked`'s filters, in its order; sign-ups awaiting
    approval apart."""
    every_row = progress_rows(db, include_archived=asked.include_archived)
    waiting = [row for row in every_row if row.team["pending"] and not row.team["archived"]]
    rows = [row for row in every_row if not (row.team["pending"] and not row.team["archived"])]
    pending = national.filter_rows(
        waiting, nation=asked.nation, status=asked.status, result=asked.result, query=asked.query
    )
    chosen = national.filter_rows(
        rows, nation=asked.nation, status=asked.status, result=asked.result, query=asked.query
    )
    matching = national.sort_rows(tree, chosen, asked.sort, asked.descending)
    shown, page, pages = national.page_of(matching, asked.page, asked.page_size)
    return ProgressTable(shown, pending, len(matching), len(rows), page, pages)
