"""Two phones on one audit: the conflict page, as a member meets it, and axe on it."""

from __future__ import annotations

from tests.browser.support import axe_violations, press

LEAD = "lead_arrangement"


def start_as(page, link: str, name: str, role: str) -> None:
    page.goto(link + "/", wait_until="domcontentloaded")
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Your role in the team (optional)").fill(role)
    press(page, page.get_by_role("button", name="Start the audit"))


def answer(page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    press(page, page.get_by_role("button", name="Continue", exact=True))


def test_a_stale_answer_on_a_phone_shows_the_conflict_page_and_use_mine_saves_it(open_page, site):
    link = site.server.team("Two phones team")
    sarah, tom = open_page("Pixel 7"), open_page("iPhone 13")
    start_as(sarah, link, "Dr Sarah Jones", "Clinical lead")
    start_as(tom, link, "Tom Evans", "Therapist")
    for phone in (sarah, tom):
        phone.goto(f"{link}/q/{LEAD}#question", wait_until="domcontentloaded")
    answer(tom, "No, there is no such lead or oversight")
    answer(sarah, "Yes, they lead the team")

    heading = sarah.get_by_role("heading", level=1)
    assert heading.inner_text() == "This answer was changed while you were answering"
    lead = sarah.locator(".lead").inner_text()
    assert lead.startswith("Tom Evans (Therapist) changed this answer")
    assert "to ‘No, there is no such lead or oversight’" in lead
    assert "You were answering ‘Yes, they lead the team’" in lead
    assert axe_violations(sarah) == ""
    overflow = sarah.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    use_mine = sarah.get_by_role("button", name="Use my answer")
    assert use_mine.bounding_box()["height"] >= 40  # a thumb-sized target

    press(sarah, use_mine, touch=True)
    assert "/q/lead_profession" in sarah.url
    tom.goto(f"{link}/q/{LEAD}#question", wait_until="domcontentloaded")
    assert tom.get_by_label("Yes, they lead the team", exact=True).is_checked()


def test_keep_theirs_on_a_phone_leaves_their_answer(open_page, site):
    link = site.server.team("Two phones team")
    sarah, tom = open_page("Pixel 7"), open_page("Pixel 7")
    for phone, name in ((sarah, "Sarah"), (tom, "Tom")):
        start_as(phone, link, name, "")
        phone.goto(f"{link}/q/{LEAD}#question", wait_until="domcontentloaded")
    answer(tom, "No, there is no such lead or oversight")
    answer(sarah, "Yes, they lead the team")
    press(sarah, sarah.get_by_role("button", name="Keep their answer"), touch=True)
    sarah.goto(f"{link}/q/{LEAD}#question", wait_until="domcontentloaded")
    assert sarah.get_by_label("No, there is no such lead or oversight", exact=True).is_checked()
