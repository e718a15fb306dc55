"""What a result page says about itself, so a printed or saved copy can be cited.

A printed page carries the team, the date the audit was finished, the version of the questions
and who contributed; its address carries no secret (see `team_session`), so the paper opens
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import store
from bot.audit.presenters import person
from bot.audit.state import AuditState
from bot.db import get_db
from bot.store import utc_now


@dataclass(frozen=True)
class AuditRecord:
    team: str
    finished: object
    tree_version: str
    contributors: list[str]
    printed: object


def audit_record(state: AuditState) -> AuditRecord:
    """Return the citation lines of the audit in `state`."""
    people = store.contributors(get_db(), state.audit["id"])
    return AuditRecord(
        team=state.team["name"],
        finished=state.audit.get("finished"),
        tree_version=str(state.audit.get("tree_version") or state.tree.version),
        contributors=[person(p["name"], p["role"]) for p in people if p.get("name")],
        printed=utc_now(),
    )
