"""The foundation's console in a browser: sign in, add a team, copy its link; axe on the way."""

from __future__ import annotations

from tests.browser.support import CONSOLE_EMAIL, CONSOLE_PASSWORD, axe_violations, press


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
    page.get_by_label("Email address").fill(CONSOLE_EMAIL)
    page.get_by_label("Password").fill(CONSOLE_PASSWORD)
    press(page, page.get_by_role("button", name="Sign in"))
    assert page.url.startswith(console)
    check("teams")

    press(page, page.locator(".console-nav").get_by_role("link", name="Add a team"))
    check("add a team")
    press(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").is_visible()
    check("add a team, with errors")
    page.get_by_label("Team name").fill("Valleys parent-infant team")
    page.locator('input[name="nation"][value="wales"]').check()
    page.get_by_label("Contact email (optional)").fill("lead@valleys.example")
    press(page, page.locator("main form button[type=submit]"))
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

    press(page, page.get_by_role("link", name="Go to the team’s page"))
    check("team")
    press(page, page.locator(".console-nav").get_by_role("link", name="National picture"))
    check("national picture")

    team_member = open_page("Pixel 7")
    team_member.goto(link)
    assert "Valleys parent-infant team" in team_member.locator("main").inner_text()
    assert problems == {}
