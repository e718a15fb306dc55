"""The one place the national picture reads teams from the store: one `TeamFacts` each.

Each team not archived counts by its latest finished audit, else its current one (a re-audit
under way changes nothing); a sign-up awaiting approval is read but not counted.
"""

from __future__ import annotations

from bot.console.progress import progress_rows
from bot.national.facts import FINISHED, NOT_FINISHED, TeamFacts
from bot.tree.model import Tree


def team_facts(db, tree: Tree) -> list[TeamFacts]:
    """Return every team not archived as the national picture counts it."""
    facts = []
    for row in progress_rows(db):
        standing = row.counted
        finished = standing.status == FINISHED and bool(standing.result)
        facts.append(
            TeamFacts(
                team_id=row.team["id"],
                nation=row.team["nation"],
                approved=not row.team.get("pending"),
                status=FINISHED if finished else NOT_FINISHED,
                result=standing.result if finished else None,
                flags=frozenset(standing.flags) if finished else frozenset(),
                descriptors=dict(standing.descriptors) if finished else {},
                practices=dict(standing.optional_answers) if finished else {},
            )
        )
    return facts
