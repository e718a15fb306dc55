"""Where each team stands and the national picture, for the foundation's console.

Pure Python: no Flask and no database. The functions take the question tree and plain rows
(a team's audit status and its answers) and return values the console shows or exports.
Published counts follow the small-number rule of bot.console.disclosure: a count of 1 or 2 is
shown as "fewer than 3", and further cells are hidden so that none of those can be worked out
from a row, a column or a total (docs/decisions.md, decision 22).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.console.disclosure import (
    FEWER_THAN_3,
    HIDDEN,
    SMALL_NUMBER,
    Line,
    Published,
    publish,
    suppress,
)
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
TOTAL = "total"
# The result whose reasons are the tree's flags (docs/decisions.md, decision 3); ids are stable.
TARGETED = "targeted"

ALL_TEAMS = "all_teams"  # the results table's row of column totals


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


def counts_nationally(team: Mapping[str, Any]) -> bool:
    """True for a team the national picture counts: not archived, not awaiting approval."""
    return not team["archived"] and not team.get("pending")


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
    hidden_width: int  # the part of the bar standing for hidden counts


@dataclass(frozen=True)
class FlagCounts:
    flag: str
    targeted_teams: Published
    finished_teams: Published


@dataclass(frozen=True)
class NationalPicture:
    """Every figure of the national picture, each one as it may be published.

    `columns` are the nations shown as columns (three teams or more), then TOTAL;
    `small_nations` have one or two teams and no column of their own (their teams are in
    TOTAL), `empty_nations` none. Descriptor and flag figures are given only once three or
    more teams have finished (`finished_shown`).
    """

    teams: Published
    finished: Published
    categories: tuple[str, ...]
    columns: tuple[str, ...]
    small_nations: tuple[str, ...]
    empty_nations: tuple[str, ...]
    by_result: Mapping[str, Mapping[str, Published]]
    result_bars: tuple[Bar, ...]
    finished_shown: bool
    descriptors: tuple[DescriptorCounts, ...]
    most_missed: tuple[Bar, ...]
    missed_hidden: tuple[str, ...]
    none_missed: bool
    flags: tuple[FlagCounts, ...]

    @property
    def suppressed(self) -> set[str]:
        """Return which kinds of hidden cell the picture holds: FEWER_THAN_3, HIDDEN."""
        values = [value for row in self.by_result.values() for value in row.values()]
        values += [value for row in self.descriptors for value in row.counts.values()]
        values += [bar.count for bar in self.most_missed]
        values += [v for flag in self.flags for v in (flag.targeted_teams, flag.finished_teams)]
        values += [self.teams, self.finished]
        found = {value for value in values if value in (FEWER_THAN_3, HIDDEN)}
        return found | ({HIDDEN} if self.missed_hidden else set())


def result_categories(tree: m.Tree) -> tuple[str, ...]:
    """Return the rows of the results table: every result, then in progress, not started."""
    return (*(result.id for result in tree.results), IN_PROGRESS, NOT_STARTED)


def category(standing: Standing) -> str:
    """Return the results-table row a team falls in."""
    if standing.status == FINISHED and standing.result:
        return standing.result
    return IN_PROGRESS if standing.status != NOT_STARTED else NOT_STARTED


def _bars(
    keys: Iterable[str], counts: Mapping[str, int], published: Mapping[str, Published], whole
) -> tuple[tuple[Bar, ...], int]:
    """Return bars for shown counts only, and the width left for the hidden ones.

    `whole` is the published count the bars are shares of; no bars when it is hidden.
    """
    if not isinstance(whole, int) or whole == 0:
        return (), 0
    bars = []
    for key in keys:
        shown = published[key]
        width = round(100 * counts[key] / whole) if isinstance(shown, int) else 0
        bars.append(Bar(key, shown, width))
    hidden = any(not isinstance(bar.count, int) for bar in bars)
    return tuple(bars), max(0, 100 - sum(bar.width for bar in bars)) if hidden else 0


@dataclass(frozen=True)
class Tally:
    """The raw counts the national picture is made from, before anything is published.

    `teams` counts teams by (results-table row, nation column); the rest count finished
    teams (those with a result): by (descriptor, status), and per flag those with it and
    the targeted ones with it. Made by `tally` from standings.
    """

    teams: Mapping[tuple[str, str], int]
    finished: int
    descriptors: Mapping[tuple[str, str], int]
    flagged: Mapping[str, int]
    flagged_targeted: Mapping[str, int]


def nation_column(nation: str | None) -> str:
    """Return the results-table column a team's nation falls in."""
    return nation if nation in NATIONS else NOT_RECORDED


