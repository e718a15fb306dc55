"""Every setting the app reads, with its default and meaning: the one list of `AUDIT_` settings.

Each setting is read from the environment variable `AUDIT_<NAME>`, or from the file that
`AUDIT_ENV_FILE` names (the service's environment file, so its commands act on the service's
database), then from the mapping given to `create_app`. Values are read as Flask's
`from_prefixed_env` reads them, so `AUDIT_PROXY_FIX=1` arrives as the integer 1.
`docs/operations.md` lists the same settings; a test keeps the two equal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.resources import DEFAULT_TREE

if TYPE_CHECKING:
    from flask import Flask

#: The source checkout: the repository's top folder (docs, tests), not where an installed app is.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "AUDIT"
WEAK_SECRET_KEYS = {"dev", "development", "secret", "changeme", "change-me", "test", "x"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    meaning: str

    @property
    def variable(self) -> str:
        return f"{ENV_PREFIX}_{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        None,
        "signs sessions and CSRF tokens: 32 or more random characters, the same for every worker",
    ),
    Setting(
        "SECRET_KEY_FILE",
        None,
        "a file to keep the secret key in instead (created with a random key if missing)",
    ),
    Setting(
        "ENV_FILE",
        None,
        "a file of `AUDIT_` settings, one `NAME=value` a line (the systemd unit's environment "
        "file): the service and every `flask` command read it; a variable set in the environment "
        "wins",
    ),
    Setting(
        "DB",
        None,
        "path of the SQLite database (none: `audit.db` in the instance folder)",
    ),
    Setting(
        "PUBLIC_URL",
        None,
        "the address teams use, for printed links and invitations (unset: the address served on)",
    ),
    Setting(
        "PROXY_FIX",
        None,
        "how many reverse proxies in front set X-Forwarded-Proto, -For and -Host (usually 1)",
    ),
    Setting(
        "QUESTION_TREE",
        str(DEFAULT_TREE),
        "the question-tree file",
    ),
    Setting("LINK_LOOKUP_LIMIT", "30 per minute", "unknown audit links tried, per address"),
    Setting("ADMIN_LOGIN_LIMIT", "5 per minute", "console sign-in attempts per email and address"),
    Setting("ADMIN_LOGIN_ADDRESS_LIMIT", "30 per minute", "console sign-in attempts per address"),
    Setting(
        "ADMIN_LOCKOUT_AFTER",
        5,
        "failed sign-ins in a row that lock a console account, from any address (0: never)",
    ),
    Setting(
        "ADMIN_LOCKOUT_SECONDS",
        60,
        "seconds the first lock lasts; each further failure doubles it, up to an hour",
    ),
    Setting("SIGNUP_LIMIT", "10 per hour", "team sign-ups per address"),
    Setting(
        "SIGNUP_PENDING_LIMIT",
        50,
        "sign-ups that may wait for approval at once; past it the sign-up page says to try later",
    ),
    Setting("ADMIN_SESSION_HOURS", 12, "hours a console sign-in lasts"),
    Setting(
        "ADMIN_IDLE_MINUTES", 30, "minutes without a console request that end a console sign-in"
    ),
    Setting(
        "ADMIN_PASSWORD_HASH",
        "scrypt:32768:8:1",
        "how new console passwords are hashed: scrypt and its cost n:r:p (n a power of two, "
        "1024 or more)",
    ),
    Setting("EXPORT_BATCH_SIZE", 200, "teams read per batch when streaming an export"),
    Setting(
        "ORGANISATION",
        "Parent-Infant Foundation",
        "the organisation that runs the service, named on the privacy, accessibility and "
        "contact pages",
    ),
    Setting(
        "CONTACT_EMAIL",
        None,
        "the email address for help, deletion requests and accessibility problems (none: the "
        "contact page sends people to whoever gave them their link)",
    ),
    Setting(
        "RETENTION_YEARS",
        None,
        "years a team's answers are kept after its last audit, as the privacy notice says "
        "(none: kept while the team uses the service, deleted on request)",
    ),
    Setting(
        "SMTP_HOST",
        None,
        "the mail server invitations and reminders go through (none: each message is written "
        "as an .eml file in AUDIT_MAIL_OUTBOX_DIR instead)",
    ),
    Setting("SMTP_PORT", None, "the mail server's port (none: 587, or 465 with tls, 25 with none)"),
    Setting(
        "SMTP_USERNAME", None, "the user name to sign in to the mail server as (none: no sign-in)"
    ),
    Setting("SMTP_PASSWORD", None, "the password for that user name"),
    Setting(
        "SMTP_SECURITY",
        "starttls",
        "how the connection to the mail server is protected: starttls, tls or none",
    ),
    Setting(
        "SMTP_CA_FILE",
        None,
        "a file of CA certificates (PEM) the mail server's certificate is checked against, "
        "for a server whose certificate a private CA signed (none: the system's CAs)",
    ),
    Setting(
        "MAIL_FROM",
        None,
        "the address mail is sent from, e.g. Parent-Infant Foundation <audit@example.org> "
        "(required with AUDIT_SMTP_HOST)",
    ),
    Setting(
        "MAIL_REPLY_TO", None, "where replies to invitations and reminders go (none: the sender)"
    ),
    Setting(
        "MAIL_OUTBOX_DIR",
        None,
        "where messages are written as .eml files when there is no mail server (none: `outbox` "
        "in the instance folder)",
    ),
    Setting(
        "MAIL_SEND_SECONDS",
        30,
        "how often each worker looks for queued mail to send or retry (0: only `flask mail send`)",
    ),
    Setting(
        "TRUST_PAGES_DIR",
        None,
        "a folder of your own wording: privacy.en.html, privacy.cy.html, accessibility.*, "
        "contact.*; a file found there replaces that page's built-in text",
    ),
)

#: Flask's own settings, fixed for this app rather than configured per deployment.
FLASK_SETTINGS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
}


class ConfigurationError(RuntimeError):
    """The app is not configured safely enough to start."""


def environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Return the `AUDIT_` variables in force: AUDIT_ENV_FILE's, then the environment's own.

    A cron job or an operator's shell that sets only AUDIT_ENV_FILE acts on the service's
    database with the service's key. Other names in the file are left for whatever else reads
    it; an `AUDIT_` name the app does not know is refused, as a typo would otherwise go unseen.
    """
    from_file: dict[str, str] = {}
    env_file = environ.get(f"{ENV_PREFIX}_ENV_FILE")
    if env_file:
        from dotenv import dotenv_values

        if not Path(env_file).is_file():
            raise ConfigurationError(f"AUDIT_ENV_FILE names {env_file}, which is not a file")
        known = {setting.variable for setting in SETTINGS}
        for name, value in dotenv_values(env_file).items():
            if not name.startswith(f"{ENV_PREFIX}_") or value is None:
                continue
            if name not in known:
                raise ConfigurationError(f"{env_file} sets {name}, which is no AUDIT_ setting")
            from_file[name] = value
    own = {name: value for name, value in environ.items() if name.startswith(f"{ENV_PREFIX}_")}
    return {**from_file, **own}


