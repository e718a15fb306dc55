"""Console accounts: `flask admin create EMAIL`, sign in and out, the login guard, throttles.

Passwords are stored as Werkzeug scrypt hashes. A signed-in admin's session holds their id,
the time they signed in and their session version, checked against the database on every
request: signing out or changing the password moves the version on, so a copied cookie dies
with the session it came from. Failed sign-ins are counted in the database (shared by every
worker) per address and email and per address alone; past a limit the login answers 429 for a
while. An account also locks after a run of failures, for a delay that doubles each time.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import secrets
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta

import click
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import InputRequired, Length

from bot import storage_failure, store
from bot import throttle as throttling
from bot.db import get_db
from bot.links import external_url
from bot.store import accounts
from bot.throttle import client_address, throttle

bp = Blueprint("admin_auth", __name__, url_prefix="/admin")

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_KEYS = ("admin_id", "admin_version", "admin_at", "admin_sid", "admin_seen")
#: A session's last-seen time is written back at most this often (each write is a cookie).
SEEN_EVERY_SECONDS = 30
MAX_LOCKOUT_SECONDS = 3600


# -- accounts -------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """Hash a new password by the app's AUDIT_ADMIN_PASSWORD_HASH; a stored hash names its own
    method and cost, so changing the setting leaves existing passwords working."""
    return generate_password_hash(password, method=current_app.config["ADMIN_PASSWORD_HASH"])


def _decoy_hash() -> str:
    """A hash to check against when the email is unknown, so both cases take as long."""
    return _decoy_hash_for(current_app.config["ADMIN_PASSWORD_HASH"])


@functools.cache
def _decoy_hash_for(method: str) -> str:
    return generate_password_hash("not a real password, only for the time it takes", method=method)


def authenticate(email: str, password: str) -> dict | None:
    """Return the admin whose email and password these are, or None."""
    admin = store.admin_by_email(get_db(), email)
    valid = check_password_hash(admin["password_hash"] if admin else _decoy_hash(), password)
    return admin if admin and valid and not admin["disabled"] else None


def session_values(admin: dict) -> dict:
    """Return what a signed-in admin's session holds."""
    now = datetime.now(UTC).isoformat()
    return {
        "admin_id": admin["id"],
        "admin_version": admin["session_version"],
        "admin_at": now,
        "admin_seen": now,
        "admin_sid": secrets.token_urlsafe(16),
    }


def sign_in(admin: dict) -> None:
    """Start a session for admin, with a fresh CSRF token (the one from before sign-in dies)."""
    for key in SESSION_KEYS:
        session.pop(key, None)
    session.pop("csrf_token", None)
    session.update(session_values(admin))
    store.record_admin_login(get_db(), admin["id"])


def sign_out(everywhere: bool = False) -> None:
    """End this session (a copy of its cookie is refused too), or every session of the admin."""
    admin_id = session.get("admin_id")
    if everywhere and isinstance(admin_id, int):
        store.end_admin_sessions(get_db(), admin_id)
    elif isinstance(session.get("admin_sid"), str):
        hours = current_app.config["ADMIN_SESSION_HOURS"]
        accounts.end_session(
            get_db(), session["admin_sid"], time.time() + hours * 3600, time.time()
        )
    for key in SESSION_KEYS:
        session.pop(key, None)
    session.pop("csrf_token", None)
    g.pop("admin", None)


def _session_time(key: str) -> datetime | None:
    try:
        return datetime.fromisoformat(session.get(key, ""))
    except (TypeError, ValueError):
        return None


def _session_fresh() -> bool:
    """True within both the absolute limit since sign-in and the idle limit since last seen."""
    since, seen, now = _session_time("admin_at"), _session_time("admin_seen"), datetime.now(UTC)
    if since is None or seen is None:
        return False
    config = current_app.config
    return now - since < timedelta(hours=config["ADMIN_SESSION_HOURS"]) and now - seen < (
        timedelta(minutes=config["ADMIN_IDLE_MINUTES"])
    )


def _seen_now() -> None:
    seen = _session_time("admin_seen")
    if seen is None or datetime.now(UTC) - seen > timedelta(seconds=SEEN_EVERY_SECONDS):
        session["admin_seen"] = datetime.now(UTC).isoformat()


def current_admin() -> dict | None:
    """Return the signed-in admin for this request, or None."""
    if "admin" not in g:
        admin = None
        admin_id = session.get("admin_id")
        if isinstance(admin_id, int) and _session_fresh():
            candidate = store.get_admin(get_db(), admin_id)
            if (
                candidate
                and session.get("admin_version") == candidate["session_version"]
                and not candidate["disabled"]
                and not accounts.session_ended(get_db(), str(session.get("admin_sid")))
            ):
                admin = candidate
                _seen_now()
        g.admin = admin
    return g.admin


