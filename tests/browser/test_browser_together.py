"""Two and three phones on one audit: the conflict page and its three choices, a colleague's
note kept in their name, as members meet them; axe and the keyboard on each new choice."""

from __future__ import annotations

from bot import store
from bot.db import get_db
from bot.tree.tasks import expected_route
from bot.trees import current_tree
from tests.browser.support import axe_violations, open_link, press, token_of
from tests.browser.test_browser_keyboard import enter, focused, tab_to

LEAD = "lead_arrangement"
NOTE = "Our 8a psychologist has had no supervision since July"


def start_as(page, link: str, name: str, role: str) -> str:
    """Start as a new member does: open the link, Start, then say who is answering.

    Returns where the team's pages are for this browser.
    """
    team = open_link(page, link, wait_until="domcontentloaded")
    press(page, page.get_by_role("button", name="Start the audit"))
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Your role in the team (optional)").fill(role)
    press(page, page.get_by_role("button", name="Continue"))
    return team


def answer(page, label: str, note: str | None = None) -> None:
    page.get_by_label(label, exact=True).check()
    if note is not None:
        if not page.locator("#note").is_visible():  # an empty note is folded away
            page.locator(".note-details > summary").click()
        page.locator("#note").fill(note)
    press(page, page.get_by_role("button", name="Continue", exact=True))


def open_question(page, team: str, question_id: str = LEAD) -> None:
    page.goto(f"{team}/q/{question_id}#question", wait_until="domcontentloaded")


def team_id_of(server, link: str) -> int:
    with server.app.app_context():
        return store.team_by_token(get_db(), token_of(link))["id"]


def stored(server, link: str, question_id: str = LEAD, *, team_id: int | None = None):
    """The question's answer log and kept disagreements: (author, answer, note, kept note)."""
    team_id = team_id or team_id_of(server, link)
    with server.app.app_context():
        db = get_db()
        audit = store.audits_for_team(db, team_id)[0]
        log = store.answer_log(db, audit["id"]).get(question_id, [])
        apart = store.disagreements(db, audit["id"]).get(question_id, [])
    return (
        [(r.respondent_name, r.value, r.note, r.kept_note) for r in log],
        [(d.by.name, d.value, d.note) for d in apart],
    )


def test_a_stale_answer_on_a_phone_shows_the_conflict_page_and_use_mine_saves_it(open_page, site):
    link = site.server.team("Two phones team")
    sarah, tom = open_page("Pixel 7"), open_page("iPhone 13")
    team = start_as(sarah, link, "Dr Sarah Jones", "Clinical lead")
    start_as(tom, link, "Tom Evans", "Therapist")
    for phone in (sarah, tom):
        open_question(phone, team)
    answer(tom, "No, there is no such lead or oversight")
    answer(sarah, "Yes, they lead the team")

    heading = sarah.get_by_role("heading", level=1)
    assert heading.inner_text() == "This question was answered while you were answering"
    lead = sarah.locator(".lead").inner_text()
    assert lead.startswith("Tom Evans (Therapist) answered this question")
    assert ": ‘No, there is no such lead or oversight’" in lead
    assert "You were answering ‘Yes, they lead the team’" in lead
    assert axe_violations(sarah) == ""
    overflow = sarah.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    for choice in ("Use my answer", "Keep their answer", "Change my answer"):
        assert sarah.get_by_role("button", name=choice).bounding_box()["height"] >= 40

    press(sarah, sarah.get_by_role("button", name="Use my answer"), touch=True)
    assert "/q/lead_profession" in sarah.url
    open_question(tom, team)
    assert tom.get_by_label("Yes, they lead the team", exact=True).is_checked()
    assert stored(site.server, link)[0] == [
        ("Tom Evans", "neither", "", ""),
        ("Dr Sarah Jones", "led_by", "", ""),
    ]


