"""Helpers for the console tests: an admin account and a client signed in as them."""

from __future__ import annotations

import functools
import re

from werkzeug.security import generate_password_hash

from bot import store
from bot.console import auth as console_auth
from bot.db import get_db

ADMIN_EMAIL = "staff@foundation.example"
ADMIN_PASSWORD = "a long enough passphrase"
#: Console passwords in tests: Werkzeug's scrypt at n=1024, not the default's 32,768, so a sign-in
#: costs 3 ms instead of a tenth of a second. The code path is the same;
#: tests/test_config.py checks the default's cost.
TEST_PASSWORD_HASH = "scrypt:1024:8:1"


@functools.cache
def password_hash(password: str = ADMIN_PASSWORD) -> str:
    """Hash once per test run, at the tests' cost."""
    return generate_password_hash(password, method=TEST_PASSWORD_HASH)


def make_admin(app, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> dict:
    with app.app_context():
        store.create_admin(get_db(), email, password_hash(password))
        return store.admin_by_email(get_db(), email)


def sign_in_directly(client, admin: dict) -> None:
    """Put a signed-in admin's keys in the client's session, skipping the slow login form."""
    with client.session_transaction() as session:
        session.update(console_auth.session_values(admin))


def log_in(client, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD, **kwargs):
    return client.post("/admin/login", data={"email": email, "password": password}, **kwargs)


def shown_link(html: str) -> str:
    """Return the audit link shown in full on a page."""
    match = re.search(r'id="audit-link" type="text" value="([^"]+)"', html)
    assert match, "no audit link on the page"
    return match.group(1)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/a/", 1)[1]


def date_parts(name: str, day: str | None) -> dict:
    """The day, month and year boxes of the console's date input `name`, for an ISO date.

    None gives three empty boxes.
    """
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    year, month, day_of_month = (int(part) for part in day.split("-"))
    return {
        f"{name}-day": str(day_of_month),
        f"{name}-month": str(month),
        f"{name}-year": str(year),
    }


def create_team(console, **fields):
    """Create a team through the console's form; return its id and the page that shows its link."""
    data = {"name": "Riverside Parent-Infant Team", "nation": "wales", **fields}
    response = console.post("/admin/teams/new", data=data)
    assert response.status_code == 302, response.text[:1500]
    page = console.get(response.headers["Location"])
    assert page.status_code == 200
    team_id = int(re.search(r"/admin/teams/(\d+)/link", response.headers["Location"]).group(1))
    return team_id, page


def opens(app, token) -> bool:
    return app.test_client().get(f"/a/{token}/", follow_redirects=True).status_code == 200


def progress_cell(page: str, team_name: str) -> str:
    """Return the progress table's row for `team_name`, as HTML."""
    start = page.index(team_name)
    return page[start : page.index("</tr>", start)]


def open_signup(app) -> None:
    """Open public sign-up, as the console does (it starts closed)."""
    with app.app_context():
        store.set_setting(get_db(), "signup_open", "1")
