"""Nothing a member types is lost or put under someone else's name (issue 31).

Two and three members on one audit, each in their own browser (the test client). Every test
checks the stored answer log (author, answer, note, when) and what each member's pages show.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from docx import Document

from bot import store
from bot.db import get_db
from bot.tree.tasks import expected_route
from bot.trees import current_tree
from tests.audit_support import form_data, path_of, team_at, walk
from tests.conftest import csrf_token
from tests.profiles import SPECIALISED
from tests.together_support import LEAD, conflict_form, member, shown, text

SUPERVISOR_NOTE = "Her supervisor post is vacant"
SARAHS_NOTE = "Our 8a psychologist has had no supervision since July"
TOM = "Tom Evans (Therapist)"
SARAH = "Dr Sarah Jones (Clinical lead)"
ANN = "Ann Price (Team manager)"
NEITHER = "No, there is no such lead or oversight"
LED_BY = "Yes, they lead the team"


@pytest.fixture
def three(app, team):
    team_id, token = team
    sarah = member(app, token, "Dr Sarah Jones", "Clinical lead")
    tom = member(app, token, "Tom Evans", "Therapist")
    ann = member(app, token, "Ann Price", "Team manager")
    return team_id, token, sarah, tom, ann


def the_audit(db, team_id):
    return store.current_audit(db, team_id, tree_id="x", tree_version="x", tree_digest="x")


def log(app, team_id, question_id):
    """The question's stored answers, oldest first: (author, answer, note, kept note, kept by)."""
    with app.app_context():
        db = get_db()
        chain = store.answer_log(db, the_audit(db, team_id)["id"]).get(question_id, [])
    times = [record.answered_at for record in chain]
    assert times == sorted(times) and all(time is not None for time in times)
    return [
        (
            record.respondent_name,
            record.value,
            record.note,
            record.kept_note,
            record.kept_note_by.name if record.kept_note_by else None,
        )
        for record in chain
    ]


def kept_apart(app, team_id, question_id):
    """The disagreements kept for the question: (author, answer, note, against whose answer)."""
    with app.app_context():
        db = get_db()
        audit_id = the_audit(db, team_id)["id"]
        found = store.disagreements(db, audit_id).get(question_id, [])
        log_by_id = {r.id: r for rs in store.answer_log(db, audit_id).values() for r in rs}
    assert all(apart.recorded is not None for apart in found)
    return [
        (apart.by.name, apart.value, apart.note, log_by_id[apart.against_answer_id].respondent_name)
        for apart in found
    ]


def answer_row(client, token, question_id) -> str:
    """The check page's row for one question, as text."""
    page = client.get(f"{team_at(client, token)}/check").text
    return words(page.split(f'id="answer-{question_id}"')[1].split('<div class="summary-row"')[0])


def disagreed(client, token) -> str:
    page = text(client.get(f"{team_at(client, token)}/check"))
    return page.split("Where you disagreed")[1].split("Team composition")[0]


def note_box(page: str) -> str:
    return unescape(re.search(r'<textarea class="textarea" id="note"[^>]*>([^<]*)<', page)[1])


def plan_text(client, token) -> str:
    response = client.get(f"{team_at(client, token)}/action-plan.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def post(client, token, question_id, fields, value, note="", **extra):
    return client.post(
        f"{team_at(client, token)}/q/{question_id}",
        data={**form_data(value, note), **fields, **extra},
    )


# -- 1. every answer and note stays its author's ----------------------------------------------


def test_a_colleagues_note_is_shown_in_their_name_and_never_moves_to_my_answer(app, three):
    team_id, token, sarah, tom, _ = three
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "oversight", SUPERVISOR_NOTE)

    page, sarahs = shown(sarah, token, LEAD)
    offered = text_of(page, "offered-note")
    assert f"Note by {TOM}" in offered and SUPERVISOR_NOTE in offered
    assert note_box(page) == ""
    assert 'value="oversight" checked' in page
    assert re.search(r'name="keep_note" type="checkbox" value="\d+">', page)
    assert "given by Tom Evans (Therapist)" in text_of(page, "colleague-answer")

    assert post(sarah, token, LEAD, sarahs, "neither").status_code == 302
    assert log(app, team_id, LEAD) == [
        ("Tom Evans", "oversight", SUPERVISOR_NOTE, "", None),
        ("Dr Sarah Jones", "neither", "", "", None),
    ]
    for client in (sarah, tom):
        row = answer_row(client, token, LEAD)
        assert NEITHER in row and SUPERVISOR_NOTE not in row
        versions = disagreed(client, token)
        assert f"{TOM}," in versions and SUPERVISOR_NOTE in versions
        assert f"{NEITHER} – {SARAH}," in versions
    # Tom now meets Sarah's answer as a colleague's: his own note box starts empty too.
    page, _ = shown(tom, token, LEAD)
    assert note_box(page) == "" and "given by Dr Sarah Jones (Clinical lead)" in words(page)


