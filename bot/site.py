"""Pages outside any audit: home, language switch, error pages, response headers."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
)
from flask_wtf import FlaskForm
from markupsafe import Markup

from bot import storage_failure
from bot.db import forget_after_failure
from bot.i18n import LANGUAGES, current_language

bp = Blueprint("site", __name__)


@bp.route("/")
def home():
    return render_template("home.html")


#: The pages any public service owes its users, each linked from every page's footer.
TRUST_PAGES = ("privacy", "accessibility", "contact")


def own_wording(page: str) -> Markup | None:
    """The deploying organisation's own text for `page` in the user's language, if it has one.

    The files in AUDIT_TRUST_PAGES_DIR are written by whoever runs the service (as trusted as
    the templates), so they are shown as HTML: `privacy.cy.html` replaces the Welsh notice.
    """
    folder = current_app.config.get("TRUST_PAGES_DIR")
    if not folder:
        return None
    path = Path(folder) / f"{page}.{current_language()}.html"
    return Markup(path.read_text(encoding="utf-8")) if path.is_file() else None


def trust_page(page: str):
    config = current_app.config
    return render_template(
        f"trust/{page}.html",
        own_wording=own_wording(page),
        organisation=config["ORGANISATION"],
        contact_email=config.get("CONTACT_EMAIL") or "",
        retention_years=config.get("RETENTION_YEARS"),
    )


for _page in TRUST_PAGES:
    bp.add_url_rule(f"/{_page}", _page, lambda page=_page: trust_page(page))


#: Where a page's typed text waits, in the session, while its language changes (`set_language`).
TYPED_KEY = "typed_before_switch"
#: The most typed text carried across a language switch: the session is a cookie, and the forms
#: that use it (a name and a role; a team's sign-up) hold well under this.
TYPED_MAX_CHARACTERS = 2000


@bp.route("/language/<language>", methods=["GET", "POST"])
def set_language(language: str):
    """Switch language and go back. A form's own switch (a button posting the form here, see
    base.html's `switch_form`) carries what was typed, so the page comes back with it filled in."""
    if request.method == "POST" and not FlaskForm().validate_on_submit():  # its CSRF token
        abort(400)
    if language in LANGUAGES:
        session["language"] = language
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    if request.method == "POST":
        _carry_typed(urlsplit(target).path)
    return redirect(target)


def _carry_typed(path: str) -> None:
    """Keep the posted form's typed values for `path`'s next GET (`typed_before_switch`)."""
    typed = {
        name: value
        for name, value in request.form.items()
        if name != "csrf_token" and isinstance(value, str)
    }
    if sum(len(value) for value in typed.values()) <= TYPED_MAX_CHARACTERS:
        session[TYPED_KEY] = {"path": path, "fields": typed}
    else:
        current_app.logger.warning("Typed text too long to carry across a language switch")


def typed_before_switch() -> dict[str, str] | None:
    """What was typed on this page before its language was switched (given once), else None."""
    typed = session.get(TYPED_KEY)
    if not typed or typed.get("path") != request.path:
        return None
    session.pop(TYPED_KEY)
    return typed["fields"]


def not_found(error):
    audit_link = getattr(error, "description", "") == "audit_link"
    return render_template("errors/404.html", audit_link=audit_link), 404


def bad_request(error):
    too_large = getattr(error, "code", None) == 413
    return render_template("errors/request.html", too_large=too_large), error.code


def too_many_requests(_error):
    response = current_app.make_response((render_template("errors/429.html"), 429))
    response.headers["Retry-After"] = "60"
    return response


def server_error(_error):
    return render_template("errors/500.html"), 500


def security_headers(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'",
    )
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages carry answers, links or console data: no browser or proxy may keep a copy.
        response.headers["Cache-Control"] = "no-store"
    return response


#: Fields never shown back nor kept in a page, whatever form they come from: passwords.
SECRET_FIELD = re.compile(r"password|passphrase", re.IGNORECASE)


def storage_error(error):
    """A database that is locked or failing: say why, keep what was sent, log the cause.

    Touches no database (it may be the very thing failing). A form post comes back with every
    field it sent, shown and ready to send again, except a password (`SECRET_FIELD`), which is
    typed again: a page is cached, printed and screenshotted, so none ever holds one.
    """
    kind = storage_failure.problem(error)
    current_app.logger.error(
        "Storage error (%s) on %s %s: %s", kind, request.method, request.path, error
    )
    forget_after_failure(error)
    kept = [
        (name, value)
        for name, value in (request.form.items(multi=True) if request.method == "POST" else [])
        if not SECRET_FIELD.search(name)
    ]
    return render_template(
        "errors/storage.html",
        cause=storage_failure.cause(error),
        busy=kind == storage_failure.BUSY,
        kept=kept,
        shown=[value for name, value in kept if not name.endswith("csrf_token") and value.strip()],
        action=request.full_path.rstrip("?"),
    ), 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(404, not_found)
    app.register_error_handler(500, server_error)
    for code in (400, 405, 413):
        app.register_error_handler(code, bad_request)
    app.register_error_handler(429, too_many_requests)
    app.register_error_handler(sqlite3.Error, storage_error)
    app.after_request(security_headers)
