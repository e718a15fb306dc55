"""The national picture's releases: kept once published, never changed."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import one, parse_time, select, stamp


def _release_row(row: dict) -> dict[str, Any]:
    return {
        "id": row["id"],
        "published_on": row["published_on"],
        "published": parse_time(row["published"]),
        "admin_id": row["admin_id"],
        "data": json.loads(row["data"]),
    }


def national_releases(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Return every release, oldest first, each with its data decoded."""
    return [_release_row(row) for row in select(db, "SELECT * FROM national_releases ORDER BY id")]


def national_release(db: sqlite_utils.Database, release_id: int) -> dict[str, Any] | None:
    row = one(db, "SELECT * FROM national_releases WHERE id = ?", [release_id])
    return None if row is None else _release_row(row)


def keep_national_release(
    db: sqlite_utils.Database,
    data: dict[str, Any],
    *,
    admin_id: int | None,
    after: int | None,
) -> int | None:
    """Keep a release made after release `after` (None: the first); its id, or None if
    another release was kept in the meantime (the new one was not audited against it)."""
    with write_transaction(db):
        latest = one(db, "SELECT max(id) AS id FROM national_releases", [])["id"]
        if latest != after:
            return None
        return (
            db.table("national_releases")
            .insert(
                {
                    "published_on": data["published_on"],
                    "published": stamp(),
                    "admin_id": admin_id,
                    "data": json.dumps(data, separators=(",", ":")),
                }
            )
            .last_pk
        )
