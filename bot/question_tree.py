"""Binds the question tree to the app: loaded and proved once per file content."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app

from bot.tree_loader import load_tree
from bot.tree_model import Tree

_proved: dict[tuple[str, str], Tree] = {}


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


def current_tree() -> Tree:
    return current_app.extensions["question_tree"]
