"""The key facts of a release, in sentences true of its published numbers and nothing else.

Pure Python. Each sentence is built from shown counts only: a hidden count is never used,
guessed or ranked, and a share is given only where both its count and the number of finished
teams are shown. The page and the report say the same sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.national.facts import ESTABLISHED, MET, NATION_LABELS, NATIONS, NOT_RECORDED
from bot.national.layout import ANSWERED, FINISHED_ROW, UK, join_names
from bot.national.release import Release

RESULT_PHRASES = {
    "specialised": "specialised parent-infant relationship teams",
    "targeted": "targeted parent-infant relationship teams",
    "not_yet_meeting": "not yet meeting the definition",
}


@dataclass(frozen=True)
class Fact:
    """One key fact: `kind` names what it states (the tests check each kind's numbers)."""

    kind: str
    text: str


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def key_facts(release: Release) -> list[Fact]:
    """Return the release's key facts, UK first."""
    shown = release.value
    facts = []
    teams = shown("teams", UK, "teams")
    by_nation = [
        f"{shown('teams', n, 'teams')} in {NATION_LABELS[n]}"
        for n in NATIONS
        if shown("teams", n, "teams")
    ]
    unrecorded = shown("teams", NOT_RECORDED, "teams")
    if unrecorded:
        by_nation.append(f"{unrecorded} with no nation recorded")
    teams_word = "team is" if teams == 1 else "teams are"
    where = f": {join_names(by_nation)}" if by_nation else ""
    facts.append(Fact("teams", f"{teams} {teams_word} taking part across the UK{where}."))
    finished = shown("results", FINISHED_ROW, UK)
    if finished is None:
        facts.append(
            Fact(
                "finished_hidden",
                "How many have finished their audit is hidden, so that small numbers "
                "cannot be worked out.",
            )
        )
        return facts
    facts.append(Fact("finished", f"{finished} of them have finished their audit."))
    if not finished:
        return facts
    for result, phrase in RESULT_PHRASES.items():
        count = shown("results", result, UK)
        if count is None:
            continue
        facts.append(
            Fact(
                f"result:{result}",
                f"{count} of the {finished} finished teams ({percent(count, finished)}%) "
                f"are {phrase}.",
            )
        )
    met = {
        key: shown("descriptors", key, MET)
        for key in release.layout.shape.definitional
        if shown("descriptors", key, MET) is not None
    }
    if met:
        titles = release.layout.shape.titles()
        most = max(met.values())
        least = min(met.values())
        partial = len(met) < len(release.layout.shape.definitional)
        among = " among those whose figures are shown" if partial else ""
        best = [titles[key] for key, count in met.items() if count == most]
        facts.append(
            Fact(
                "most_met",
                f"Most often met{among}: {join_names(best)}, met by {most} of the {finished} "
                f"finished teams ({percent(most, finished)}%).",
            )
        )
        if least < most:
            worst = [titles[key] for key, count in met.items() if count == least]
            facts.append(
                Fact(
                    "most_missed",
                    f"Most often not fully met{among}: {join_names(worst)}, met by {least} of "
                    f"the {finished} finished teams ({percent(least, finished)}%).",
                )
            )
    facts.extend(_practice_facts(release, finished))
    return facts


def _practice_facts(release: Release, finished: int) -> list[Fact]:
    """Say how many finished teams answered the optional 2024 questions and, among them, which
    practice is most often well established (from shown counts only)."""
    shape = release.layout.shape
    answered = release.value("practice_teams", ANSWERED, "teams") if shape.practices else None
    if not answered:
        return []
    facts = [
        Fact(
            "practices_answered",
            f"{answered} of the {finished} finished teams also answered the optional questions "
            f"from the 2024 report “Who is holding the baby?”.",
        )
    ]
    established = {
        key: release.value("practices", key, ESTABLISHED)
        for key in shape.practice_ids
        if release.value("practices", key, ESTABLISHED) is not None
    }
    if established and max(established.values()):
        most = max(established.values())
        titles = shape.titles()
        best = [f"“{titles[key]}”" for key, count in established.items() if count == most]
        among = (
            " among those whose figures are shown"
            if len(established) < len(shape.practices)
            else ""
        )
        facts.append(
            Fact(
                "practice_most_established",
                f"Of those {answered}, the question{'s' if len(best) > 1 else ''} most often "
                f"answered “well established”{among} {'were' if len(best) > 1 else 'was'} "
                f"{join_names(best)}: by {most} of them "
                f"({percent(most, answered)}%).",
            )
        )
    return facts


PROTECTION = (
    "So that no team can be picked out, a count of 1 or 2 teams is never shown. Further "
    "figures are hidden where a small count could otherwise be worked out from the others: "
    "from a row, a column or a total, from the definition's own rules, or by comparing this "
    "release with earlier ones. Every release was checked by solving for the smallest and "
    "largest value each hidden figure could take. A hidden figure is not necessarily small: "
    "some are hidden only to protect another."
)


def protection(release: Release) -> str:
    """Return the paragraph on how small numbers are protected, true of this release."""
    if not release.hidden:
        return PROTECTION + " Nothing needed hiding in this release."
    return PROTECTION + " Hidden figures are marked “hidden”."