def _login_redirect():
    for key in SESSION_KEYS:
        session.pop(key, None)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin_auth.login", next=target))


def _csrf_missing() -> bool:
    """True for a form post whose CSRF token (any field named *csrf_token) is not valid."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return False
    token = next((request.form[key] for key in request.form if key.endswith("csrf_token")), "")
    try:
        validate_csrf(token)
    except ValidationError:
        return True
    return False


def require_login():
    """before_request guard for console blueprints: send anyone not signed in to the login.

    Like Django's CSRF middleware, a post without a valid CSRF token is refused (400) before
    anything else is looked at, signed in or not.
    """
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if _csrf_missing():
        current_app.logger.warning("Console post without a valid CSRF token: %s", request.path)
        abort(400)
    if current_admin() is None:
        return _login_redirect()
    return None


def safe_next(target: str | None) -> str:
    """Return target if it is a console path on this site, else the console's first page."""
    if (
        target
        and target.startswith("/admin")
        and not any(character in target for character in "\\\r\n")
    ):
        return target
    return url_for("admin.teams")


# -- sign in and out ------------------------------------------------------------------------


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        validators=[
            InputRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Enter a correct email address and password")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Enter your password")),
            Length(
                max=MAX_PASSWORD_LENGTH, message=_l("Enter a correct email address and password")
            ),
        ],
    )
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    """Sign out: this session, or with `everywhere=1` every session of the account."""

    submit = SubmitField(_l("Sign out"))


WRONG_CREDENTIALS = _l("Enter a correct email address and password")


def _login_limits(address: str, email: str) -> list[tuple[str | None, tuple[str, ...]]]:
    """Return the failure limits a sign-in counts against: address and email, address."""
    config = current_app.config
    return [
        (config["ADMIN_LOGIN_LIMIT"], ("login", address, email)),
        (config["ADMIN_LOGIN_ADDRESS_LIMIT"], ("login", address)),
    ]


def _locked_seconds(email: str) -> int:
    """Return how many seconds the account stays locked after its failures (0 if not)."""
    row = store.lockout(get_db(), email)
    remaining = (row["locked_until"] - throttling.now()) if row else 0
    return max(0, math.ceil(remaining))


def _count_failure(email: str) -> None:
    """Count a failure against `email` (an account, or a trusted browser's key)."""
    config = current_app.config
    after = config["ADMIN_LOCKOUT_AFTER"]
    if not after:
        return
    row = store.record_login_failure(
        get_db(),
        email,
        throttling.now(),
        after=after,
        first_delay=config["ADMIN_LOCKOUT_SECONDS"],
        cap=MAX_LOCKOUT_SECONDS,
    )
    if row["failures"] >= after:
        current_app.logger.warning(
            "Console account %r locked for %d s after %d failed sign-ins",
            email.split("\x1f")[0],
            _locked_seconds(email),
            row["failures"],
        )


def _refused(form: LoginForm, wait: int):
    page = render_template(
        "admin/login.html",
        form=form,
        next=request.args.get("next"),
        throttled=True,
        wait_minutes=math.ceil(wait / 60),
    )
    return page, 429, {"Retry-After": str(wait)}


# -- device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies") ----------

DEVICE_COOKIE = "audit_console_device"
DEVICE_DAYS = 365


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="console-device")


