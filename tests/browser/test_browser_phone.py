"""The journey on a 390 px phone: nothing to hunt for after Back, Change or a language switch."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_violations, open_link, press
from tests.profiles import SPECIALISED

# An iPhone 12 to 15: 390 x 844 CSS pixels. A "screen" below is the viewport's height.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
SCREEN = PHONE["viewport"]["height"]

IN_VIEW = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, height: innerHeight};
}"""


def in_view(page, selector: str) -> bool:
    box = page.evaluate(IN_VIEW, selector)
    return box["top"] >= 0 and box["bottom"] <= box["height"]


def tap(page, control) -> None:
    """Tap `control` and wait for the whole next page (its layout is measured after)."""
    press(page, control, touch=True, wait_until="load")


@pytest.fixture
def phone(kept_page):
    return kept_page(**PHONE)


@pytest.fixture
def late_in_the_audit(live_server):
    """A team at the last question of the longest audit, every earlier answer given."""
    last = live_server.path(SPECIALISED)[-1]
    link = live_server.team(answers=live_server.answers_before(SPECIALISED, last))
    return link, last


@pytest.mark.parametrize(
    "position",
    [
        pytest.param(5, id="sixth-question"),
        pytest.param(18, id="deep-in-the-longest-domain"),
        pytest.param(-1, id="last-question"),
    ],
)
def test_the_back_link_is_on_the_first_screen_of_the_question(phone, live_server, position):
    question_id = live_server.path(SPECIALISED)[position]
    link = live_server.team(answers=live_server.answers_before(SPECIALISED, question_id))
    team = open_link(phone, link)
    phone.goto(f"{team}/q/{question_id}#question", wait_until="load")
    assert in_view(phone, "#question-heading")
    assert in_view(phone, "#question .back-link")
    assert phone.evaluate("scrollY") > 0, "the page did not open at the question"


def test_a_late_question_page_stays_under_three_screens(phone, live_server, late_in_the_audit):
    link, last = late_in_the_audit
    team = open_link(phone, link)
    phone.goto(f"{team}/q/{last}#question", wait_until="load")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * SCREEN, f"{height}px is {height / SCREEN:.2f} screens"
    # Every earlier domain is there as one line, linked to its answers.
    assert phone.locator(".transcript-domain-earlier a").count() >= 5


def test_an_earlier_domain_opens_its_answers_on_the_check_page(phone, late_in_the_audit):
    link, last = late_in_the_audit
    team = open_link(phone, link)
    phone.goto(f"{team}/q/{last}#question", wait_until="load")
    first = phone.locator(".transcript-domain-earlier a").first
    title = first.locator(".transcript-domain-title").inner_text()
    tap(phone, first)
    assert "/check#domain-" in phone.url
    heading = phone.get_by_role("heading", name=title, exact=True)
    assert heading.is_visible()
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert -1 < top < SCREEN / 2, f"the domain's heading is at {top}px"


def test_after_a_change_the_changed_row_is_in_view(phone, live_server):
    link = live_server.team(answers=SPECIALISED)
    team = open_link(phone, link)
    phone.goto(f"{team}/check", wait_until="load")
    row = "#answer-clinical_dyadic"
    change = phone.locator(f'{row} a[href*="return_to=check"]')
    change.scroll_into_view_if_needed()
    tap(phone, change)
    current = SPECIALISED["clinical_dyadic"]
    other = phone.locator(f'input[name="answer"]:not([value="{current}"])').first
    other.check()
    tap(phone, phone.get_by_role("button", name="Continue", exact=True))
    assert phone.url.endswith("/check#answer-clinical_dyadic")
    assert phone.evaluate("scrollY") > SCREEN, "the check page opened at its top"
    assert in_view(phone, f"{row} .summary-key")


def test_after_a_language_switch_the_question_is_in_view(phone, late_in_the_audit):
    link, last = late_in_the_audit
    team = open_link(phone, link)
    phone.goto(f"{team}/q/{last}#question", wait_until="load")
    # On a question page the switch is a button: it sends what is typed along (issue 31).
    tap(phone, phone.get_by_role("button", name="Cymraeg"))
    assert phone.evaluate("document.documentElement.lang") == "cy"
    assert phone.url.split("#")[0].endswith(f"/q/{last}")
    assert in_view(phone, "#question-heading")
    tap(phone, phone.get_by_role("button", name="English"))
    assert phone.evaluate("document.documentElement.lang") == "en-GB"
    assert in_view(phone, "#question-heading")


def test_a_language_switch_works_the_same_without_javascript(open_page, late_in_the_audit):
    page = open_page(**PHONE, java_script_enabled=False)
    link, last = late_in_the_audit
    team = open_link(page, link)
    page.goto(f"{team}/q/{last}#question", wait_until="load")
    tap(page, page.get_by_role("button", name="Cymraeg"))
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert in_view(page, "#question-heading")
    assert in_view(page, "#question .back-link")


@pytest.mark.parametrize("path", ["/privacy", "/accessibility", "/contact"])
@pytest.mark.parametrize("language", ["English", "Cymraeg"])
def test_each_trust_page_reads_in_both_languages_and_passes_axe(phone, live_server, path, language):
    phone.goto(live_server.url + "/", wait_until="load")
    if language == "Cymraeg":
        tap(phone, phone.get_by_role("link", name="Cymraeg"))
    footer_link = phone.locator(f'footer a[href="{path}"]')
    tap(phone, footer_link)
    assert phone.evaluate("document.documentElement.lang") == (
        "cy" if language == "Cymraeg" else "en-GB"
    )
    assert phone.locator("h1").inner_text()
    assert (
        phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
    )
    assert axe_violations(phone) == ""


def test_the_start_page_list_of_what_to_have_ready_matches_the_tree(phone, live_server):
    from bot.trees import current_tree

    with live_server.app.app_context():
        tree = current_tree()
        expected = list(dict.fromkeys(q.ready for q in tree.questions if q.ready))
    open_link(phone, live_server.team())  # the start page
    assert phone.locator(".ready-list li").all_inner_texts() == expected
    tap(phone, phone.get_by_role("link", name="See every question you will be asked"))
    shown = phone.locator(".question-list-text").all_inner_texts()
    assert len(shown) == len(tree.questions)
    assert phone.get_by_role("button", name="Print this page").is_visible()