def _read_value(text: str) -> Any:
    """Read a value as Flask's `from_prefixed_env` does: JSON if it parses, else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def configure(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config: defaults, then AUDIT_ settings (`environment`), then `overrides`."""
    app.config.from_mapping(FLASK_SETTINGS)
    app.config.from_mapping({setting.name: setting.default for setting in SETTINGS})
    for variable, text in sorted(environment().items()):
        app.config[variable.removeprefix(f"{ENV_PREFIX}_")] = _read_value(text)
    if overrides:
        app.config.from_mapping(overrides)
    if not app.config["DB"]:
        app.config["DB"] = os.path.join(app.instance_path, "audit.db")
    if not app.config["MAIL_OUTBOX_DIR"]:
        app.config["MAIL_OUTBOX_DIR"] = os.path.join(app.instance_path, "outbox")
    app.config["PROXY_FIX"] = _proxy_hops(app.config.get("PROXY_FIX"))
    _check_password_hash(app.config["ADMIN_PASSWORD_HASH"])
    if str(app.config["PUBLIC_URL"] or "").lower().startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    _check_secret_key(app)


def make_instance_folder(app: Flask) -> None:
    """Create the instance folder, readable by the app's user alone (0700), if it can be.

    It keeps the tree's proof, compiled templates and, under `make run`, the secret key. A
    read-only one is fine: the app then proves the tree and compiles templates in memory.
    """
    with contextlib.suppress(OSError):
        os.makedirs(app.instance_path, mode=0o700, exist_ok=True)


def _proxy_hops(value: Any) -> int:
    """Read AUDIT_PROXY_FIX as the number of proxies to trust (0: trust no X-Forwarded-*)."""
    if value in (None, "", False):
        return 0
    try:
        hops = int(value)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0 or hops > 5 or isinstance(value, float):
        raise ConfigurationError(
            "AUDIT_PROXY_FIX must be the number of reverse proxies in front (0 to 5), "
            f"not {value!r}"
        )
    return hops


SCRYPT_METHOD = re.compile(r"scrypt:(\d+):(\d+):(\d+)")


def _check_password_hash(method: Any) -> None:
    """Refuse an AUDIT_ADMIN_PASSWORD_HASH that Werkzeug's scrypt would reject at sign-in."""
    match = SCRYPT_METHOD.fullmatch(str(method))
    n, r, p = (int(part) for part in match.groups()) if match else (0, 0, 0)
    if n < 1024 or n & (n - 1) or r < 1 or p < 1:
        raise ConfigurationError(
            "AUDIT_ADMIN_PASSWORD_HASH must be scrypt:n:r:p with n a power of two from 1024 (the "
            f"default is scrypt:32768:8:1), not {method!r}"
        )


def _secret_key_from_file(path: Path) -> str:
    """Read the secret key file, creating it with a random key on first use."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_hex(32))
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