def _trusted_device(email: str) -> str | None:
    """The nonce of this browser's device cookie if it signed in as `email` before, else None."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value or not email:
        return None
    try:
        data = _devices().loads(value, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("email") != email:
        return None
    return str(data.get("nonce"))


def _lock_key(email: str) -> str:
    """What failures count against: this browser, if it signed in as `email` before (failures
    elsewhere never lock it out); otherwise the account, for every untrusted browser."""
    device = _trusted_device(email)
    return f"device\x1f{device}" if device else email


def _remember_device(response, email: str):
    """Give the browser a fresh device cookie for the account it signed in to."""
    value = _devices().dumps({"email": email, "nonce": secrets.token_urlsafe(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        path="/admin",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET" and current_admin() is not None:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET":
        return render_template("admin/login.html", form=form, next=request.args.get("next"))
    email = store.normalise_email(form.email.data or "")[:254]
    address = client_address()
    lock_key = _lock_key(email)
    locked = _locked_seconds(lock_key) if email else 0
    if locked:
        current_app.logger.warning("Console sign-in refused: %r is locked, from %s", email, address)
        return _refused(form, locked)
    guard = throttle()
    blocked = [
        (limit, key) for limit, key in _login_limits(address, email) if not guard.take(limit, *key)
    ]
    if blocked:
        guard.refund()
        current_app.logger.warning(
            "Console sign-in refused: too many failures for %r from %s", email, address
        )
        return _refused(form, max(guard.retry_after(limit, *key) for limit, key in blocked))
    if form.validate():
        admin = authenticate(email, form.password.data)
        if admin is not None:
            guard.refund()
            store.clear_login_failures(get_db(), lock_key)
            sign_in(admin)
            current_app.logger.info("Console sign-in for %r from %s", email, address)
            return _remember_device(redirect(safe_next(request.args.get("next"))), email)
        _count_failure(lock_key)
        current_app.logger.warning("Console sign-in failed for %r from %s", email, address)
        form.password.errors = [WRONG_CREDENTIALS]
    else:
        guard.refund()
    form.password.data = ""
    return render_template("admin/login.html", form=form, next=request.args.get("next")), 422


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        everywhere = request.form.get("everywhere") == "1"
        if everywhere and g.get("admin"):
            accounts.record_action(
                get_db(), g.admin, "sign_out_everywhere", detail="Signed out everywhere"
            )
        sign_out(everywhere)
        return redirect(url_for("admin_auth.login", signed_out=2 if everywhere else 1))
    return redirect(url_for("admin.teams"))


OPEN_ENDPOINTS = {"admin_auth.login"}
bp.before_request(require_login)


# -- the command line -----------------------------------------------------------------------

admin_commands = AppGroup("admin", help="Create and look after the foundation's console accounts.")


def _valid_email(email: str) -> str:
    email = store.normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    return email


def _interactive(stream) -> bool:
    return stream.isatty()


def _read_password() -> str:
    """Ask for the password twice on a terminal; otherwise read one line from stdin."""
    if _interactive(sys.stdin):
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters long"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise click.ClickException(
            f"the password must be {MAX_PASSWORD_LENGTH} characters or fewer"
        )
    return password


@contextlib.contextmanager
def _saving():
    """Say plainly why a change could not be saved (never echoing what was typed)."""
    try:
        yield
    except sqlite3.Error as error:
        raise click.ClickException(f"nothing was saved: {storage_failure.cause(error)}") from None


def _login_url() -> str:
    return external_url("admin_auth.login")


@admin_commands.command("create")
@click.argument("email")
def create_command(email: str) -> None:
    """Create a console account for EMAIL; asks for its password, or reads it from stdin."""
    email = _valid_email(email)
    if store.admin_by_email(get_db(), email) is not None:
        raise click.ClickException(
            f"{email} already has an account; to change its password: flask admin password EMAIL"
        )
    with _saving():
        store.create_admin(get_db(), email, hash_password(_read_password()))
    click.echo(f"Created the console account {email}. Sign in at {_login_url()}")


@admin_commands.command("password")
@click.argument("email")
def password_command(email: str) -> None:
    """Set a new password for the console account EMAIL and sign out its sessions."""
    email = _valid_email(email)
    if store.admin_by_email(get_db(), email) is None:
        raise click.ClickException(f"there is no console account for {email}")
    with _saving():
        store.set_admin_password(get_db(), email, hash_password(_read_password()))
        store.end_admin_sessions(get_db(), store.admin_by_email(get_db(), email)["id"])
    click.echo(f"Changed the password of {email}; its sessions are signed out.")


@admin_commands.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Disable the console account EMAIL: its sessions end at once and it cannot sign in."""
    admin = _set_disabled(email, True, "disable_account", "Disabled")
    click.echo(f"Disabled {admin['email']}; its sessions are signed out.")


@admin_commands.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Re-enable the disabled console account EMAIL."""
    admin = _set_disabled(email, False, "enable_account", "Re-enabled")
    click.echo(f"Re-enabled {admin['email']}.")


def _set_disabled(email: str, disabled: bool, action: str, done: str) -> dict:
    """Disable or re-enable the account EMAIL, recorded as a command-line action; return it."""
    admin = store.admin_by_email(get_db(), _valid_email(email))
    if admin is None:
        raise click.ClickException(f"there is no console account for {email}")
    accounts.set_admin_disabled(get_db(), admin["id"], disabled)
    accounts.record_action(get_db(), None, action, detail=f"{done} {admin['email']} (command line)")
    return admin


# -- wiring ---------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Register sign-in and the `admin` commands."""
    app.register_blueprint(bp)
    app.cli.add_command(admin_commands)
