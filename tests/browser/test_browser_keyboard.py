"""Keyboard only: every question type with Tab, arrows, Space and Enter; focus always seen."""

from __future__ import annotations

import pytest

from tests.browser.pages import TARGETED
from tests.browser.support import open_link

MAX_TABS = 40

# The focused element, whether it matches `selector`, and whether its focus can be seen: an
# outline that is drawn and not transparent, or a box shadow (the GOV.UK yellow-and-black).
FOCUS = """(selector) => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const clear = (colour) => colour === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(colour);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        && !clear(style.outlineColor);
    return {
        matches: element.matches(selector),
        visible: outline || style.boxShadow !== "none",
        what: element.outerHTML.slice(0, 120),
        id: element.id,
        value: element.value ?? null,
        checked: element.checked ?? null,
    };
}"""


def focused(page, selector: str = "*") -> dict:
    return page.evaluate(FOCUS, selector)


def tab_to(page, selector: str, *, key: str = "Tab") -> dict:
    """Press Tab until `selector` has focus, checking that every stop on the way shows it."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page, selector)
        assert now["visible"], f"focus cannot be seen on {now['what']}"
        if now["matches"]:
            return now
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {selector}")


def enter(page) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.keyboard.press("Enter")


def answer_with_keys(page, question_type: str, value) -> None:
    if question_type in ("single_choice", "yes_no"):
        now = tab_to(page, 'input[name="answer"]')
        if now["value"] == value:
            page.keyboard.press("Space")
        for _ in range(20):
            if now["value"] == value and now["checked"]:
                break
            page.keyboard.press("ArrowDown")
            now = focused(page)
        assert now["value"] == value and now["checked"], now
    elif question_type == "multiple_choice":
        now = tab_to(page, 'input[name="answer"]')
        while now["matches"]:
            if now["value"] in value:
                page.keyboard.press("Space")
                assert focused(page)["checked"], now
            page.keyboard.press("Tab")
            now = focused(page, 'input[name="answer"]')
            assert now["visible"], f"focus cannot be seen on {now['what']}"
    else:
        tab_to(page, "#answer")
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(str(value))
    tab_to(page, 'button[type="submit"]')


def assert_on_question(page, question_id: str) -> None:
    assert f"/q/{question_id}" in page.url
    assert page.evaluate("document.activeElement.id") == "question", "focus not on the question"


@pytest.fixture
def page(kept_page):
    return kept_page()


def test_keyboard_only_from_the_start_page_through_every_question_type(page, live_server):
    link = live_server.team("Keyboard parent-infant team")
    team = open_link(page, link)  # the start page
    skip = tab_to(page, ".skip-link")
    assert skip["visible"]
    assert page.locator(".skip-link").bounding_box()["x"] >= 0, "the skip link stays off screen"
    tab_to(page, '#start-form button[type="submit"]')
    enter(page)
    tab_to(page, "#name")  # who is answering, the next page
    page.keyboard.type("Kim")
    tab_to(page, "#role")
    page.keyboard.type("Parent-infant therapist")
    tab_to(page, '#name-form button[type="submit"]')
    enter(page)

    # The first questions: whole number, decimals and a single choice.
    for question_id in (
        "sup_under3_count",
        "sup_under3_wte",
        "sup_under3_hours",
        "sup_under3_frequency",
        "sup_under3_each",
    ):
        assert_on_question(page, question_id)
        answer_with_keys(page, live_server.question_type(question_id), TARGETED[question_id])
        enter(page)

    # Enter with no answer: the error summary takes focus; its link leads to the box.
    assert_on_question(page, "sup_3plus_count")
    tab_to(page, 'button[type="submit"]')
    enter(page)
    assert page.evaluate("document.activeElement.dataset.errorSummary") == ""
    assert page.locator(".error-summary").is_visible()
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "answer"
    page.keyboard.type("3")
    enter(page)  # Enter in a text box sends the form (its Continue, not a language button)
    assert page.evaluate("document.documentElement.lang") == "en-GB"

    # Multiple choice with Space, yes/no with the arrows, short and long text.
    for question_id in ("mdt_professions", "mdt_relationship_expertise"):
        live_server.answer(link, live_server.answers_before(TARGETED, question_id))
        page.goto(team + "/next")
        assert_on_question(page, question_id)
        answer_with_keys(page, live_server.question_type(question_id), TARGETED[question_id])
        enter(page)
        assert_on_question(page, live_server.question_after(TARGETED, question_id))
    for question_id in ("referral_limiting_other", "further_anything_else"):
        live_server.answer(link, live_server.answers_before(TARGETED, question_id))
        page.goto(team + "/next")
        assert_on_question(page, question_id)
        answer_with_keys(page, live_server.question_type(question_id), TARGETED[question_id])
        enter(page)
    assert page.url.endswith("/check")

    # Change an answer from the check page, then finish: Shift+Tab reaches the last button.
    tab_to(page, 'a[href*="/q/sup_under3_count?return_to=check"]')
    enter(page)
    assert_on_question(page, "sup_under3_count")
    answer_with_keys(page, "whole_number", 4)
    enter(page)
    assert page.url.endswith("/check#answer-sup_under3_count")  # back at the changed row
    assert "4 practitioners" in page.locator(".summary-row").first.inner_text()
    # Keyboard focus now starts at that row: the next Tab is its own Change link.
    page.keyboard.press("Tab")
    assert focused(page, '#answer-sup_under3_count a[href*="return_to=check"]')["matches"]
    # From a fresh load of the page it starts at the top, so Shift+Tab reaches the last button.
    page.goto(page.url.split("#")[0], wait_until="domcontentloaded")
    tab_to(page, 'button[type="submit"]', key="Shift+Tab")
    enter(page)
    assert page.url.endswith("/result")

    tab_to(page, 'a[href$="/action-plan.docx"]')
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".docx")
