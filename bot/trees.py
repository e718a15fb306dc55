"""Binds the question tree to the app: loaded and proved once per file content.

Every tree the app starts with is also stored in the database by its content hash, so an audit
stays pinned to the version it was answered on: a finished audit is always shown and scored as
it was, and an audit in progress moves to a newer version on its next visit.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from flask import Flask, current_app

from bot import store
from bot.tree.loader import load_tree, parse_tree
from bot.tree.model import Tree
from bot.tree.problems import TreeError

_proved: dict[tuple[str, str], Tree] = {}
_stored: dict[str, Tree] = {}
log = logging.getLogger(__name__)


def load_proved_tree(path: str | Path) -> Tree:
    """Load and prove the tree at `path`, reusing the proof while the file is unchanged."""
    resolved = Path(path).resolve()
    digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
    key = (str(resolved), digest)
    if key not in _proved:
        _proved[key] = load_tree(resolved)
    return _proved[key]


def init_app(app: Flask) -> None:
    app.extensions["question_tree"] = load_proved_tree(app.config["QUESTION_TREE"])


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


def tree_for_audit(db, audit: dict | None, current: Tree) -> Tree:
    """Return the tree to show and score an audit with: its own if finished, else the current."""
    if audit and audit["status"] == store.FINISHED:
        return tree_for_digest(db, audit["tree_digest"], current) or current
    return current
