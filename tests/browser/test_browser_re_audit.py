"""A re-audit in real chromium: last time's answers confirmed in one tap each, then the movement.

A colleague has already confirmed the first and last domains when the browser arrives, so the
browser confirms the four domains between them (referrals, where the answer changes, to
outcomes), a page each, and finishes. Every question of a re-audit showing last time's
answer is tested through HTTP (`tests/test_re_audit.py`); a whole audit a page at a time in
chromium is `test_browser_journeys.py`'s.
"""

from __future__ import annotations

import pytest

from tests.browser.support import choose_answer, open_link, press, question_id_of
from tests.profiles import PROFILES

# "The team accepts referrals for children aged two years and under. If referrals are only
# accepted up to a year, then this would be a targeted team." (the self-audit page, referrals)
LAST_YEAR = next(p for p in PROFILES if p.name == "referrals only up to the first birthday")
CONFIRMED_BY_A_COLLEAGUE = ("team_governance", "further_practice")


@pytest.mark.parametrize(
    ("device_name", "javascript"),
    [pytest.param("Pixel 7", True, id="android"), pytest.param(None, False, id="no-javascript")],
)
def test_a_team_confirms_what_has_not_changed_and_sees_how_far_it_moved(
    open_page, live_server, device_name, javascript
):
    touch = device_name is not None
    link = live_server.team("Brook parent-infant team", LAST_YEAR.answers, finished=True)
    page = open_page(device_name, java_script_enabled=javascript)

    page.goto(open_link(page, link) + "/result")
    press(page, page.get_by_role("link", name="Start your next audit"), touch=touch)
    assert page.locator("h1").inner_text() == "Start your next audit?"
    press(page, page.get_by_role("button", name="Start the next audit"), touch=touch)
    assert "This is a re-audit" in page.locator("#re-audit").inner_text()
    already = {
        question_id: value
        for question_id, value in LAST_YEAR.answers.items()
        if live_server.domain_of(question_id) in CONFIRMED_BY_A_COLLEAGUE
    }
    live_server.answer(link, already)
    press(page, page.get_by_role("button", name="Start the audit"), touch=touch)
    press(page, page.get_by_role("link", name="Not now, carry on"), touch=touch)  # no name

    confirmed = []
    while (question_id := question_id_of(page.url)) is not None:
        last_time = page.locator("#last-time")
        assert last_time.is_visible(), question_id
        assert "Is this still right?" in last_time.inner_text()
        if question_id == "referral_age_range":
            choose_answer(page, "single_choice", "to_second_birthday_or_beyond")
        press(page, page.get_by_role("button", name="Confirm and continue"), touch=touch)
        confirmed.append(question_id)
    assert not set(confirmed) & set(already)
    assert set(confirmed) | set(already) == set(LAST_YEAR.answers)

    press(page, page.get_by_role("button", name="Finish and see the result"), touch=touch)
    assert (
        page.locator(".panel-title").inner_text() == "Specialised parent-infant relationship team"
    )
    movement = page.locator(".movement")
    assert "your result was targeted parent-infant relationship team" in movement.inner_text()
    rows = movement.locator("tbody tr")
    assert rows.count() == 1
    assert "Age range up to two" in rows.first.inner_text()
    assert "Moved forward" in rows.first.inner_text()
