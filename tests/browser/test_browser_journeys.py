"""A whole audit through the chat in real chromium: on phones, and with JavaScript switched off.

The team's link is opened once, at the start: no address the browser goes to or asks for after
it, nor the printed check page or result, holds the link's token.
"""

from __future__ import annotations

import zipfile
from urllib.parse import urlsplit

import docx
import pytest

from tests.browser.support import (
    LOOK,
    choose_answer,
    open_link,
    press,
    printed_text,
    question_id_of,
    shows_token,
    token_of,
)
from tests.profiles import PROFILES, SPECIALISED

# The longest audit on one phone; the other journeys skip the six optional questions at the end.
SHORTER = next(p for p in PROFILES if p.name == "skips the optional block in one answer").answers
# On the Android phone the member's answers to the first domain are stored for them once they
# have given their name: its twenty pages are the iPhone's, in the same chromium at a width
# 22 px wider, and the phone answers the five domains after it, a page each.
ANSWERED_FOR_THEM = ("team_governance",)
JOURNEYS = [
    pytest.param("iPhone 13", True, SPECIALISED, (), id="iphone"),
    pytest.param("Pixel 7", True, SHORTER, ANSWERED_FOR_THEM, id="android"),
    pytest.param(None, False, SHORTER, (), id="no-javascript"),
]


def path_of(page) -> str:
    """The page's path under the team's address (`/t/<team id>`), without query or fragment."""
    return "/" + urlsplit(page.url).path.split("/", 3)[3]


def watch_addresses(page) -> tuple[list[tuple[str, str]], list[str]]:
    """Record every request the page makes, as (address, referer), and every address it shows."""
    requested, visited = [], []
    page.on(
        "request",
        lambda request: requested.append((request.url, request.headers.get("referer", ""))),
    )
    page.on("framenavigated", lambda frame: frame == page.main_frame and visited.append(frame.url))
    return requested, visited


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def answer_through_the_chat(page, live_server, answers, *, javascript: bool, touch: bool):
    asked = []
    while (question_id := question_id_of(page.url)) is not None:
        assert question_id in answers, f"the site asked {question_id}, not in the profile"
        seen = page.evaluate(LOOK)
        assert seen["heading"], question_id
        assert seen["sideways"] <= 0, f"{question_id} scrolls sideways by {seen['sideways']}px"
        assert seen["earlier"] >= min(len(asked), 1), f"{question_id} lost the conversation"
        if javascript:
            assert seen["focused"] == "question", f"focus not on {question_id}"
        choose_answer(page, live_server.question_type(question_id), answers[question_id])
        press(page, page.get_by_role("button", name="Continue", exact=True), touch=touch)
        asked.append(question_id)
    return asked


@pytest.mark.long
@pytest.mark.parametrize(("device_name", "javascript", "answers", "answered_for_them"), JOURNEYS)
def test_a_whole_audit_through_the_chat_ends_with_a_word_plan(
    open_page, live_server, tmp_path, device_name, javascript, answers, answered_for_them
):
    touch = device_name is not None
    page = open_page(device_name, java_script_enabled=javascript)
    link = live_server.team("Hillside parent-infant team")
    token = token_of(link)
    requested, visited = watch_addresses(page)
    team = open_link(page, link)
    assert requested[0] == (link, "")  # the link itself, and nothing before it
    assert page.locator("h1").inner_text().startswith("Self-audit for specialised")
    assert sideways_scroll(page) <= 0
    start = page.get_by_role("button", name="Start the audit")
    box = start.bounding_box()
    if device_name is not None:  # on a phone, Start is on the first screen
        assert box["y"] + box["height"] <= page.viewport_size["height"]
    press(page, start, touch=touch)
    assert page.locator("h1").inner_text() == "Who is answering? (optional)"
    page.get_by_label("Your name (optional)").fill("Sam")
    page.get_by_label("Your role in the team (optional)").fill("Clinical lead")
    press(page, page.get_by_role("button", name="Continue"), touch=touch)
    already = {
        question_id: value
        for question_id, value in answers.items()
        if live_server.domain_of(question_id) in answered_for_them
    }
    if already:
        live_server.answer(link, already, as_last_to_start=True)
        page.goto(team + "/next")

    asked = answer_through_the_chat(page, live_server, answers, javascript=javascript, touch=touch)
    assert not set(asked) & set(already)
    assert set(asked) | set(already) == set(answers)
    assert path_of(page) == "/check"
    assert page.locator("h1").inner_text() == "Check your answers"
    assert sideways_scroll(page) <= 0
    printed = printed_text(page)
    assert "/t/" in printed and not shows_token(printed, token), printed

    press(page, page.locator('a[href*="/q/referral_age_range?return_to=check"]'), touch=touch)
    page.get_by_label("Only up to the first birthday").check()
    press(page, page.get_by_role("button", name="Continue", exact=True), touch=touch)
    assert path_of(page) == "/check"
    changed = page.locator(".summary-row", has_text="Up to what age do you accept referrals")
    assert "Only up to the first birthday" in changed.inner_text()
    # One person gave every answer: the page says so once, not under every row.
    assert "Sam" not in changed.inner_text()
    once = "All these answers were given by Sam (Clinical lead)."
    assert once in page.locator("main").inner_text()

    press(page, page.get_by_role("button", name="Finish and see the result"), touch=touch)
    assert path_of(page) == "/result"
    assert page.locator(".panel-title").inner_text() == "Targeted parent-infant relationship team"
    assert sideways_scroll(page) <= 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your action plan (Word)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert zipfile.is_zipfile(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "word/document.xml" in archive.namelist()
    text = "\n".join(paragraph.text for paragraph in docx.Document(saved).paragraphs)
    assert "Hillside parent-infant team" in text

    printed = printed_text(page)  # the result, as a team prints it for its board
    assert "/t/" in printed and not shows_token(printed, token), printed
    assert "Hillside parent-infant team" in printed

    # Every page the browser showed, and every request it made after the link (pages, posts,
    # styles, scripts, the Word plan, with where each came from), left the token behind.
    assert len(visited) > len(asked) and all(token not in url for url in visited), visited
    later = [(url, referer) for url, referer in requested[1:] if token in url + referer]
    assert later == [] and len(requested) > 2 * len(asked), later
