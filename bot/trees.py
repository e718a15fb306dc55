"""Binds the question tree to the app: read and validated at start.

`flask tree check` proves the tree (every path ends with a classification; about 1.5 s), and
`make run`, CI and the deploy steps run it before the app starts; the app itself reads and
validates the tree (about 0.1 s), so a broken tree still stops start-up with file, line and id.

Every tree the app starts with is also stored in the database by its content hash, so an audit
stays pinned to the version it was answered on: a finished audit is always shown and scored as
it was, and an audit in progress moves to a newer version on its next visit, never to an older
one (during a rolling deploy two app versions serve the same database).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from flask import Flask, current_app

from bot import store
from bot.tree.loader import parse_tree, read_tree
from bot.tree.model import Tree
from bot.tree.problems import TreeError

#: Trees read back from the database, by content hash: parsing one takes 0.1 to 0.2 s, which
#: every request on an audit answered under an older version would otherwise pay.
_stored: dict[str, Tree] = {}
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.extensions["question_tree"] = read_tree(app.config["QUESTION_TREE"])


def store_current_tree(app: Flask) -> None:
    """Keep the current tree's YAML in the database, once per version of its content."""
    tree = app.extensions["question_tree"]
    content = Path(app.config["QUESTION_TREE"]).read_text(encoding="utf-8")
    db = store.connect(app.config["DB"])
    try:
        store.save_tree(db, tree.digest, tree.id, tree.version, content)
    finally:
        db.conn.close()


def current_tree() -> Tree:
    return current_app.extensions["question_tree"]


def tree_for_digest(db, digest: str, current: Tree) -> Tree | None:
    """Return the tree with this content hash: the current one, or one stored earlier."""
    if digest == current.digest:
        return current
    if digest not in _stored:
        content = store.tree_content(db, digest)
        if content is None:
            return None
        try:
            _stored[digest] = parse_tree(content, f"<stored tree {digest[:12]}>")
        except TreeError:
            log.exception("A stored question tree (%s) no longer loads", digest[:12])
            return None
    return _stored[digest]


def version_key(version: str) -> tuple:
    """Order version labels naturally: "2026.10" after "2026.9", "2" after "1b"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-_ ]+", str(version))
    )


def is_newer(db, tree: Tree, audit: dict) -> bool:
    """True if `tree` is newer than the one the audit is on (so the audit may move to it).

    By version label; for two contents under one label, the one this database saw later.
    """
    if tree.digest == audit["tree_digest"]:
        return False
    ours, theirs = version_key(tree.version), version_key(audit["tree_version"])
    if ours != theirs:
        return ours > theirs
    seen_ours = store.tree_stored(db, tree.digest)
    seen_theirs = store.tree_stored(db, audit["tree_digest"])
    return seen_theirs is None or (seen_ours is not None and seen_ours > seen_theirs)


def tree_for_audit(db, audit: dict, current: Tree) -> Tree:
    """Return the tree to show and score an audit with: the one it is on.

    An audit stays on its tree until the team's next visit moves one in progress to a newer
    tree (`audit.state.load_state`); a finished audit never moves. The current tree stands in
    for a tree that was never stored.
    """
    return tree_for_digest(db, audit["tree_digest"], current) or current
