"""Every printed or shown link is on AUDIT_PUBLIC_URL when set, else on the address served on."""

import re

import pytest

from tests.admin_support import make_admin, open_signup, shown_link, sign_in_directly

ON_5301 = "http://localhost:5301"  # the test client keeps its cookies for localhost
CLI_5301 = "http://127.0.0.1:5301"


def console_on(app, base_url):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    return console, {"base_url": base_url}


def test_console_links_follow_the_address_served_on(app):
    console, on = console_on(app, ON_5301)
    new = console.post(
        "/admin/teams/new",
        data={"name": "Port team", "nation": "wales", "contact_email": "a@b.example"},
        **on,
    )
    page = console.get(new.headers["Location"], **on)
    assert shown_link(page.text).startswith(f"{ON_5301}/a/")
    assert "5000" not in page.text
    assert f"{ON_5301}/signup/" in console.get("/admin/settings", **on).text


def test_the_sign_up_link_follows_the_address_served_on(app):
    open_signup(app)
    client = app.test_client()
    data = {"name": "Self team", "nation": "england", "contact_email": "x@y.example"}
    done = client.post("/signup/", data=data, base_url=ON_5301, follow_redirects=True)
    assert done.status_code == 200
    assert f"{ON_5301}/a/" in done.text


def test_command_line_links_use_the_port_flask_run_will_serve_on(app, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_HOST", "127.0.0.1")
    monkeypatch.setenv("FLASK_RUN_PORT", "5301")
    runner = app.test_cli_runner()
    demo = runner.invoke(args=["team", "demo"])
    assert re.search(rf"{CLI_5301}/a/\S+/", demo.output), demo.output
    created = runner.invoke(args=["admin", "create", "x@foundation.example"], input="a" * 14 + "\n")
    assert f"Sign in at {CLI_5301}/admin/login" in created.output, created.output


@pytest.mark.parametrize("where", ["request", "command line"])
def test_a_public_url_wins_everywhere(new_app, monkeypatch, where):
    monkeypatch.setenv("FLASK_RUN_PORT", "5301")
    app = new_app(WTF_CSRF_ENABLED=False, PUBLIC_URL="https://audit.example.org/")
    if where == "command line":
        output = app.test_cli_runner().invoke(args=["team", "demo"]).output
    else:
        console, on = console_on(app, ON_5301)
        output = console.get("/admin/settings", **on).text
    assert "https://audit.example.org/" in output
    assert "5301" not in output