def tally(teams: Iterable[tuple[str | None, Standing]]) -> Tally:
    """Count (nation, standing) pairs, one per team counted nationally."""
    by_row: dict[tuple[str, str], int] = {}
    descriptors: dict[tuple[str, str], int] = {}
    flagged: dict[str, int] = {}
    flagged_targeted: dict[str, int] = {}
    finished = 0
    for nation, standing in teams:
        key = (category(standing), nation_column(nation))
        by_row[key] = by_row.get(key, 0) + 1
        if standing.status != FINISHED or not standing.result:
            continue
        finished += 1
        for pair in standing.descriptors.items():
            descriptors[pair] = descriptors.get(pair, 0) + 1
        for flag in set(standing.flags):
            flagged[flag] = flagged.get(flag, 0) + 1
            if standing.result == TARGETED:
                flagged_targeted[flag] = flagged_targeted.get(flag, 0) + 1
    return Tally(by_row, finished, descriptors, flagged, flagged_targeted)


def _results_table(categories, nations, counted: Tally) -> tuple[dict, list[Line]]:
    """Return the results table's counts, keyed ("result", row, column), and its lines."""
    counts = {
        ("result", row, column): 0
        for row in (*categories, ALL_TEAMS)
        for column in (*nations, TOTAL)
    }
    for (row_key, column), number in counted.teams.items():
        for row in (row_key, ALL_TEAMS):
            counts["result", row, column] += number
            counts["result", row, TOTAL] += number
    lines = [
        Line(tuple(("result", row, column) for column in nations), ("result", row, TOTAL))
        for row in (*categories, ALL_TEAMS)
    ] + [
        Line(tuple(("result", row, column) for row in categories), ("result", ALL_TEAMS, column))
        for column in (*nations, TOTAL)
    ]
    return counts, lines


def national_picture(
    tree: m.Tree, teams: Iterable[tuple[str | None, Standing]], *, most_missed: int = 5
) -> NationalPicture:
    """Count results by nation and descriptor statuses among finished teams, all published.

    `teams` holds (nation, standing) for each team counted. Every figure passes through
    `disclosure.suppress` as one table, so the results table, the finished count and the
    descriptor counts are checked together; bar widths come from shown counts only.
    """
    counted = tally(teams)
    categories = result_categories(tree)
    present = {column for (_, column), number in counted.teams.items() if number}
    nations = (*NATIONS, *((NOT_RECORDED,) if NOT_RECORDED in present else ()))
    counts, lines = _results_table(categories, nations, counted)
    per_nation = {nation: counts["result", ALL_TEAMS, nation] for nation in nations}
    small = tuple(nation for nation in nations if 0 < per_nation[nation] < SMALL_NUMBER)
    empty = tuple(nation for nation in nations if per_nation[nation] == 0)
    folded = {("result", row, nation) for row in categories for nation in small}

    finished_key = ("finished",)
    counts[finished_key] = counted.finished
    results = tuple(result.id for result in tree.results)
    lines.append(Line(tuple(("result", row, TOTAL) for row in results), finished_key))
    finished_shown = counted.finished >= SMALL_NUMBER
    definitional = set(tree.definitional_descriptors)
    if finished_shown:
        for descriptor in tree.descriptors:
            statuses = tuple(("descriptor", descriptor.id, status) for status in m.STATUSES)
            for key in statuses:
                counts[key] = counted.descriptors.get(key[1:], 0)
            lines.append(Line(statuses, finished_key))
            if descriptor.id in definitional:
                missed = tuple(key for key in statuses if key[2] != m.MET)
                counts["missed", descriptor.id] = sum(counts[key] for key in missed)
                lines.append(Line(missed, ("missed", descriptor.id)))
    # Which nations have no team, or fewer than 3, is said in words: those counts stay shown.
    stated = {("result", ALL_TEAMS, nation) for nation in (*small, *empty)}
    stated |= {("result", row, nation) for row in categories for nation in empty}
    published = suppress(counts, lines, hidden=folded, fixed=stated)

    columns = (*(n for n in nations if n not in small and n not in empty), TOTAL)
    by_result = {
        row: {column: published["result", row, column] for column in columns}
        for row in (*categories, ALL_TEAMS)
    }
    teams_published = published["result", ALL_TEAMS, TOTAL]
    result_bars, _ = _bars(
        categories,
        {row: counts["result", row, TOTAL] for row in categories},
        {row: published["result", row, TOTAL] for row in categories},
        teams_published,
    )
    finished_published = published[finished_key]
    descriptors, missed_shown, missed_hidden, flags = [], [], [], ()
    if finished_shown:
        for descriptor in tree.descriptors:
            keys = {status: ("descriptor", descriptor.id, status) for status in m.STATUSES}
            row_counts = {status: counts[key] for status, key in keys.items()}
            row_published = {status: published[key] for status, key in keys.items()}
            bars, hidden = _bars(m.STATUSES, row_counts, row_published, finished_published)
            descriptors.append(
                DescriptorCounts(
                    descriptor.id, descriptor.id in definitional, row_published, bars, hidden
                )
            )
            if descriptor.id in definitional:
                shown = published["missed", descriptor.id]
                if not isinstance(shown, int):
                    missed_hidden.append(descriptor.id)
                elif shown:
                    missed_shown.append(descriptor.id)
        flags = tuple(
            FlagCounts(
                flag.id,
                publish(counted.flagged_targeted.get(flag.id, 0)),
                publish(counted.flagged.get(flag.id, 0)),
            )
            for flag in tree.flags
        )
    # Ranked by shown counts only: ranking hidden ones would tell which is larger.
    ranked = sorted(missed_shown, key=lambda key: -counts["missed", key])[:most_missed]
    missed_bars, _ = _bars(
        ranked,
        {key: counts["missed", key] for key in ranked},
        {key: published["missed", key] for key in ranked},
        finished_published,
    )
    return NationalPicture(
        teams=teams_published,
        finished=finished_published,
        categories=categories,
        columns=columns,
        small_nations=small,
        empty_nations=empty,
        by_result=by_result,
        result_bars=result_bars,
        finished_shown=finished_shown,
        descriptors=tuple(descriptors),
        most_missed=missed_bars,
        missed_hidden=tuple(missed_hidden),
        none_missed=finished_shown and not missed_shown and not missed_hidden,
        flags=flags,
    )


