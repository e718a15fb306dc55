"""A question and its Continue button on an iPhone's first screen (390 x 664), over a whole
audit and a whole re-audit: where the button is on arrival is recorded for every page."""

from __future__ import annotations

from tests.browser.support import choose_answer, open_link, press
from tests.profiles import SPECIALISED

PHONE = {
    "viewport": {"width": 390, "height": 664},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
CONTINUE = "#answer-form button.button[type=submit]"
PLACES = f"""() => {{
  const button = document.querySelector('{CONTINUE}').getBoundingClientRect();
  const heading = document.querySelector('#question-heading').getBoundingClientRect();
  return [heading.top, button.bottom, innerHeight];
}}"""
# Issue 32 asks for nine in ten, in an audit and in a re-audit. The misses left are the long
# lists of options (professions, models, mechanisms), taller than a phone's screen.
AT_LEAST = AT_LEAST_IN_A_RE_AUDIT = 0.9


def walk_recording(page, live_server, answers) -> dict[str, tuple[bool, int]]:
    """Answer every question as a member does; return, per question, whether the heading and
    Continue were on the first screen on arrival, and where Continue's bottom edge was."""
    places = {}
    while "/q/" in page.url:
        question_id = page.url.split("/q/")[1].split("#")[0].split("?")[0]
        top, bottom, height = page.evaluate(PLACES)
        places[question_id] = (top >= 0 and bottom <= height, round(bottom))
        choose_answer(page, live_server.question_type(question_id), answers[question_id])
        press(page, page.locator(CONTINUE), touch=True, wait_until="load")
    return places


def fitted(places) -> float:
    return sum(fits for fits, _ in places.values()) / len(places)


def test_most_questions_of_an_audit_fit_a_phone_screen_with_their_continue_button(
    open_page, live_server
):
    page = open_page(**PHONE)
    open_link(page, live_server.team("First screen team"))
    press(page, page.get_by_role("button", name="Start the audit"), touch=True, wait_until="load")
    press(page, page.get_by_role("link", name="Not now, carry on"), touch=True, wait_until="load")
    places = walk_recording(page, live_server, SPECIALISED)
    assert "/check" in page.url
    assert fitted(places) >= AT_LEAST, {q: p for q, p in places.items() if not p[0]}


def test_most_questions_of_a_re_audit_fit_a_phone_screen_with_their_continue_button(
    open_page, live_server
):
    page = open_page(**PHONE)
    team = open_link(
        page, live_server.team("First screen re-audit team", SPECIALISED, finished=True)
    )
    page.goto(team + "/next-audit", wait_until="load")
    press(page, page.get_by_role("button", name="Start the next audit"), touch=True)
    page.goto(team + "/next", wait_until="load")
    places = walk_recording(page, live_server, SPECIALISED)
    assert fitted(places) >= AT_LEAST_IN_A_RE_AUDIT, {q: p for q, p in places.items() if not p[0]}
