"""The self-audit bot for specialised parent-infant relationship teams."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


WEAK_SECRET_KEYS = {"dev", "development", "secret", "changeme", "change-me", "test", "x"}


class ConfigurationError(RuntimeError):
    """The app is not configured safely enough to start."""


def _secret_key_from_file(path: Path) -> str:
    """Read the secret key file, creating it with a random key on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _check_secret_key(app: Flask) -> None:
    """Refuse to run outside debug or test mode without a real secret key.

    The key comes from AUDIT_SECRET_KEY, or from the file named by AUDIT_SECRET_KEY_FILE
    (created with a random key if missing; `make run` uses instance/secret_key).
    """
    if not app.config.get("SECRET_KEY") and app.config.get("SECRET_KEY_FILE"):
        app.config["SECRET_KEY"] = _secret_key_from_file(Path(app.config["SECRET_KEY_FILE"]))
    key = app.config.get("SECRET_KEY") or ""
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = key or secrets.token_hex(32)
        return
    if len(key) < 32 or key.lower() in WEAK_SECRET_KEYS:
        raise ConfigurationError(
            "Set a real secret key before starting: AUDIT_SECRET_KEY (32 or more random "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`) "
            "or AUDIT_SECRET_KEY_FILE pointing at a file to keep one in."
        )


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
    _check_secret_key(app)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from bot import db, i18n, site, throttle, trees
    from bot.audit import views as audit_views
    from bot.console import auth as console_auth
    from bot.console import commands as console_commands
    from bot.console import signup, standings
    from bot.console import views as console_views

    trees.init_app(app)
    db.init_app(app)
    trees.store_current_tree(app)
    i18n.init_app(app, str(PROJECT_ROOT / "translations"))
    throttle.init_app(app)
    site.init_app(app)
    app.register_blueprint(audit_views.bp)
    console_commands.init_app(app)
    console_auth.init_app(app)
    standings.init_app(app)
    app.register_blueprint(console_views.bp)
    app.register_blueprint(signup.bp)

    return app