def picture_records(tree: m.Tree, picture: NationalPicture) -> Iterator[dict[str, Any]]:
    """Yield every figure of the picture as {table, row, column, count}, as published.

    The national figures export: the same suppression as the page, hidden counts given by
    their label ("fewer than 3", "hidden"), labels in English beside the stable ids.
    """
    results = {result.id: result.title for result in tree.results}

    def label(key: str) -> str:
        return results.get(key) or STATUS_LABELS.get(key) or "All teams"

    def record(table, row, row_label, column, column_label, value):
        return {
            "table": table,
            "row": row,
            "row_label": row_label,
            "column": column,
            "column_label": column_label,
            "count": COUNT_LABELS.get(value, value),
        }

    for row, cells in picture.by_result.items():
        for column, value in cells.items():
            column_label = "All nations" if column == TOTAL else NATION_LABELS[column]
            yield record("results", row, label(row), column, column_label, value)
    for nation in picture.small_nations:
        yield record("results", ALL_TEAMS, "All teams", nation, NATION_LABELS[nation], FEWER_THAN_3)
    for nation in picture.empty_nations:
        yield record("results", ALL_TEAMS, "All teams", nation, NATION_LABELS[nation], 0)
    yield record("finished", "finished", "Finished audits", TOTAL, "All nations", picture.finished)
    titles = {descriptor.id: descriptor.title for descriptor in tree.descriptors}
    for row in picture.descriptors:
        for status, value in row.counts.items():
            yield record(
                "descriptors",
                row.descriptor,
                titles[row.descriptor],
                status,
                DESCRIPTOR_STATUS_LABELS[status],
                value,
            )
    for bar in picture.most_missed:
        yield record(
            "most_missed", bar.key, titles[bar.key], "missed", "Teams missing it", bar.count
        )
    for descriptor_id in picture.missed_hidden:
        yield record(
            "most_missed",
            descriptor_id,
            titles[descriptor_id],
            "missed",
            "Teams missing it",
            HIDDEN,
        )
    flag_titles = {flag.id: flag.title for flag in tree.flags}
    for flag in picture.flags:
        yield record(
            "targeted_reasons",
            flag.flag,
            flag_titles[flag.flag],
            "targeted_teams",
            "Targeted teams",
            flag.targeted_teams,
        )
        yield record(
            "targeted_reasons",
            flag.flag,
            flag_titles[flag.flag],
            "finished_teams",
            "All finished teams",
            flag.finished_teams,
        )


COUNT_LABELS = {FEWER_THAN_3: "fewer than 3", HIDDEN: "hidden"}
DESCRIPTOR_STATUS_LABELS = {m.MET: "Met", m.PARTLY_MET: "Partly met", m.NOT_MET: "Not met"}
PICTURE_COLUMNS = ["table", "row", "row_label", "column", "column_label", "count"]
