"""Binds the question tree to the app: loaded and proved once, at start-up."""

from __future__ import annotations

from flask import Flask, current_app

from bot.tree_loader import load_tree
from bot.tree_model import Tree


def init_app(app: Flask) -> None:
    app.extensions["question_tree"] = load_tree(app.config["QUESTION_TREE"])


def current_tree() -> Tree:
    return current_app.extensions["question_tree"]
