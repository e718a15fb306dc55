"""Where each team stands, for the foundation's console: the progress table's rows and labels.

Pure Python: no Flask and no database. The functions take the question tree and plain rows
(a team's audit status and its answers) and return values the console shows or exports. The
national picture's figures are made and protected in `bot.national`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.tree import model as m
from bot.tree.assessment import FINISHED, IN_PROGRESS, NOT_STARTED, Standing


def N_(text: str) -> str:
    """Mark a label for extraction; it is translated where it is shown."""
    return text


STATUSES = (NOT_STARTED, IN_PROGRESS, FINISHED)
STATUS_LABELS = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    FINISHED: N_("Finished"),
}

NATIONS = {
    "england": N_("England"),
    "scotland": N_("Scotland"),
    "wales": N_("Wales"),
    "northern_ireland": N_("Northern Ireland"),
}
NOT_RECORDED = "not_recorded"
NATION_LABELS = {**NATIONS, NOT_RECORDED: N_("Not recorded")}
HOST_TYPES = {
    "nhs": N_("NHS"),
    "local_authority": N_("Local authority"),
    "voluntary_sector": N_("Voluntary sector"),
    "other": N_("Other"),
}


# -- the progress table ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """One team in the console's progress table."""

    team: Mapping[str, Any]
    audit: Mapping[str, Any] | None
    link: Mapping[str, Any] | None
    contributors: int
    audits: int
    standing: Standing
    latest_finished: Mapping[str, Any] | None = None  # the team's latest finished audit
    latest_standing: Standing | None = None  # and where it stands

    @property
    def last_activity(self) -> datetime:
        return self.audit["updated"] if self.audit else self.team["created"]

    @property
    def latest_result(self) -> str | None:
        """The result of the team's latest finished audit, even while a re-audit is open."""
        return self.counted.result

    @property
    def result_is_earlier(self) -> bool:
        """True when the latest result belongs to an audit before the current one."""
        return bool(
            self.latest_finished and self.audit and self.latest_finished["id"] != self.audit["id"]
        )

    @property
    def counted(self) -> Standing:
        """What the national picture counts: the latest finished audit, else the current one."""
        return self.latest_standing or self.standing

    def stalled_weeks(self, now: datetime) -> int | None:
        """Return the whole weeks without activity of an unfinished audit, if STALLED or more."""
        if self.standing.status == FINISHED or self.team.get("archived"):
            return None
        weeks = (now - self.last_activity).days // 7
        return weeks if weeks >= STALLED_WEEKS else None


STALLED_WEEKS = 3  # an unfinished audit untouched this long is marked as stalled
PAGE_SIZE = 50
SORT_KEYS = ("name", "nation", "status", "result", "last_activity", "contributors")


def filter_rows(
    rows: Iterable[ProgressRow],
    *,
    nation: str | None = None,
    status: str | None = None,
    result: str | None = None,
    query: str | None = None,
) -> list[ProgressRow]:
    """Keep the rows matching each filter given: nation (NOT_RECORDED for none), status,
    result, and words of the team's name, area or contact email (any case, in any order)."""
    words = (query or "").casefold().split()
    kept = []
    for row in rows:
        if nation and (row.team["nation"] or NOT_RECORDED) != nation:
            continue
        if status and row.standing.status != status:
            continue
        if result and row.latest_result != result:
            continue
        if words:
            text = " ".join(
                str(row.team.get(key) or "") for key in ("name", "area", "contact_email")
            ).casefold()
            if not all(word in text for word in words):
                continue
        kept.append(row)
    return kept


def page_of(rows: list, page: int, size: int = PAGE_SIZE) -> tuple[list, int, int]:
    """Return (the rows of page `page`, the page shown, the number of pages); pages from 1."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return rows[(page - 1) * size : page * size], page, pages


def _sort_key(tree: m.Tree, key: str) -> Callable[[ProgressRow], Any]:
    nation_order = {nation: index for index, nation in enumerate(NATION_LABELS)}
    result_order = {result.id: index for index, result in enumerate(tree.results)}
    status_order = {status: index for index, status in enumerate(STATUSES)}
    keys: dict[str, Callable[[ProgressRow], Any]] = {
        "name": lambda row: row.team["name"].casefold(),
        "nation": lambda row: nation_order.get(row.team["nation"] or NOT_RECORDED, 99),
        "status": lambda row: (status_order[row.standing.status], row.standing.percent),
        "result": lambda row: result_order.get(row.latest_result, len(result_order)),
        "last_activity": lambda row: row.last_activity,
        "contributors": lambda row: row.contributors,
    }
    return keys[key]


def sort_rows(
    tree: m.Tree, rows: Iterable[ProgressRow], key: str = "name", descending: bool = False
) -> list[ProgressRow]:
    """Sort the rows by one of SORT_KEYS, ties broken by team name."""
    if key not in SORT_KEYS:
        key = "name"
    by_name = sorted(rows, key=_sort_key(tree, "name"))
    return sorted(by_name, key=_sort_key(tree, key), reverse=descending)