def test_keeping_a_colleagues_note_is_recorded_in_their_name(app, three):
    team_id, token, sarah, tom, _ = three
    walk(tom, token, SPECIALISED)
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "oversight", SUPERVISOR_NOTE)
    tom_answer = int(shown(sarah, token, LEAD)[1]["revision"])

    _, sarahs = shown(sarah, token, LEAD)
    post(sarah, token, LEAD, sarahs, "neither", "Day to day: Jo", keep_note=str(tom_answer))
    assert log(app, team_id, LEAD)[-1] == (
        "Dr Sarah Jones",
        "neither",
        "Day to day: Jo",
        SUPERVISOR_NOTE,
        "Tom Evans",
    )
    for client in (sarah, tom):
        row = answer_row(client, token, LEAD)
        assert "Day to day: Jo" in row and SUPERVISOR_NOTE in row
        assert f"Note by {TOM}, kept with this answer" in row
    # On Sarah's own page her note is hers to edit; Tom's stays his, kept (ticked).
    page, _ = shown(sarah, token, LEAD)
    assert note_box(page) == "Day to day: Jo"
    assert f"Note by {TOM}, kept with this answer" in text_of(page, "offered-note")
    assert re.search(r'name="keep_note" type="checkbox" value="\d+" checked', page)
    assert f"Note by {TOM}, kept with this answer: {SUPERVISOR_NOTE}" in plan_text(sarah, token)


def test_confirming_a_colleagues_answer_adds_nothing_in_my_name(app, three):
    team_id, token, sarah, tom, _ = three
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "oversight", SUPERVISOR_NOTE)
    _, sarahs = shown(sarah, token, LEAD)
    assert post(sarah, token, LEAD, sarahs, "oversight").status_code == 302
    assert log(app, team_id, LEAD) == [("Tom Evans", "oversight", SUPERVISOR_NOTE, "", None)]
    assert SUPERVISOR_NOTE in answer_row(sarah, token, LEAD)


def stale_answer(token, sarah, tom, note=SARAHS_NOTE):
    """Both open the question; Tom saves "No lead"; Sarah then posts "led by" with her note."""
    _, sarahs = shown(sarah, token, LEAD)
    _, toms = shown(tom, token, LEAD)
    assert post(tom, token, LEAD, toms, "neither", "Nobody").status_code == 302
    conflict = post(sarah, token, LEAD, sarahs, "led_by", note)
    assert conflict.status_code == 409
    return conflict


def test_keep_their_answer_keeps_mine_as_a_named_dated_disagreement(app, three):
    team_id, token, sarah, tom, _ = three
    walk(tom, token, SPECIALISED)
    conflict = stale_answer(token, sarah, tom)
    page = text(conflict)
    for choice, value in (("Use my answer", "mine"), ("Keep their answer", "theirs")):
        assert f'name="conflict" value="{value}">{choice}<' in conflict.text
    assert 'name="conflict" value="change">Change my answer<' in conflict.text
    assert "kept in your name as a disagreement" in page

    kept = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}", data={**conflict_form(conflict), "conflict": "theirs"}
    )
    assert kept.status_code == 302
    assert log(app, team_id, LEAD)[-1] == ("Tom Evans", "neither", "Nobody", "", None)
    assert kept_apart(app, team_id, LEAD) == [
        ("Dr Sarah Jones", "led_by", SARAHS_NOTE, "Tom Evans")
    ]
    for client in (sarah, tom):
        versions = disagreed(client, token)
        assert f"{LED_BY} – {SARAH}," in versions and "(kept as a disagreement)" in versions
        assert SARAHS_NOTE in versions
        assert f"{NEITHER} – {TOM}," in versions and "(the answer now)" in versions
        assert NEITHER in answer_row(client, token, LEAD)
    plan = plan_text(tom, token)
    assert f"{SARAH} disagreed on " in plan
    assert f"‘{LED_BY}’. Note: {SARAHS_NOTE}" in plan


