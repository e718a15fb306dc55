"""Team standings, their facts and page readers for the national picture's tests."""

from __future__ import annotations

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
