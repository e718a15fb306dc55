"""The console's date input in a browser: a wrong date is one error, and its link finds the box."""

from __future__ import annotations

from datetime import date

from tests.browser.support import CONSOLE_EMAIL, CONSOLE_PASSWORD, axe_violations, press


def test_a_wrong_expiry_date_is_shown_again_and_its_error_leads_to_the_box(kept_page, console):
    page = kept_page()
    page.goto(console)
    page.get_by_label("Email address").fill(CONSOLE_EMAIL)
    page.get_by_label("Password").fill(CONSOLE_PASSWORD)
    press(page, page.get_by_role("button", name="Sign in"))
    press(page, page.locator(".console-nav").get_by_role("link", name="Add a team"))

    group = page.get_by_role("group", name="Link expiry date (optional)")
    assert "For example, 27 3" in group.inner_text()
    next_year = str(date.today().year + 1)
    page.get_by_label("Team name").fill("Dates parent-infant team")
    page.locator('input[name="nation"][value="england"]').check()
    group.get_by_label("Day").fill("27")
    group.get_by_label("Year").fill(next_year)
    press(page, page.locator("main form button[type=submit]"))

    summary_link = page.locator(".error-summary a")
    assert summary_link.inner_text() == "Link expiry date must include a month"
    assert axe_violations(page) == ""
    group = page.get_by_role("group", name="Link expiry date (optional)")
    assert group.get_by_label("Day").input_value() == "27"
    assert group.get_by_label("Year").input_value() == next_year
    assert "input-error" in group.get_by_label("Month").get_attribute("class")
    assert "input-error" not in group.get_by_label("Day").get_attribute("class")

    summary_link.click()
    assert page.evaluate("document.activeElement.id") == "link_expires-month"
    page.keyboard.type("3")
    press(page, page.locator("main form button[type=submit]"))
    assert "/link" in page.url
    assert (
        f"The link works until the end of 27 Mar {next_year}." in page.locator("main").inner_text()
    )
