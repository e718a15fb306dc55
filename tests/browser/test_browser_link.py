"""The team's link in a browser: it opens a session, and an address after it opens nothing else.

A team page's address (in a printed footer, a screenshot, a shared computer's history) opens
the page only in the browser that opened the link, and only while the link is live.
"""

from __future__ import annotations

from bot import store
from bot.db import get_db
from tests.browser.support import open_link, token_of

NOT_VALID = "This audit link is not valid"


def refused(page, address: str) -> bool:
    response = page.goto(address, wait_until="domcontentloaded")
    return response.status == 404 and NOT_VALID in page.locator("main").inner_text()


def test_a_team_pages_address_opens_nothing_in_another_browser(open_page, site):
    member = open_page()
    member.goto(open_link(member, site.finished) + "/result")
    address = member.url
    assert "Riverside parent-infant team" in member.locator("main").inner_text()

    stranger = open_page()
    assert refused(stranger, address)
    assert "Riverside parent-infant team" not in stranger.locator("main").inner_text()
    assert token_of(site.finished) not in stranger.content()


def test_a_revoked_links_session_is_refused(open_page, live_server):
    link = live_server.team("Revoked parent-infant team")
    page = open_page("Pixel 7")
    team = open_link(page, link)
    question = f"{team}/q/sup_under3_count"
    page.goto(question, wait_until="domcontentloaded")
    page.locator("#answer").fill("4")
    with live_server.app.app_context():
        team_id = store.team_by_token(get_db(), token_of(link))["id"]
        store.revoke_link(get_db(), team_id)

    # The answer sent after the link was revoked is refused, and shown back, not saved.
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Continue", exact=True).click()
    assert NOT_VALID in page.locator("main").inner_text()
    assert page.locator("#typed p").all_inner_texts()[-1] == "4"
    with live_server.app.app_context():
        audits = store.audits_for_team(get_db(), team_id)
        assert all(store.answer_log(get_db(), audit["id"]) == {} for audit in audits)
    for address in (question, f"{team}/check", f"{team}/", link):
        assert refused(page, address), address
