"""A double tap sends a form once: a second submit within a second of the first is stopped.

A real double tap on a local server is over before it can be seen (the first answer comes back
in milliseconds), so the tests fire the submit events themselves and read which the page's
script let through; the page's clock is Playwright's, moved on by hand.
"""

from __future__ import annotations

from tests.browser.support import open_link, press
from tests.profiles import SPECIALISED

TWO_SUBMITS = """(selector) => {
    const form = document.querySelector(selector);
    const first = new SubmitEvent("submit", { cancelable: true });
    const second = new SubmitEvent("submit", { cancelable: true });
    form.dispatchEvent(first);
    form.dispatchEvent(second);
    return [first.defaultPrevented, second.defaultPrevented];
}"""


def test_a_second_submit_of_an_answer_is_stopped_for_a_second(open_page, live_server):
    page = open_page("Pixel 7")
    page.clock.install()
    team = open_link(page, live_server.team("Double tap team"))
    page.goto(team + "/q/sup_under3_count#question")
    assert page.evaluate(TWO_SUBMITS, "form[data-chat-form]") == [False, True]
    # A page the browser brings back (Back, after the answer was sent) can be sent again.
    page.clock.run_for(1_100)
    assert page.evaluate(TWO_SUBMITS, "form[data-chat-form]") == [False, True]


def test_a_second_submit_of_start_the_next_audit_is_stopped(open_page, live_server):
    link = live_server.team("Double tap re-audit team", SPECIALISED, finished=True)
    page = open_page()
    page.goto(open_link(page, link) + "/result")
    press(page, page.get_by_role("link", name="Start your next audit"))
    selector = "form:has(button[data-prevent-double-click])"
    assert page.evaluate(TWO_SUBMITS, selector) == [False, True]


def test_a_form_without_the_marker_is_left_alone(open_page, live_server):
    """The start page's form (name and role) is sent each time it is submitted."""
    page = open_page()
    open_link(page, live_server.team("Plain form team"))  # the start page
    unmarked = "form:not([data-chat-form]):not(:has([data-prevent-double-click]))"
    assert page.locator(unmarked).count() == 1
    assert page.evaluate(TWO_SUBMITS, unmarked) == [False, False]