def test_change_my_answer_goes_back_to_the_question_with_mine_filled_in(app, three):
    team_id, token, sarah, tom, _ = three
    conflict = stale_answer(token, sarah, tom)
    change = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}", data={**conflict_form(conflict), "conflict": "change"}
    )
    assert change.status_code == 302 and f"/q/{LEAD}" in change.headers["Location"]
    page, fields = shown(sarah, token, LEAD)
    assert 'value="led_by" checked' in page and note_box(page) == SARAHS_NOTE
    assert "Your answer is not saved yet" in words(page)
    assert log(app, team_id, LEAD) == [("Tom Evans", "neither", "Nobody", "", None)]
    # Tom's page shows only what is saved.
    toms_page, _ = shown(tom, token, LEAD)
    assert SARAHS_NOTE not in toms_page and "not saved yet" not in toms_page

    assert post(sarah, token, LEAD, fields, "led_by", "Our 8a psychologist").status_code == 302
    assert log(app, team_id, LEAD)[-1] == (
        "Dr Sarah Jones",
        "led_by",
        "Our 8a psychologist",
        "",
        None,
    )
    assert "not saved yet" not in shown(sarah, token, LEAD)[0]


def test_three_members_each_keep_their_own_words(app, three):
    team_id, token, sarah, tom, ann = three
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "oversight", SUPERVISOR_NOTE)
    _, sarahs = shown(sarah, token, LEAD)
    _, anns = shown(ann, token, LEAD)
    post(ann, token, LEAD, anns, "led_by", keep_note=anns["revision"])
    conflict = post(sarah, token, LEAD, sarahs, "neither", "Nobody leads since March")
    assert conflict.status_code == 409
    page = text(conflict)
    assert f"{ANN} changed this answer" in page
    assert "Note kept" in page and f"Written by {TOM}" in page
    used = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}", data={**conflict_form(conflict), "conflict": "mine"}
    )
    assert used.status_code == 302
    assert log(app, team_id, LEAD) == [
        ("Tom Evans", "oversight", SUPERVISOR_NOTE, "", None),
        ("Ann Price", "led_by", "", SUPERVISOR_NOTE, "Tom Evans"),
        ("Dr Sarah Jones", "neither", "Nobody leads since March", "", None),
    ]
    for client in (sarah, tom, ann):
        row = answer_row(client, token, LEAD)
        assert "Nobody leads since March" in row and SUPERVISOR_NOTE not in row
        versions = disagreed(client, token)
        assert versions.index(TOM) < versions.index(ANN) < versions.index(SARAH)


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def text_of(page: str, element_id: str) -> str:
    """The text at the start of the element with this id, up to its first inner or closing div."""
    part = page.split(f'id="{element_id}"', 1)[1]
    return words(part.split("<div", 1)[0].split("</div>", 1)[0])


# -- 2. typed text survives every way out ----------------------------------------------------


def test_back_from_the_conflict_page_keeps_what_was_typed(app, three):
    team_id, token, sarah, tom, _ = three
    conflict = stale_answer(token, sarah, tom)
    back = re.search(r'<a href="([^"]+)" class="back-link"', conflict.text)[1]
    page = sarah.get(unescape(back)).text
    assert 'value="led_by" checked' in page and note_box(page) == SARAHS_NOTE
    assert "Your answer is not saved yet" in words(page)
    assert log(app, team_id, LEAD) == [("Tom Evans", "neither", "Nobody", "", None)]
    assert SARAHS_NOTE not in tom.get(f"{team_at(tom, token)}/q/{LEAD}").text


def test_back_from_the_no_longer_applies_page_shows_the_answer_kept(app, three):
    team_id, token, sarah, tom, _ = three
    _, sarahs = shown(sarah, token, "lead_profession")
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "neither")
    late = post(sarah, token, "lead_profession", sarahs, "clinical_psychologist", "Dr Ahmed")
    assert late.status_code == 200
    page = words(late.text)
    assert (
        f"because {TOM} changed ‘Does one senior clinician lead the team, or give it clinical "
        f"oversight?’ to ‘{NEITHER}’ at " in page
    )
    assert f'href="/t/{team_id}/q/{LEAD}#question">See that answer or change it<' in late.text
    back = re.search(r'<a href="([^"]+)" class="back-link"', late.text)[1]
    again = sarah.get(unescape(back))
    assert again.status_code == 200
    assert 'value="clinical_psychologist" checked' in again.text
    assert "no longer applies" in words(again.text)
    assert log(app, team_id, "lead_profession") == [
        ("Dr Sarah Jones", "clinical_psychologist", "Dr Ahmed", "", None)
    ]
    # Tom, who never answered it, is sent on as before.
    assert tom.get(f"{team_at(tom, token)}/q/lead_profession").status_code == 302


