"""Versions of the question tree: each stored by content hash, and audits moved between them."""

from __future__ import annotations

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import IN_PROGRESS, one, stamp, typed_row
from bot.store.team import keep_standing
from bot.tree.model import Tree


def save_tree(
    db: sqlite_utils.Database, digest: str, tree_id: str, version: str, content: str
) -> None:
    """Store a tree's YAML by its content hash, once."""
    with write_transaction(db):
        db.table("trees").insert(
            {
                "digest": digest,
                "tree_id": tree_id,
                "version": str(version),
                "content": content,
                "stored": stamp(),
            },
            ignore=True,
        )


def tree_content(db: sqlite_utils.Database, digest: str) -> str | None:
    """Return the YAML of the tree with this content hash, or None."""
    row = one(db, "SELECT content FROM trees WHERE digest = ?", [digest])
    return row["content"] if row else None


def tree_stored(db: sqlite_utils.Database, digest: str) -> str | None:
    """Return when the tree with this content hash was first stored, or None."""
    row = one(db, "SELECT stored FROM trees WHERE digest = ?", [digest])
    return row["stored"] if row else None


def move_audit_to_tree(
    db: sqlite_utils.Database,
    audit_id: int,
    tree: Tree,
    *,
    from_digest: str,
    new_questions: int,
    asked_again: int,
    removed: int,
) -> bool:
    """Pin an in-progress audit to a newer tree and log what changed; False if already moved.

    The audit's standing is worked out with the new tree in the same transaction.
    """
    to_digest, to_version = tree.digest, str(tree.version)
    now = stamp()
    with write_transaction(db):
        audit = one(
            db, "SELECT tree_digest, tree_version, status FROM audits WHERE id = ?", [audit_id]
        )
        if audit is None or audit["tree_digest"] != from_digest or audit["status"] != IN_PROGRESS:
            return False
        db.table("audits").update(audit_id, {"tree_digest": to_digest, "tree_version": to_version})
        db.table("audit_tree_moves").insert(
            {
                "audit_id": audit_id,
                "from_digest": from_digest,
                "from_version": audit["tree_version"],
                "to_digest": to_digest,
                "to_version": to_version,
                "new_questions": new_questions,
                "asked_again": asked_again,
                "removed": removed,
                "moved": now,
            }
        )
        keep_standing(db, audit_id, tree)
    return True


def last_tree_move(db: sqlite_utils.Database, audit_id: int) -> dict | None:
    """Return the latest move of this audit to a newer tree, or None."""
    return typed_row(
        one(
            db,
            "SELECT * FROM audit_tree_moves WHERE audit_id = ? ORDER BY id DESC LIMIT 1",
            [audit_id],
        )
    )
