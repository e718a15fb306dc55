"""Team standings, their facts and page readers for the national picture's tests."""

from __future__ import annotations

import random
import re

from bot.console import national
from bot.console.national import FINISHED
from bot.national.facts import Shape, TeamFacts
from bot.tree.assessment import Standing, assess
from tests.conftest import question_tree
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()
BY_NAME = {profile.name: profile for profile in PROFILES}
BOTH_FLAGS = BY_NAME["both targeted flags"].answers
NO_LEAD = BY_NAME["no consultant lead or oversight"].answers
HALF_DONE = dict(list(SPECIALISED.items())[:10])


def standing_for(audit_status, answers):
    audit = None if audit_status is None else {"status": audit_status}
    return national.Standing.of(assess(TREE, audit, answers))


def finished(answers):
    return standing_for(FINISHED, answers)


def table_cell(html, table, row, column):
    """Return a figure of a national page's table as shown: a count, or "hidden"."""
    body = re.search(rf'id="table-{table}">.*?</table>', html, re.S).group(0)
    line = re.search(rf'<tr data-row="{row}">.*?</tr>', body, re.S).group(0)
    found = re.search(rf'data-column="{column}">(.*?)</td>', line, re.S).group(1)
    return re.sub(r"<[^>]+>", "", found).strip()


def facts_of(html):
    return [
        re.sub(r"<[^>]+>", "", item)
        for item in re.findall(r'<li data-fact="[^"]+">(.*?)</li>', html, re.S)
    ]


SHAPE = Shape.of_tree(TREE)
SCORED = [Standing.of(assess(TREE, {"status": FINISHED}, p.answers)) for p in PROFILES]


def finished_team(
    team_id: int, nation: str | None, standing: Standing, practices: dict | None = None
) -> TeamFacts:
    """A finished team as the console counts it; `practices` in place of its profile's
    answers to the optional 2024 questions ({} for a team that skipped them)."""
    return TeamFacts(
        team_id,
        nation,
        status=FINISHED,
        result=standing.result,
        flags=frozenset(standing.flags),
        descriptors=dict(standing.descriptors),
        practices=dict(standing.optional_answers if practices is None else practices),
    )


# The optional 2024 questions, as the tree words them: every option is one of these levels.
LEVELS = ["established", "developing", "not_yet"]
PRACTICES = [
    q.id
    for q in TREE.questions
    if TREE.domains_by_id[q.domain].optional and sorted(q.option_values) == sorted(LEVELS)
]
PRACTICE_TEXT = {q.id: q.text for q in TREE.questions if q.id in PRACTICES}


def some_practices(pick: random.Random) -> dict[str, str]:
    """A finished team's answers to the optional questions: skipped by some teams."""
    if pick.random() < 0.4:
        return {}
    return {practice: pick.choice(LEVELS) for practice in PRACTICES}


def scenario(count: int, skewed: bool) -> list[list[TeamFacts]]:
    """Return the teams of three releases in a row: teams finish, are approved and start or
    finish re-audits in between."""
    pick = random.Random(count * 7 + skewed)
    teams: dict[int, TeamFacts] = {}
    for number in range(count):
        if skewed:
            nation = ["scotland", "wales", "northern_ireland"][number % 3] if number < 5 else None
            nation = nation or "england"
        else:
            nation = pick.choice(["england", "scotland", "wales", "northern_ireland", None])
        if pick.random() < 0.6:
            teams[number] = finished_team(number, nation, pick.choice(SCORED), some_practices(pick))
        else:
            teams[number] = TeamFacts(number, nation)
    teams[900] = TeamFacts(900, "wales", approved=False)  # a sign-up awaiting approval
    rounds = [list(teams.values())]
    for step in (1, 2):
        unfinished = [n for n, team in teams.items() if not team.finished and team.approved]
        for number in unfinished[: max(1, count // 10)]:  # teams finishing
            teams[number] = finished_team(
                number, teams[number].nation, pick.choice(SCORED), some_practices(pick)
            )
        pending = [n for n, team in teams.items() if not team.approved]
        for number in pending:  # approved
            teams[number] = TeamFacts(number, teams[number].nation)
        teams[900 + step] = TeamFacts(900 + step, "england", approved=False)
        done = [n for n, team in teams.items() if team.finished]
        if done and step == 2:  # a re-audit started at step 1 finishes with a new result
            number = pick.choice(done)
            teams[number] = finished_team(
                number, teams[number].nation, pick.choice(SCORED), some_practices(pick)
            )
        # A re-audit only started changes nothing counted: the latest finished audit counts.
        rounds.append(list(teams.values()))
    return rounds


#: The attack test's team counts, and whether the teams crowd into one nation.
CASES = [(1, False), (2, False), (3, False), (4, False), (40, False), (60, False), (40, True)]