def test_a_language_switch_keeps_what_was_typed(app, three):
    team_id, token, sarah, tom, _ = three
    page, fields = shown(sarah, token, LEAD)
    switch = re.search(r'formaction="([^"]+language=cy[^"]*)"', page)[1]
    moved = sarah.post(unescape(switch), data={**form_data("led_by", SARAHS_NOTE), **fields})
    assert moved.status_code == 302
    welsh = sarah.get(moved.headers["Location"]).text
    assert '<html lang="cy">' in welsh
    assert 'value="led_by" checked' in welsh and note_box(welsh) == SARAHS_NOTE
    assert "Nid yw eich ateb wedi’i gadw eto" in words(welsh)
    assert log(app, team_id, LEAD) == []
    _, fields = shown(sarah, token, LEAD)
    assert post(sarah, token, LEAD, fields, "led_by", SARAHS_NOTE).status_code == 302
    assert log(app, team_id, LEAD) == [("Dr Sarah Jones", "led_by", SARAHS_NOTE, "", None)]
    assert 'id="draft"' not in shown(sarah, token, LEAD)[0]


@pytest.mark.parametrize("closed_by", ["revoked", "expired", "archived"])
def test_a_link_closed_while_typing_shows_what_was_typed_and_who_to_ask(new_app, closed_by):
    app = new_app(WTF_CSRF_ENABLED=False, CONTACT_EMAIL="help@example.org")
    with app.app_context():
        team_id, token = store.create_team(get_db(), "Closing team")
    sarah = member(app, token, "Dr Sarah Jones", "Clinical lead")
    _, fields = shown(sarah, token, LEAD)
    with app.app_context():
        db = get_db()
        if closed_by == "revoked":
            store.reissue_link(db, team_id)
        elif closed_by == "archived":
            store.archive_team(db, team_id)
        else:
            db.execute("UPDATE links SET expires = '2000-01-01T00:00:00.000000+00:00'")
    closed = sarah.post(  # from the page already open, under the session's address
        f"/t/{team_id}/q/{LEAD}", data={**form_data("led_by", SARAHS_NOTE), **fields}
    )
    assert closed.status_code == 404
    page = words(closed.text)
    assert "your answer was not saved" in page
    assert "What you typed Question: Does one senior clinician lead the team" in page
    assert f"{LED_BY} {SARAHS_NOTE}" in page
    assert "Who to ask for a new link Ask the person who sent you the link" in page
    assert 'href="mailto:help@example.org"' in closed.text
    assert log(app, team_id, LEAD) == []


