"""GOV.UK Frontend's patterns as a member meets them on a phone: the error summary and its links,
last time's answer as the field's hint, success banners that take focus, the character count,
and "Yes, this is right" for an improbable number; axe on each page."""

from __future__ import annotations

from tests.browser.support import (
    CONSOLE_EMAIL,
    CONSOLE_PASSWORD,
    axe_violations,
    open_link,
    press,
)
from tests.profiles import SPECIALISED

PHONE = {"viewport": {"width": 390, "height": 664}}

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= -1 && box.bottom <= window.innerHeight + 1;
}"""


BOX = "(selector) => JSON.stringify(document.querySelector(selector).getBoundingClientRect())"


def focused(page, attribute: str = "id") -> str | None:
    return page.evaluate(f"document.activeElement.getAttribute('{attribute}')")


def test_following_an_error_summary_link_shows_the_question_and_its_error(
    open_page, site, live_server
):
    page = open_page(**PHONE)
    team = open_link(page, site.fresh, wait_until="domcontentloaded")
    page.goto(team + "/q/sup_under3_count#question", wait_until="domcontentloaded")
    press(page, page.locator("#answer-form button.button[type=submit]"))
    summary = page.locator(".error-summary")
    assert focused(page, "data-error-summary") == ""  # the summary takes focus on load...
    assert summary.get_attribute("role") is None  # ...and its child is the alert, as in
    assert summary.locator("> [role=alert]").count() == 1  # GOV.UK Frontend
    assert axe_violations(page) == ""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    summary.locator("a").first.click()
    assert focused(page) == "answer"
    for shown in ("#question-heading", ".error-message", "#answer"):
        assert page.evaluate(IN_VIEW, shown), shown

    # A group of checkboxes: the legend (the question) comes into view with its error.
    link = live_server.team(
        "Summary team", live_server.answers_before(SPECIALISED, "mdt_professions")
    )
    team = open_link(page, link, wait_until="domcontentloaded")
    page.goto(team + "/q/mdt_professions#question", wait_until="domcontentloaded")
    press(page, page.locator("#answer-form button.button[type=submit]"))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator(".error-summary a").first.click()
    assert focused(page) == "answer"
    for shown in ("#question legend", "#question .error-message"):
        assert page.evaluate(IN_VIEW, shown), (shown, page.evaluate(BOX, shown))


def test_last_times_answer_is_the_fields_hint_in_a_re_audit(open_page, site):
    page = open_page(**PHONE)
    team = open_link(page, site.re_audit_open, wait_until="domcontentloaded")
    page.goto(team + "/q/sup_under3_count#question", wait_until="domcontentloaded")
    described = page.locator("#answer").get_attribute("aria-describedby").split()
    assert "last-time" in described
    hint = page.locator("#last-time").inner_text()
    assert hint.startswith("Last time (") and hint.endswith("Is this still right?")
    # the hint sits between the question and the field, as GOV.UK hints do
    assert page.evaluate(
        "document.querySelector('#last-time').compareDocumentPosition("
        "document.querySelector('#answer')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert axe_violations(page) == ""


def test_a_success_message_is_a_banner_that_takes_focus(open_page, site, console):
    page = open_page(**PHONE)
    team = open_link(page, site.partway, wait_until="domcontentloaded")
    page.goto(team + "/tasks?done=team_governance", wait_until="domcontentloaded")
    banner = page.locator("[data-notification-banner]")
    assert banner.get_attribute("role") == "alert"
    assert focused(page, "data-notification-banner") == ""
    assert "Success" in banner.inner_text() and "You have answered every question" in (
        banner.inner_text()
    )
    assert axe_violations(page) == ""
    page.keyboard.press("Tab")  # once left, the banner is out of the tab order again
    assert banner.get_attribute("tabindex") is None

    staff = open_page(**PHONE)
    staff.goto(console.replace("/admin/", "/admin/login?signed_out=1"))
    assert focused(staff, "data-notification-banner") == ""
    assert "You have signed out." in staff.locator("[data-notification-banner]").inner_text()


def test_a_text_box_counts_its_characters_and_states_its_limit_without_javascript(
    open_page, site, live_server
):
    page = open_page(**PHONE)
    open_link(page, live_server.team("Counting team"), wait_until="domcontentloaded")
    press(page, page.get_by_role("button", name="Start the audit"))  # then: who is answering
    name = page.get_by_label("Your name (optional)")
    assert "name-info" in name.get_attribute("aria-describedby")
    count = page.locator("#name-info ~ .character-count-status")
    assert count.inner_text() == "You have 80 characters remaining"
    name.fill("Dr Amira Okafor")
    assert count.inner_text() == "You have 65 characters remaining"
    name.fill("x" * 81)
    assert count.inner_text() == "You have 1 character too many"
    assert "input-error" in name.get_attribute("class")
    assert axe_violations(page) == ""
    press(page, page.get_by_role("button", name="Continue"))
    assert "Your name must be 80 characters or fewer" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Your name (optional)").input_value() == "x" * 81

    plain = open_page(java_script_enabled=False, **PHONE)
    open_link(plain, site.fresh, wait_until="domcontentloaded")  # the start page
    press(plain, plain.get_by_role("button", name="Start the audit"))
    stated = plain.locator("#name-info")
    assert stated.is_visible() and stated.inner_text() == "You can enter up to 80 characters"
    team = open_link(plain, site.complete, wait_until="domcontentloaded")
    plain.goto(team + "/q/further_anything_else", wait_until="domcontentloaded")
    stated = plain.locator("#answer-info")
    assert stated.is_visible() and stated.inner_text() == "You can enter up to 5,000 characters"


def test_an_improbable_number_waits_for_yes_this_is_right(open_page, site, live_server):
    page = open_page(**PHONE)
    link = live_server.team("Improbable team", {"sup_under3_count": 2, "sup_under3_wte": 1.4})
    team = open_link(page, link, wait_until="domcontentloaded")
    page.goto(team + "/q/sup_under3_hours#question", wait_until="domcontentloaded")
    page.locator("#answer").fill("1000")
    press(page, page.locator("#answer-form button.button[type=submit]"))
    assert (
        "more than five times the supervision they need"
        in page.locator(".error-summary").inner_text()
    )
    assert page.locator("#answer").input_value() == "1000"
    assert axe_violations(page) == ""
    page.get_by_label("Yes, this is right").check()
    press(page, page.locator("#answer-form button.button[type=submit]"))
    assert "/q/sup_under3_frequency" in page.url


def test_the_consoles_filters_fit_a_320px_screen(open_page, live_server, console):
    live_server.team("A team with a long name for the filters to list")
    page = open_page(viewport={"width": 320, "height": 800})
    page.goto(console)
    page.get_by_label("Email address").fill(CONSOLE_EMAIL)
    page.get_by_label("Password").fill(CONSOLE_PASSWORD)
    press(page, page.get_by_role("button", name="Sign in"))
    result = page.get_by_label("Result", exact=True).bounding_box()
    assert result["x"] + result["width"] <= 320
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
