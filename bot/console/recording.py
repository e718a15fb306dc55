"""Record console actions (who, when, what): `recorded` makes an action and its record one
transaction, so an action that fails records nothing and nothing changed goes unrecorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g

from bot import store
from bot.db import get_db
from bot.store import accounts


def record(action: str, *, team_id: int | None = None, detail: str = "") -> None:
    """Record an action of the signed-in admin."""
    accounts.record_action(get_db(), g.get("admin"), action, team_id=team_id, detail=detail)


@contextmanager
def recorded(action: str, *, team_id: int | None = None, detail: str = "") -> Iterator[None]:
    """Do the block and record it, in one transaction."""
    with store.write_transaction(get_db()):
        yield
        record(action, team_id=team_id, detail=detail)
