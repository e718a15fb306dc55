"""What the national picture needs of each team, and the shape of the tree it counts against.

Pure Python. A `TeamFacts` is one team as the national picture counts it (its latest finished
audit, else its current one); a `Shape` is the part of the question tree the tables name
(results, descriptors, targeted reasons, the optional 2024 practices), kept with each release
so that a later tree never changes a published one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NATIONS = ("england", "scotland", "wales", "northern_ireland")
NOT_RECORDED = "not_recorded"
NATION_LABELS = {
    "england": "England",
    "scotland": "Scotland",
    "wales": "Wales",
    "northern_ireland": "Northern Ireland",
    NOT_RECORDED: "Nation not recorded",
}
FINISHED = "finished"
NOT_FINISHED = "not_finished"  # in progress or not started: the release does not tell them apart

SPECIALISED = "specialised"  # stable result ids (docs/decisions.md, decision 3)
TARGETED = "targeted"
NOT_YET_MEETING = "not_yet_meeting"

MET, PARTLY_MET, NOT_MET = "met", "partly_met", "not_met"
STATUSES = (MET, PARTLY_MET, NOT_MET)
STATUS_LABELS = {MET: "Met", PARTLY_MET: "Partly met", NOT_MET: "Not met"}

# The answers every optional practice question of the 2024 report offers (questions/).
ESTABLISHED, DEVELOPING, NOT_YET = "established", "developing", "not_yet"
PRACTICE_LEVELS = (ESTABLISHED, DEVELOPING, NOT_YET)
PRACTICE_LABELS = {ESTABLISHED: "Well established", DEVELOPING: "Developing", NOT_YET: "Not yet"}


@dataclass(frozen=True)
class TeamFacts:
    """One team as the national picture counts it.

    `result` is set only for a team whose counted audit is finished; `descriptors` maps each
    descriptor to met / partly_met / not_met and `flags` holds the targeted reasons found,
    both for a finished audit only, as does `practices` (each optional practice question
    answered, by id, to its level). `approved` is False for a sign-up awaiting approval.
    """

    team_id: int
    nation: str | None
    approved: bool = True
    status: str = NOT_FINISHED
    result: str | None = None
    flags: frozenset[str] = frozenset()
    descriptors: Mapping[str, str] = field(default_factory=dict)
    practices: Mapping[str, str] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.approved

    @property
    def finished(self) -> bool:
        return self.status == FINISHED and self.result is not None

    @property
    def nation_key(self) -> str:
        return self.nation if self.nation in NATIONS else NOT_RECORDED

    @property
    def category(self) -> str:
        return self.result if self.finished else NOT_FINISHED

    def fingerprint(self) -> str:
        """Return what a release counts of this team, as text: equal for an unchanged team."""
        if not self.finished:
            return f"{self.nation_key}|{NOT_FINISHED}"
        statuses = ",".join(f"{key}={value}" for key, value in sorted(self.descriptors.items()))
        found = f"{self.nation_key}|{self.result}|{','.join(sorted(self.flags))}|{statuses}"
        if self.practices:  # (releases before the 2024 block kept fingerprints without it)
            found += "|" + ",".join(f"{k}={v}" for k, v in sorted(self.practices.items()))
        return found


@dataclass(frozen=True)
class Shape:
    """The results, descriptors and targeted reasons a release counts, with their titles.

    `descriptors` holds (id, title, definitional); `flags` holds (id, title, descriptor id);
    `practices` (question id, question text) the optional practice questions of the 2024
    report, each answered with one of PRACTICE_LEVELS (none in releases made before them).
    """

    results: tuple[tuple[str, str], ...]
    descriptors: tuple[tuple[str, str, bool], ...]
    flags: tuple[tuple[str, str, str], ...]
    practices: tuple[tuple[str, str], ...] = ()

    @property
    def result_ids(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.results)

    @property
    def descriptor_ids(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.descriptors)

    @property
    def definitional(self) -> tuple[str, ...]:
        return tuple(key for key, _, definitional in self.descriptors if definitional)

    @property
    def flag_ids(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.flags)

    @property
    def practice_ids(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.practices)

    def titles(self) -> dict[str, str]:
        found = {key: title for key, title in self.results}
        found |= {key: title for key, title, _ in self.descriptors}
        found |= {key: title for key, title, _ in self.flags}
        found |= dict(self.practices)
        return found

    def data(self) -> dict[str, Any]:
        return {
            "results": [list(item) for item in self.results],
            "descriptors": [list(item) for item in self.descriptors],
            "flags": [list(item) for item in self.flags],
            "practices": [list(item) for item in self.practices],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Shape:
        return cls(
            results=tuple(tuple(item) for item in data["results"]),
            descriptors=tuple((key, title, bool(d)) for key, title, d in data["descriptors"]),
            flags=tuple(tuple(item) for item in data["flags"]),
            practices=tuple(tuple(item) for item in data.get("practices", ())),
        )

    @classmethod
    def of_tree(cls, tree: Any) -> Shape:
        """Return the shape of a question tree (`bot.tree.model.Tree`)."""
        definitional = set(tree.definitional_descriptors)
        return cls(
            results=tuple((result.id, result.title) for result in tree.results),
            descriptors=tuple(
                (descriptor.id, descriptor.title, descriptor.id in definitional)
                for descriptor in tree.descriptors
            ),
            flags=tuple((flag.id, flag.title, flag.descriptor) for flag in tree.flags),
            practices=tuple(
                (question.id, question.text)
                for question in tree.questions
                if tree.domains_by_id[question.domain].optional
                and set(question.option_values) == set(PRACTICE_LEVELS)
            ),
        )


def counted(teams: Iterable[TeamFacts]) -> list[TeamFacts]:
    """Return the teams the national picture counts: approved ones (archived never reach it)."""
    return [team for team in teams if team.counted]
