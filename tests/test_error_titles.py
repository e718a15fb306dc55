"""A page shown again with errors says so first in its title, as GOV.UK pages do."""

from __future__ import annotations

import re
from html import unescape

from tests.admin_support import open_signup


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())


def test_the_sign_up_form_with_errors_has_error_in_its_title(app, client):
    open_signup(app)
    page = client.post("/signup/", data={})
    assert page.status_code == 422
    assert title(page.text).startswith("Error: ")
    assert not title(client.get("/signup/").text).startswith("Error:")


def test_the_console_sign_in_with_a_wrong_password_has_error_in_its_title(app):
    client = app.test_client()
    page = client.post(
        "/admin/login", data={"email": "nobody@example.org", "password": "wrong password"}
    )
    assert page.status_code == 422
    assert title(page.text).startswith("Error: ")


def test_the_add_a_team_form_with_errors_has_error_in_its_title(console):
    page = console.post("/admin/teams/new", data={"name": ""})
    assert page.status_code == 422
    assert title(page.text).startswith("Error: ")