def test_an_expired_session_keeps_what_was_typed_and_whose_it_is(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        team_id, token = store.create_team(get_db(), "Expiring team")
    sarah = app.test_client()
    start = sarah.get(f"{team_at(sarah, token)}/")
    sarah.post(
        f"{team_at(sarah, token)}/",
        data={"name": "Dr Sarah Jones", "role": "", "csrf_token": csrf_token(start.text)},
    )
    page = sarah.get(f"{team_at(sarah, token)}/q/{LEAD}").text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    fields["csrf_token"] = csrf_token(page)
    # The browser is closed and opened again: a new session, the page still on screen.
    later = app.test_client()
    expired = later.post(
        f"{team_at(later, token)}/q/{LEAD}", data={**fields, **form_data("led_by", SARAHS_NOTE)}
    )
    assert expired.status_code == 422
    assert "This page has expired" in expired.text
    assert 'value="led_by" checked' in expired.text and note_box(expired.text) == SARAHS_NOTE
    assert log(app, team_id, LEAD) == []
    again = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', expired.text))
    again["csrf_token"] = csrf_token(expired.text)
    saved = later.post(
        f"{team_at(later, token)}/q/{LEAD}", data={**again, **form_data("led_by", SARAHS_NOTE)}
    )
    assert saved.status_code == 302
    assert log(app, team_id, LEAD) == [("Dr Sarah Jones", "led_by", SARAHS_NOTE, "", None)]


# -- 3. sharing the work ---------------------------------------------------------------------


def route_order(app):
    with app.app_context():
        return list(expected_route(current_tree(), {}))


def test_start_and_continue_pass_over_questions_colleagues_have_open(app, team):
    team_id, token = team
    route = route_order(app)
    tom = member(app, token, "Tom Evans", "Therapist")
    first = path_of(tom.get(f"{team_at(tom, token)}/next")).rsplit("/", 1)[1]
    assert first == route[0]
    _, toms = shown(tom, token, first)

    ann = app.test_client()
    started = ann.post(
        f"{team_at(ann, token)}/", data={"name": "Ann Price", "role": "Team manager"}
    )
    second = path_of(started).rsplit("/", 1)[1]
    assert second == route[1]
    shown(ann, token, second)
    sarah = member(app, token, "Dr Sarah Jones", "Clinical lead")
    third = path_of(sarah.get(f"{team_at(sarah, token)}/next")).rsplit("/", 1)[1]
    assert third == route[2]
    page, _ = shown(sarah, token, third)
    here = unescape(page.split('id="people-here"')[1].split("</ul>")[0])
    assert f'{TOM} is on ‘<a href="/t/{team_id}/q/{first}#question">' in here
    assert f'{ANN} is on ‘<a href="/t/{team_id}/q/{second}#question">' in here

    # Tom answers: he is sent on past both colleagues' questions.
    moved_on = post(tom, token, first, toms, 3)
    assert path_of(moved_on) == f"/t/{team_id}/q/{route[3]}"
    assert log(app, team_id, first) == [("Tom Evans", 3, "", "", None)]
    # Ann has gone quiet for longer than a few minutes: her question is offered again.
    with app.app_context():
        db = get_db()
        ann_id = db.execute("SELECT id FROM respondents WHERE name = 'Ann Price'").fetchone()[0]
        quiet = store.utc_now() - timedelta(minutes=11)
        store.mark_present(db, ann_id, the_audit(db, team_id)["id"], second, at=quiet)
    assert path_of(sarah.get(f"{team_at(sarah, token)}/next")) == f"/t/{team_id}/q/{second}"
    assert (
        ANN
        not in text(sarah.get(f"{team_at(sarah, token)}/q/{third}")).split("Your team’s answers")[0]
    )


def test_a_new_member_starts_with_one_tap_then_says_who_is_answering(app, team):
    team_id, token = team
    client = app.test_client()
    prefix = team_at(client, token)
    fresh = client.get(f"{prefix}/").text
    assert 'name="name"' not in fresh and "Start the audit</button>" in fresh
    started = client.post(f"{prefix}/", data={"who": "next"})
    assert started.status_code == 302
    asking = started.headers["Location"]
    assert asking.startswith(f"{prefix}/name?") and "first=1" in asking
    page = client.get(asking).text
    assert "<h1>Who is answering? (optional)</h1>" in page
    assert "We ask only once" not in page
    given = client.post(asking, data={"name": "Nia Rees", "role": "Health visitor"})
    first = path_of(given)
    assert "/q/" in first
    question_id = first.rsplit("/", 1)[1]
    client.post(first, data=form_data(SPECIALISED[question_id]))
    with app.app_context():
        audit = store.latest_audit(get_db(), team_id)
        stored = store.current_answers(get_db(), audit["id"])[question_id]
    assert (stored.respondent_name, stored.respondent_role) == ("Nia Rees", "Health visitor")


def test_a_returning_members_start_page_shows_where_the_audit_stands_and_continue_first(app, team):
    team_id, token = team
    fresh = app.test_client().get(f"/a/{token}/", follow_redirects=True).text
    # A new member: what the audit is for in one sentence, then Start, then the introduction.
    assert fresh.index("Hold your team up against") < fresh.index("Start the audit</button>")
    assert fresh.index("Start the audit</button>") < fresh.index("What the self-audit is for")
    tom = member(app, token, "Tom Evans", "Therapist")
    walk_first = path_of(tom.get(f"{team_at(tom, token)}/next")).rsplit("/", 1)[1]
    _, toms = shown(tom, token, walk_first)
    post(tom, token, walk_first, toms, 2)
    shown(tom, token, route_order(app)[1])

    page = app.test_client().get(f"/a/{token}/", follow_redirects=True).text
    status = page.index("Your team has answered 1 of about")
    button = page.index("Continue the audit</button>")
    assert status < button < page.index("What the self-audit is for")
    assert button < page.index('id="people-here"') < page.index("What the self-audit is for")
    assert f"{TOM} is on ‘" in unescape(page)
    assert log(app, team_id, walk_first) == [("Tom Evans", 2, "", "", None)]


# -- 4. members without a name ---------------------------------------------------------------

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Mobile Safari/537.36"
NAMELESS_PHONE = r"a member without a name, on a phone, since \d\d:\d\d"
NAMELESS_COMPUTER = r"a member without a name, on a computer, since \d\d:\d\d"


def nameless(app, token, agent=None):
    client = app.test_client()
    if agent:
        client.environ_base["HTTP_USER_AGENT"] = agent
    assert (
        client.post(f"{team_at(client, token)}/", data={"name": "", "role": ""}).status_code == 302
    )
    return client


def test_members_without_a_name_are_told_apart_and_asked_once_for_a_name(app, team):
    team_id, token = team
    tom = member(app, token, "Tom Evans", "Therapist")
    _, toms = shown(tom, token, LEAD)
    post(tom, token, LEAD, toms, "oversight", SUPERVISOR_NOTE)
    _, toms = shown(tom, token, "referral_pathway")
    post(tom, token, "referral_pathway", toms, "informal")
    phone, laptop = nameless(app, token, PHONE), nameless(app, token)

    # Changing Tom's answer, the member on a phone is asked for a name, politely, once.
    _, fields = shown(phone, token, LEAD)
    changed = post(phone, token, LEAD, fields, "neither")
    assert path_of(changed) == f"/t/{team_id}/name"
    asking = phone.get(changed.headers["Location"])
    page = words(asking.text)
    assert "Would you add your name?" in page
    assert re.search(f"Without a name, your colleagues see you as ‘{NAMELESS_PHONE}’", page)
    carry_on = re.search(r'<a class="link-secondary" href="([^"]+)">Not now', asking.text)[1]
    assert f"/t/{team_id}/q/" in unescape(carry_on)
    _, fields = shown(phone, token, "referral_pathway")
    again = post(phone, token, "referral_pathway", fields, "written_and_shared")
    assert "/name" not in again.headers["Location"]

    # The member on a computer gives a name when asked: their answers carry it.
    _, fields = shown(laptop, token, LEAD)
    asked = post(laptop, token, LEAD, fields, "led_by")
    named = laptop.post(asked.headers["Location"], data={"name": "Sam Ahmed", "role": ""})
    assert path_of(named).startswith(f"/t/{team_id}/q/")
    assert log(app, team_id, LEAD) == [
        ("Tom Evans", "oversight", SUPERVISOR_NOTE, "", None),
        ("", "neither", "", "", None),
        ("Sam Ahmed", "led_by", "", "", None),
    ]

    versions = disagreed(tom, token)
    assert re.search(f"{NEITHER} – {NAMELESS_PHONE},", versions)
    assert f"{LED_BY} – Sam Ahmed," in versions
    start = words(tom.get(f"{team_at(tom, token)}/?intro=1").text)
    assert re.search(f"A{NAMELESS_PHONE[1:]} – last answered", start)
    assert "Sam Ahmed – last answered" in start and "Someone in the team" not in start
    here = words(tom.get(f"{team_at(tom, token)}/q/{LEAD}").text).split("Your team’s answers")[0]
    assert re.search(f"A{NAMELESS_PHONE[1:]} is on ‘", here)
    assert "Sam Ahmed has this question open" in here


def test_two_members_without_a_name_are_never_merged_into_one(app, team):
    team_id, token = team
    phone, laptop = nameless(app, token, PHONE), nameless(app, token)
    _, fields = shown(phone, token, LEAD)
    post(phone, token, LEAD, fields, "oversight", SUPERVISOR_NOTE)
    _, fields = shown(laptop, token, LEAD)
    conflict_free = post(laptop, token, LEAD, fields, "neither", keep_note=fields["revision"])
    assert path_of(conflict_free) == f"/t/{team_id}/name"
    row = answer_row(phone, token, LEAD)
    assert re.search(f"Note by {NAMELESS_PHONE}, kept with this answer", row)
    assert re.search(f"changed by {NAMELESS_COMPUTER}", row)
    with app.app_context():
        db = get_db()
        chain = store.answer_log(db, the_audit(db, team_id)["id"])[LEAD]
    assert chain[0].respondent_id != chain[1].respondent_id
    assert [r.respondent_device for r in chain] == ["phone", "computer"]
    assert chain[1].kept_note_by.id == chain[0].respondent_id
