"""Cymraeg: chosen with the link on the start page, kept across pages, switched mid-audit."""

from __future__ import annotations

from tests.browser.support import choose_answer, open_link, press
from tests.profiles import SPECIALISED


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def switch_language(page, name: str) -> None:
    """Choose a language: a link, or on a question page a button sending what is typed."""
    switch = page.locator(".language-switch")
    control = switch.get_by_role("button", name=name).or_(switch.get_by_role("link", name=name))
    press(page, control)


def test_welsh_chosen_on_the_start_page_is_kept_through_the_audit(open_page, live_server):
    page = open_page("Pixel 7")
    link = live_server.team("Tîm rhiant-baban Caerdydd")
    open_link(page, link)
    start = page.url  # the team's start page, without the token
    assert html_lang(page) == "en-GB"
    switch_language(page, "Cymraeg")
    assert page.url == start
    assert html_lang(page) == "cy"
    assert page.locator('.language-switch [aria-current="true"]').inner_text() == "Cymraeg"
    english = page.locator(".language-switch").get_by_role("button", name="English")
    assert english.get_attribute("lang") == "en-GB"

    press(page, page.locator("main form button[type=submit]"))
    # Who is answering, in Welsh; what is typed survives a switch to English and back.
    assert html_lang(page) == "cy"
    page.locator("#name").fill("Siân ap Rhys")
    switch_language(page, "English")
    assert html_lang(page) == "en-GB"
    assert page.get_by_label("Your name (optional)").input_value() == "Siân ap Rhys"
    switch_language(page, "Cymraeg")
    assert page.locator("#name").input_value() == "Siân ap Rhys"
    press(page, page.locator("main form button[type=submit]"))
    for question_id in ("sup_under3_count", "sup_under3_wte"):
        assert f"/q/{question_id}" in page.url
        assert html_lang(page) == "cy"
        choose_answer(page, live_server.question_type(question_id), SPECIALISED[question_id])
        press(page, page.locator("form[data-chat-form] button[type=submit]"))

    # Switching mid-audit keeps the question and the conversation so far.
    question_url = page.url.split("#")[0]
    assert question_url.endswith("/q/sup_under3_hours")
    switch_language(page, "English")
    assert page.url.split("#")[0] == question_url
    assert html_lang(page) == "en-GB"
    assert page.locator(".transcript .chat-pair").count() == 2
    switch_language(page, "Cymraeg")
    assert page.url.split("#")[0] == question_url
    assert html_lang(page) == "cy"
    assert page.locator(".transcript .chat-pair").count() == 2
    assert "2" in page.locator(".transcript .bubble-answer").first.inner_text()


def test_the_team_pages_read_in_welsh(open_page, site):
    """Every heading, label and button differs from the English one.

    This needs the complete Welsh catalogue for the team's pages (issue 6): a new English
    string in a team template without its Welsh translation fails here.
    """
    english, welsh = open_page(), open_page()
    team = open_link(welsh, site.partway)
    open_link(english, site.partway)
    welsh.goto(team + "/?intro=1")
    switch_language(welsh, "Cymraeg")
    for path in ("/?intro=1", "/q/mdt_professions", "/check"):
        texts = []
        for page in (english, welsh):
            page.goto(team + path)
            texts.append(
                page.locator(
                    # who else is here depends on who came first, not on the language
                    "main h1, main h2:not(.people-here h2), main label, main button, main legend"
                ).all_inner_texts()
            )
        # A folded-away control (an empty note) reads as "" in both languages: not English.
        same = [text for text, cymraeg in zip(*texts, strict=True) if text == cymraeg and text]
        assert same == [], f"{path} still in English: {same}"
