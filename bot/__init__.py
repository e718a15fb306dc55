"""The self-audit bot for specialised parent-infant relationship teams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start if the question tree is broken."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(
        QUESTION_TREE=str(PROJECT_ROOT / "questions" / "self-audit.yaml"),
    )
    app.config.from_prefixed_env("AUDIT")
    if config:
        app.config.from_mapping(config)

    from bot import question_tree

    question_tree.init_app(app)
    return app
