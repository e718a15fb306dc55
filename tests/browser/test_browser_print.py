"""The result and check pages printed (or saved as PDF) from Chromium: a clean one-page record."""

from __future__ import annotations

import re
import unicodedata

from tests.browser.support import open_link, printed_text, shows_token, token_of

HIDDEN_WHEN_PRINTED = {
    "the download button": ".download .button",
    "the change-your-answers button": "form button[type=submit]",
    "the language switch": ".language-switch",
    "the skip link": ".skip-link",
}

LOOK = """(selector) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element).display : null;
}"""


def displays(page) -> dict[str, str | None]:
    return {name: page.evaluate(LOOK, selector) for name, selector in HIDDEN_WHEN_PRINTED.items()}


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def test_the_printed_result_hides_the_controls_and_fits_one_page(open_page, site):
    page = open_page()
    page.goto(open_link(page, site.finished) + "/result")
    on_screen = displays(page)
    assert all(shown not in (None, "none") for shown in on_screen.values()), on_screen

    page.emulate_media(media="print")
    printed = displays(page)
    assert all(shown == "none" for shown in printed.values()), printed
    headline = page.evaluate(
        """() => {
        const panel = getComputedStyle(document.querySelector(".panel"));
        const title = getComputedStyle(document.querySelector(".panel-title"));
        return [title.color, panel.backgroundColor, panel.borderTopStyle];
    }"""
    )
    assert headline[0] == "rgb(0, 0, 0)"
    assert headline[1] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert headline[2] == "solid"
    table = page.evaluate("getComputedStyle(document.querySelector('.domain-table')).breakInside")
    assert table == "avoid"
    assert page.get_by_role("heading", name="Why this is a targeted result").is_visible()

    assert pdf_pages(page.pdf(format="A4")) == 1


def test_the_printed_check_page_has_the_answers_without_change_links(open_page, site):
    page = open_page()
    page.goto(open_link(page, site.complete) + "/check")
    change = "document.querySelector('.summary-actions')"
    assert page.evaluate(f"getComputedStyle({change}).display") != "none"
    page.emulate_media(media="print")
    assert page.evaluate(f"getComputedStyle({change}).display") == "none"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('form button')).display") == "none"
    )
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.language-switch')).display"
    ) == ("none")
    assert page.locator(".summary-value").first.is_visible()


def test_the_printed_result_names_its_audit_and_holds_no_token(open_page, site):
    """Printed with the browser's headers and footers (title, date, address): nothing opens."""
    token = token_of(site.finished)
    page = open_page()
    page.goto(open_link(page, site.finished) + "/result")
    assert token not in page.url and "/t/" in page.url
    text = printed_text(page)
    assert "/t/" in text  # the footer's address is there, and it is the session's
    assert not shows_token(text, token)
    flat = unicodedata.normalize("NFKC", text)  # "ﬁ" ligatures to "fi"
    assert "Riverside parent-infant team" in flat
    assert "Questions version" in flat and "Audit finished on" in flat, flat
    assert "Contributors:" in flat
