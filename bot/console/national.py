"""Where each team stands and the national picture, for the foundation's console.

Pure Python: no Flask and no database. The functions take the question tree and plain rows
(a team's audit status and its answers) and return values the console shows or exports.
Published counts follow the small-number rule: a count of 1 or 2 is shown as "fewer than
3" so that no single team can be picked out of a breakdown; 0 is shown as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.tree import model as m
from bot.tree.assessment import FINISHED, IN_PROGRESS, NOT_STARTED, Assessment


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
TOTAL = "total"
# The result whose reasons are the tree's flags (docs/decisions.md, decision 3); ids are stable.
TARGETED = "targeted"

SMALL_NUMBER = 3
FEWER_THAN_3 = "fewer_than_3"
Published = int | str  # a count, or FEWER_THAN_3


def publish(count: int) -> Published:
    """Return the count as it may be published: 1 and 2 become FEWER_THAN_3."""
    return count if count == 0 or count >= SMALL_NUMBER else FEWER_THAN_3


# -- one audit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where one team's current audit stands: status, progress, result and statuses."""

    status: str
    answered: int = 0
    total: int = 0
    result: str | None = None
    descriptors: Mapping[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    path: tuple[str, ...] = ()

    @classmethod
    def of(cls, assessment: Assessment) -> Standing:
        """Return the standing an assessment gives: a result only for a finished audit."""
        if assessment.status == NOT_STARTED:
            return cls(NOT_STARTED)
        evaluation = assessment.evaluation
        return cls(
            status=assessment.status,
            answered=evaluation.journey.answered,
            total=evaluation.journey.estimated_total,
            result=assessment.result,
            descriptors={key: outcome.status for key, outcome in evaluation.descriptors.items()},
            flags=evaluation.flags,
            path=evaluation.journey.path,
        )

    @property
    def percent(self) -> int:
        """Return the share of the current path answered, 0 to 100."""
        if self.status == FINISHED:
            return 100
        return round(100 * self.answered / self.total) if self.total else 0


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


SORT_KEYS = ("name", "nation", "status", "result", "last_activity", "contributors")


def filter_rows(
    rows: Iterable[ProgressRow], *, nation: str | None = None, status: str | None = None
) -> list[ProgressRow]:
    """Keep the rows of one nation (NOT_RECORDED for none) and one status, when given."""
    kept = []
    for row in rows:
        if nation and (row.team["nation"] or NOT_RECORDED) != nation:
            continue
        if status and row.standing.status != status:
            continue
        kept.append(row)
    return kept


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


# -- the national picture -------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """A published count with the width of its bar, in percent of the whole."""

    key: str
    count: Published
    width: int


@dataclass(frozen=True)
class DescriptorCounts:
    """How many finished teams meet, partly meet and do not meet one descriptor."""

    descriptor: str
    definitional: bool
    counts: Mapping[str, Published]
    bars: tuple[Bar, ...]
    hidden_width: int  # the part of the bar standing for counts shown as "fewer than 3"


@dataclass(frozen=True)
class FlagCounts:
    flag: str
    targeted_teams: Published
    finished_teams: Published


@dataclass(frozen=True)
class NationalPicture:
    teams: Published
    finished: Published
    categories: tuple[str, ...]
    columns: tuple[str, ...]
    by_result: Mapping[str, Mapping[str, Published]]
    result_bars: tuple[Bar, ...]
    descriptors: tuple[DescriptorCounts, ...]
    most_missed: tuple[Bar, ...]
    flags: tuple[FlagCounts, ...]


def result_categories(tree: m.Tree) -> tuple[str, ...]:
    """Return the rows of the results table: every result, then in progress, not started."""
    return (*(result.id for result in tree.results), IN_PROGRESS, NOT_STARTED)


def category(standing: Standing) -> str:
    """Return the results-table row a team falls in."""
    if standing.status == FINISHED and standing.result:
        return standing.result
    return IN_PROGRESS if standing.status != NOT_STARTED else NOT_STARTED


def _bars(counts: Mapping[str, int], whole: int) -> tuple[tuple[Bar, ...], int]:
    """Return bars for published counts only, and the width left for suppressed ones."""
    if publish(whole) == FEWER_THAN_3 or whole == 0:
        return (), 0
    bars = []
    for key, count in counts.items():
        shown = publish(count)
        width = round(100 * count / whole) if shown != FEWER_THAN_3 else 0
        bars.append(Bar(key, shown, width))
    suppressed = any(bar.count == FEWER_THAN_3 for bar in bars)
    hidden = max(0, 100 - sum(bar.width for bar in bars)) if suppressed else 0
    return tuple(bars), hidden


def national_picture(
    tree: m.Tree, teams: Iterable[tuple[str | None, Standing]], *, most_missed: int = 5
) -> NationalPicture:
    """Count results by nation and descriptor statuses among finished teams, all published.

    `teams` holds (nation, standing) for each team counted. Every number in the answer has
    passed through `publish`; widths of bars are computed from published numbers only.
    """
    teams = list(teams)
    categories = result_categories(tree)
    present = {nation or NOT_RECORDED for nation, _ in teams}
    columns = (*NATIONS, *((NOT_RECORDED,) if NOT_RECORDED in present else ()), TOTAL)
    raw = {row: dict.fromkeys(columns, 0) for row in categories}
    for nation, standing in teams:
        row = raw[category(standing)]
        row[nation if nation in NATIONS else NOT_RECORDED] += 1
        row[TOTAL] += 1
    by_result = {
        row: {column: publish(count) for column, count in cells.items()}
        for row, cells in raw.items()
    }
    result_bars, _ = _bars({row: raw[row][TOTAL] for row in categories}, len(teams))

    finished = [
        standing for _, standing in teams if standing.status == FINISHED and standing.result
    ]
    definitional = set(tree.definitional_descriptors)
    descriptors = []
    missed: dict[str, int] = {}
    for descriptor in tree.descriptors:
        counts = {status: 0 for status in m.STATUSES}
        for standing in finished:
            status = standing.descriptors.get(descriptor.id)
            if status in counts:
                counts[status] += 1
        bars, hidden = _bars(counts, len(finished))
        descriptors.append(
            DescriptorCounts(
                descriptor.id,
                descriptor.id in definitional,
                {status: publish(count) for status, count in counts.items()},
                bars,
                hidden,
            )
        )
        if descriptor.id in definitional:
            missed[descriptor.id] = sum(
                1 for standing in finished if standing.descriptors.get(descriptor.id) != m.MET
            )
    ranked = sorted(
        (descriptor_id for descriptor_id, count in missed.items() if count),
        key=lambda descriptor_id: -missed[descriptor_id],
    )[:most_missed]
    missed_bars, _ = _bars({key: missed[key] for key in ranked}, len(finished))

    flags = tuple(
        FlagCounts(
            flag.id,
            publish(sum(1 for s in finished if s.result == TARGETED and flag.id in s.flags)),
            publish(sum(1 for s in finished if flag.id in s.flags)),
        )
        for flag in tree.flags
    )
    return NationalPicture(
        teams=publish(len(teams)),
        finished=publish(len(finished)),
        categories=categories,
        columns=columns,
        by_result=by_result,
        result_bars=result_bars,
        descriptors=tuple(descriptors),
        most_missed=missed_bars,
        flags=flags,
    )
