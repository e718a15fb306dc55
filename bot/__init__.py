"""The self-audit bot for specialised parent-infant relationship teams."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_secret_key(instance: Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first run."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start if the question tree is broken.

    CSRF is checked by every FlaskForm rather than by a global CSRFProtect, so a page whose
    token expired is shown again with its message and the user's input, not a bare 400.
    """
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(
        QUESTION_TREE=str(PROJECT_ROOT / "questions" / "self-audit.yaml"),
        DB=str(Path(app.instance_path) / "audit.db"),
        PUBLIC_URL="http://127.0.0.1:5000",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=256 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.from_prefixed_env("AUDIT")
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    from bot import audit_views, db, i18n, question_tree, site_views, team_cli

    question_tree.init_app(app)
    db.init_app(app)
    i18n.init_app(app, str(PROJECT_ROOT / "translations"))
    site_views.init_app(app)
    app.register_blueprint(audit_views.bp)
    team_cli.init_app(app)
    return app
