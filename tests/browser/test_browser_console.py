"""The foundation's console in a browser: sign in, add a team, copy its link; axe on the way."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_violations

EMAIL = "staff@example.org"
PASSWORD = "a long browser-test passphrase"


@pytest.fixture(scope="module")
def console(live_server):
    if not any(rule.rule.startswith("/admin") for rule in live_server.app.url_map.iter_rules()):
        pytest.skip("console not built yet")
    result = live_server.app.test_cli_runner().invoke(
        args=["admin", "create", EMAIL], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return live_server.url + "/admin/"


def go(page, action) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        action()


def test_sign_in_add_a_team_and_copy_its_link(open_page, live_server, console):
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    problems = {}

    def check(name: str) -> None:
        found = axe_violations(page)
        if found:
            problems[name] = found

    page.goto(console)
    assert "/admin/login" in page.url
    check("sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in").click)
    assert page.url.startswith(console)
    check("teams")

    go(page, page.locator(".console-nav").get_by_role("link", name="Add a team").click)
    check("add a team")
    go(page, page.locator("main form button[type=submit]").click)
    assert page.locator(".error-summary").is_visible()
    check("add a team, with errors")
    page.get_by_label("Team name").fill("Valleys parent-infant team")
    page.locator('input[name="nation"][value="wales"]').check()
    page.get_by_label("Contact email (optional)").fill("lead@valleys.example")
    go(page, page.locator("main form button[type=submit]").click)
    check("the new link")

    link = page.locator("#audit-link").input_value()
    assert link.startswith(live_server.url + "/a/")
    page.locator("[data-copy]").click()
    page.locator("[data-copy-status]").filter(has_text="copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert (
        page.get_by_role("link", name="Email the invitation in English to lead@valleys.example")
        .get_attribute("href")
        .startswith("mailto:lead@valleys.example")
    )

    go(page, page.get_by_role("link", name="Go to the team’s page").click)
    check("team")
    go(page, page.locator(".console-nav").get_by_role("link", name="National picture").click)
    check("national picture")

    team_member = open_page("Pixel 7")
    team_member.goto(link)
    assert "Valleys parent-infant team" in team_member.locator("main").inner_text()
    assert problems == {}