def test_keep_their_answer_by_keyboard_keeps_mine_as_a_disagreement_everyone_sees(open_page, site):
    link = site.server.team("Three phones team")
    sarah, tom, ann = open_page("Pixel 7"), open_page("iPhone 13"), open_page()
    team = start_as(sarah, link, "Dr Sarah Jones", "Clinical lead")
    start_as(tom, link, "Tom Evans", "Therapist")
    start_as(ann, link, "Ann Price", "Team manager")
    open_question(tom, team)
    answer(tom, "Yes, they give clinical oversight but do not lead the team day to day", "Jo")

    # Ann meets Tom's note in his name, her own note box empty, and keeps his note by keyboard.
    open_question(ann, team)
    assert ann.locator("#note").input_value() == ""
    assert "Note by Tom Evans (Therapist)" in ann.locator("#offered-note").inner_text()
    assert axe_violations(ann) == ""
    keep = tab_to(ann, "#keep_note")
    ann.keyboard.press("Space")
    assert focused(ann)["checked"] and keep["id"] == "keep_note"

    open_question(sarah, team)
    open_question(tom, team)
    answer(tom, "No, there is no such lead or oversight", "Nobody")
    answer(sarah, "Yes, they lead the team", NOTE)
    assert "Change my answer" in sarah.locator("form").inner_text()
    tab_to(sarah, 'button[value="mine"]')
    tab_to(sarah, 'button[value="theirs"]')
    enter(sarah)
    assert "/q/" in sarah.url and "/q/lead_arrangement" not in sarah.url

    answer(ann, "Yes, they give clinical oversight but do not lead the team day to day")
    log, apart = stored(site.server, link)
    assert log == [
        ("Tom Evans", "oversight", "Jo", ""),
        ("Tom Evans", "neither", "Nobody", ""),
    ]
    assert apart == [("Dr Sarah Jones", "led_by", NOTE)]
    for page in (sarah, tom, ann):
        page.goto(f"{team}/check", wait_until="domcontentloaded")
        disagreed = page.locator(".disagreements").inner_text()
        assert "Yes, they lead the team – Dr Sarah Jones (Clinical lead)" in disagreed
        assert "(kept as a disagreement)" in disagreed and NOTE in disagreed
    assert axe_violations(tom) == ""


def test_typed_text_survives_back_a_language_switch_and_a_revoked_link(open_page, site):
    link = site.server.team("Two phones team")
    sarah, tom = open_page("Pixel 7"), open_page("iPhone 13")
    team = start_as(sarah, link, "Dr Sarah Jones", "Clinical lead")
    start_as(tom, link, "Tom Evans", "Therapist")
    for phone in (sarah, tom):
        open_question(phone, team)
    answer(tom, "No, there is no such lead or oversight")
    answer(sarah, "Yes, they lead the team", NOTE)
    # Tom gave the first answer: the conflict page says he answered it, not that he changed it
    assert "This question was answered" in sarah.get_by_role("heading", level=1).inner_text()

    # The browser's own Back button.
    with sarah.expect_navigation(wait_until="domcontentloaded"):
        sarah.go_back()
    assert sarah.get_by_label("Yes, they lead the team", exact=True).is_checked()
    assert sarah.locator("#note").input_value() == NOTE
    assert sarah.locator("#draft").is_visible()

    # Switching language by keyboard, after typing more: nothing typed is lost.
    sarah.locator("#note").fill(NOTE + " or since June")
    tab_to(sarah, 'button[lang="cy"]', key="Shift+Tab")
    enter(sarah)
    assert sarah.locator("html").get_attribute("lang") == "cy"
    assert sarah.locator("#note").input_value() == NOTE + " or since June"
    assert sarah.locator('input[name="answer"][value="led_by"]').is_checked()
    assert axe_violations(sarah) == ""

    # The link is replaced while she is typing: what she typed is in front of her.
    team_id = team_id_of(site.server, link)
    with site.server.app.app_context():
        store.reissue_link(get_db(), team_id)
    press(sarah, sarah.locator("form#answer-form button.button"))
    shown = sarah.locator("#typed").inner_text()
    assert NOTE + " or since June" in shown and "Oes, maen nhw'n arwain y tîm" in shown
    assert axe_violations(sarah) == ""
    assert stored(site.server, link, team_id=team_id)[0] == [("Tom Evans", "neither", "", "")]
    # Tom's session ended with the link: his team's pages, and the old link, open nothing.
    for address in (f"{team}/check", link):
        refused = tom.goto(address, wait_until="domcontentloaded")
        assert refused.status == 404, address
        assert "This audit link is not valid" in tom.locator("main").inner_text()


