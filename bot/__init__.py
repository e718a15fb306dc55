"""The self-audit bot for specialised parent-infant relationship teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.config import PROJECT_ROOT, ConfigurationError

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["PROJECT_ROOT", "ConfigurationError", "create_app"]


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start if the question tree is broken.

    CSRF is checked by every FlaskForm rather than by a global CSRFProtect, so a page whose
    token expired is shown again with its message and the user's input, not a bare 400.
    """
    from flask import Flask

    from bot import config, logs, resources

    # The instance folder is Flask's own choice: `instance/` beside the package in a checkout,
    # `<venv>/var/bot-instance` for an installed wheel (as in Flask's tutorial).
    app = Flask(
        __name__,
        template_folder=str(resources.TEMPLATES),
        static_folder=str(resources.STATIC),
    )
    config.configure(app, overrides)
    config.make_instance_folder(app)
    logs.init_app(app)
    hops = app.config["PROXY_FIX"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from bot import assets, catalogues, db, db_commands, i18n, mail, site, storage_failure, trees
    from bot.audit import team_session
    from bot.audit import views as audit_views
    from bot.console import auth as console_auth
    from bot.console import commands as console_commands
    from bot.console import routes, signup  # noqa: F401 (routes: their import adds them)
    from bot.console import views as console_views

    trees.init_app(app)
    db_commands.init_app(app)  # before db.init_app creates a missing database
    db.init_app(app)
    storage_failure.init_app(app)
    if not storage_failure.read_only(app):
        trees.store_current_tree(app)
    translated = [i18n.BABEL_LOCALES[language] for language in i18n.LANGUAGES if language != "en"]
    catalogues.ensure_compiled(resources.TRANSLATIONS, translated)  # English is the source text
    i18n.init_app(app, str(resources.TRANSLATIONS))
    site.init_app(app)
    assets.init_app(app)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(team_session.bp)
    console_commands.init_app(app)
    console_auth.init_app(app)
    mail.init_app(app)
    app.register_blueprint(console_views.bp)
    app.register_blueprint(signup.bp)

    return app