def test_members_are_sent_to_different_questions_and_see_who_is_on_which(open_page, site):
    link = site.server.team("Sharing team")
    with site.server.app.app_context():
        route = expected_route(current_tree(), {})
    tom, sarah, ann = open_page("iPhone 13"), open_page("Pixel 7"), open_page()
    start_as(tom, link, "Tom Evans", "Therapist")
    assert f"/q/{route[0]}" in tom.url
    start_as(sarah, link, "Dr Sarah Jones", "Clinical lead")
    assert f"/q/{route[1]}" in sarah.url
    here = sarah.locator("#people-here")
    assert here.bounding_box()["y"] < sarah.viewport_size["height"]
    assert here.inner_text().startswith("Also working on this audit\nTom Evans (Therapist) is on ‘")
    assert axe_violations(sarah) == ""

    tom.locator("#answer").fill("3")
    press(tom, tom.get_by_role("button", name="Continue", exact=True))
    assert f"/q/{route[2]}" in tom.url

    # Ann joins an audit under way: where it stands and Continue come first, on one screen.
    open_link(ann, link, wait_until="domcontentloaded")  # the start page
    carry_on = ann.get_by_role("button", name="Continue the audit")
    box = carry_on.bounding_box()
    assert box["y"] + box["height"] < ann.viewport_size["height"]
    assert "Your team has answered 1 of about" in ann.locator("main").inner_text()
    assert axe_violations(ann) == ""
    ann.get_by_label("Your name (optional)").fill("Ann Price")
    press(ann, carry_on)
    assert f"/q/{route[3]}" in ann.url
    people = ann.locator("#people-here").inner_text()
    assert "Tom Evans (Therapist) is on ‘" in people and "Dr Sarah Jones" in people
    sarah.reload(wait_until="domcontentloaded")
    with sarah.expect_navigation(wait_until="domcontentloaded"):
        sarah.locator("#people-here a").first.click()
    assert f"/q/{route[2]}" in sarah.url or f"/q/{route[3]}" in sarah.url
    assert stored(site.server, link, route[0])[0] == [("Tom Evans", 3, "", "")]


def test_a_member_without_a_name_is_asked_once_and_answers_by_keyboard(open_page, site):
    link = site.server.team("Nameless team")
    tom, phone = open_page(), open_page("Pixel 7")
    team = start_as(tom, link, "Tom Evans", "Therapist")
    open_question(tom, team)
    answer(tom, "Yes, they give clinical oversight but do not lead the team day to day", "Jo")
    open_link(phone, link, wait_until="domcontentloaded")  # the start page
    press(phone, phone.get_by_role("button", name="Continue the audit"), touch=True)
    open_question(phone, team)
    answer(phone, "No, there is no such lead or oversight")

    assert phone.get_by_role("heading", level=1).inner_text() == "Would you add your name?"
    assert "a member without a name, on a phone, since " in phone.locator("main").inner_text()
    assert axe_violations(phone) == ""
    tab_to(phone, "#name")
    phone.keyboard.type("Sam Ahmed")
    tab_to(phone, 'button[type="submit"]')
    enter(phone)
    assert "/q/" in phone.url and "/name" not in phone.url
    assert stored(site.server, link)[0] == [
        ("Tom Evans", "oversight", "Jo", ""),
        ("Sam Ahmed", "neither", "", ""),
    ]
    tom.goto(f"{team}/check", wait_until="domcontentloaded")
    assert "changed by Sam Ahmed" in tom.locator(f"#answer-{LEAD}").inner_text()
