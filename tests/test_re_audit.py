"""Re-audits: last time's answers to confirm, the movement since, and the earlier audits kept."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from docx import Document

from bot import store
from bot.db import get_db
from bot.tree.engine import evaluate
from bot.trees import current_tree
from tests.admin_support import make_admin, sign_in_directly
from tests.audit_support import form_data, path_of, team_at, walk
from tests.conftest import Walk
from tests.national_support import table_cell as cell
from tests.profiles import SPECIALISED

# "The team accepts referrals for children aged two years and under. If referrals are only
# accepted up to a year, then this would be a targeted team." (the self-audit page, referrals)
UP_TO_A_YEAR = {**SPECIALISED, "referral_age_range": "to_first_birthday"}
#: A team's first audit, answered through the site and finished (`walked`).
FINISHED_UP_TO_A_YEAR = Walk(UP_TO_A_YEAR)
FINISHED_SPECIALISED = Walk(SPECIALISED)
FINISHED_BY_ALED = Walk(SPECIALISED, member=("Aled", "Clinical lead"), note="Minuted at the board")


class SubmittedForm(HTMLParser):
    """What a browser sends when the question form is submitted as it is shown: one tap."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.action = None
        self._in_form = False
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-chat-form" in attrs:
            self._in_form, self.action = True, attrs["action"]
        if not self._in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.data.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.setdefault(self._textarea, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def finish(client, token, answers, note=""):
    walk(client, token, answers, note=note)
    assert (
        path_of(client.post(f"{team_at(client, token)}/finish"))
        == f"{team_at(client, token)}/result"
    )


def start_next_audit(client, token):
    confirm = client.get(f"{team_at(client, token)}/next-audit")
    assert confirm.status_code == 200
    assert "Start your next audit?" in confirm.text
    response = client.post(f"{team_at(client, token)}/next-audit")
    assert response.status_code == 302


def confirm_all(client, token, changes=None):
    """Go through the re-audit tapping the button on each question; return the questions."""
    changes = changes or {}
    asked = {}
    location = path_of(client.get(f"{team_at(client, token)}/next"))
    while "/q/" in location:
        question_id = location.rsplit("/", 1)[1]
        page = client.get(location)
        assert page.status_code == 200
        asked[question_id] = page.text
        if question_id in changes:
            data = form_data(changes[question_id])
        else:
            data = SubmittedForm(page.text).data
        response = client.post(location, data=data)
        assert response.status_code == 302, response.text[:1500]
        location = path_of(response)
    assert location == f"{team_at(client, token)}/check"
    return asked


def result_title(app, answers):
    with app.app_context():
        tree = current_tree()
        return tree.results_by_id[evaluate(tree, answers).classification].title


@pytest.mark.walked(Walk(UP_TO_A_YEAR, member=("Aled", "Clinical lead"), note="Checked in March"))
def test_every_question_shows_last_times_answer_and_confirming_all_gives_the_same_result(
    app, walked
):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    first_result = result_title(app, UP_TO_A_YEAR)
    assert first_result == "Targeted parent-infant relationship team"

    start_next_audit(client, token)
    start = client.get(f"{team_at(client, token)}/?intro=1").text
    assert "This is a re-audit" in start

    other = app.test_client()  # a colleague confirms, in another browser
    other.post(
        f"{team_at(other, token)}/", data={"name": "Bethan", "role": "Parent-infant therapist"}
    )
    asked = confirm_all(other, token)
    assert set(asked) == set(UP_TO_A_YEAR)
    for question_id, page in asked.items():
        assert "Last time (" in page and "Is this still right?" in page, question_id
        assert "Confirm and continue" in page
    assert re.search(r"Last time \(\w+ \d{4}\): 2 practitioners\.", asked["sup_under3_count"])
    # A choice already set to last time's answer says so rather than repeat its options.
    assert re.search(r"Last time \(\w+ \d{4}\): as selected below\.", asked["referral_pathway"])
    assert 'value="2"' in asked["sup_under3_count"]
    # Last time's note is shown apart, in its writer's name, not put in Bethan's own box.
    assert "Last time’s note, by Aled" in asked["referral_pathway"]
    assert "Checked in March" in asked["referral_pathway"].split("Last time’s note")[1]
    assert re.search(r'<textarea[^>]*name="note"[^>]*></textarea>', asked["referral_pathway"])

    assert (
        path_of(other.post(f"{team_at(other, token)}/finish")) == f"{team_at(other, token)}/result"
    )
    result = other.get(f"{team_at(other, token)}/result").text
    assert f'class="panel-title">{first_result}</h1>' in result
    assert "Since your last audit" in result
    assert "as it was last time" in result
    assert "Descriptors whose status moved" not in result

    with app.app_context():
        db = get_db()
        new, old = store.audits_for_team(db, team_id)
        kept = store.current_answers(db, new["id"])
        earlier = store.current_answers(db, old["id"])
    assert {question_id: r.value for question_id, r in kept.items()} == UP_TO_A_YEAR
    assert {r.respondent_name for r in kept.values()} == {"Bethan"}
    assert {r.respondent_name for r in earlier.values()} == {"Aled"}
    # Confirmed as it was, the note stays Aled's: kept with Bethan's answer, in his name.
    assert kept["referral_pathway"].note == ""
    assert kept["referral_pathway"].kept_note == "Checked in March"
    assert kept["referral_pathway"].kept_note_by_id == earlier["referral_pathway"].respondent_id


@pytest.mark.walked(FINISHED_BY_ALED)
def test_a_re_audit_answer_given_without_last_times_note_is_stored_with_only_its_own(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    start_next_audit(client, token)
    other = app.test_client()
    other.post(f"{team_at(other, token)}/", data={"name": "Bethan", "role": "Therapist"})
    page = other.get(f"{team_at(other, token)}/q/referral_pathway").text
    keep = re.search(r'<input[^>]*name="keep_note"[^>]*>', page).group(0)
    assert "checked" in keep  # confirming keeps last time's note unless it is unticked
    posted = other.post(
        f"{team_at(other, token)}/q/referral_pathway",
        data={"answer": SPECIALISED["referral_pathway"], "note": "Pathway rewritten in May"},
    )
    assert posted.status_code == 302
    with app.app_context():
        new, _old = store.audits_for_team(get_db(), team_id)
        stored = store.current_answers(get_db(), new["id"])["referral_pathway"]
    assert (stored.respondent_name, stored.note, stored.kept_note) == (
        "Bethan",
        "Pathway rewritten in May",
        "",
    )


@pytest.mark.walked(FINISHED_UP_TO_A_YEAR)
def test_changing_one_answer_moves_its_descriptor_and_the_movement_table_shows_it(app, walked):
    [team] = walked
    token, client = team.token, team.member(app)
    start_next_audit(client, token)
    confirm_all(client, token, changes={"referral_age_range": "to_second_birthday_or_beyond"})

    check = client.get(f"{team_at(client, token)}/check").text
    table = check.split("Descriptors whose status moved")[1].split("</table>")[0]
    with app.app_context():
        title = current_tree().descriptors_by_id["referral_age_range"].title
    rows = re.findall(r"<tr class=\"move-(\w+)\">(.*?)</tr>", table, re.S)
    assert len(rows) == 1
    direction, row = rows[0]
    assert direction == "improved"
    assert title in row and "Not met" in row and "Met" in row

    client.post(f"{team_at(client, token)}/finish")
    result = client.get(f"{team_at(client, token)}/result").text
    assert "your result was targeted parent-infant relationship team" in result
    assert "Now it is specialised parent-infant relationship team" in result
    assert title in result.split("Descriptors whose status moved")[1].split("</table>")[0]

    plan = Document(io.BytesIO(client.get(f"{team_at(client, token)}/action-plan.docx").data))
    cells = [[cell.text for cell in row.cells] for table in plan.tables for row in table.rows]
    assert ["Referrals and accessibility", title, "Met", "Not met – moved forward"] in cells


def page_one_texts(document) -> list[str]:
    """The paragraphs of page one: everything before the first section break."""
    texts = []
    for paragraph in document.paragraphs:
        texts.append(paragraph.text)
        if paragraph._p.pPr is not None and paragraph._p.pPr.sectPr is not None:
            break
    return texts


# Last year: referrals only to one and no AIMH assessment; this year both are fixed.
LAST_YEAR_WITHOUT_AIMH = {**UP_TO_A_YEAR, "staff_aimh_level": "not_assessed"}


@pytest.mark.walked(Walk(LAST_YEAR_WITHOUT_AIMH))
def test_a_re_audit_plan_opens_with_the_movement_and_last_times_actions(app, walked):
    before = LAST_YEAR_WITHOUT_AIMH
    [team] = walked
    token, client = team.token, team.member(app)
    start_next_audit(client, token)
    confirm_all(
        client,
        token,
        changes={
            "referral_age_range": "to_second_birthday_or_beyond",
            "staff_aimh_level": "all_practitioners",
        },
    )
    client.post(f"{team_at(client, token)}/finish")
    plan = Document(io.BytesIO(client.get(f"{team_at(client, token)}/action-plan.docx").data))
    first_page = page_one_texts(plan)
    movement = next(text for text in first_page if text.startswith("Moved forward"))
    assert re.match(
        r"Moved forward since your last audit \(\w+ \d{4}\): 8 → 10 of 10 descriptors of the "
        r"definition met\. Result: Not yet meeting the definition → Specialised parent-infant "
        r"relationship team\.$",
        movement,
    )
    assert first_page.index(movement) < first_page.index(
        "Result: Specialised parent-infant relationship team"
    )
    last_time = next(t for t in plan.tables if t.rows[0].cells[-1].text == "Done or carried over")
    rows = [[cell.text for cell in row.cells] for row in last_time.rows[1:]]
    with app.app_context():
        tree = current_tree()
        expected = evaluate(tree, before).descriptors
        titles = {d.id: d.title for d in tree.descriptors}
    assert [row[0] for row in rows] == [
        titles[d] for d, outcome in expected.items() for _ in outcome.actions
    ]
    assert all(row[3] == "" for row in rows)  # for the team to fill in


def test_two_plans_a_year_apart_keep_their_own_dates_and_file_names(app, client, team, monkeypatch):
    _, token = team
    a_year_ago = store.utc_now() - timedelta(days=365)
    with monkeypatch.context() as past:
        past.setattr("bot.store.rows.utc_now", lambda: a_year_ago)
        finish(client, token, UP_TO_A_YEAR)
    start_next_audit(client, token)
    confirm_all(client, token)
    client.post(f"{team_at(client, token)}/finish")
    with app.app_context():
        new, old = store.audits_for_team(get_db(), store.team_by_token(get_db(), token)["id"])
    this_year = client.get(f"{team_at(client, token)}/action-plan.docx")
    last_year = client.get(f"{team_at(client, token)}/audits/{old['id']}/action-plan.docx")

    def named_and_dated(response):
        name = re.search(
            r"action-plan-(\d{4}-\d{2}-\d{2})\.docx", response.headers["Content-Disposition"]
        )
        document = Document(io.BytesIO(response.data))
        details = next(p.text for p in document.paragraphs if p.text.startswith("Audit finished: "))
        return name.group(1), details, document.core_properties.created.date()

    then, now = named_and_dated(last_year), named_and_dated(this_year)
    assert then[0] == a_year_ago.date().isoformat() and now[0] == store.utc_now().date().isoformat()
    assert then[0] != now[0] and then[1] != now[1]
    assert then[2].isoformat() == then[0] and now[2].isoformat() == now[0]
    # A year later, last year's plan downloaded again is still last year's.
    assert (
        named_and_dated(client.get(f"{team_at(client, token)}/audits/{old['id']}/action-plan.docx"))
        == then
    )


def test_a_question_new_since_last_time_is_asked_fresh(apps):  # noqa: F811
    before, after = apps
    with before.app_context():
        _, token = store.create_team(get_db(), "A year on")
    finish(before.test_client(), token, SPECIALISED)

    client = after.test_client()
    start_next_audit(client, token)
    asked = confirm_all(client, token, changes={"referral_self_referral": "yes"})
    fresh = asked["referral_self_referral"]
    assert "Last time (" not in fresh and "checked" not in fresh.split('id="question"')[1]
    assert "Last time (" in asked["referral_pathway"]
    assert "referral_age_start" not in asked  # gone from the new version


def test_an_answer_that_no_longer_fits_is_asked_fresh(apps):  # noqa: F811
    before, after = apps  # the new version drops the "informal" pathway option
    with before.app_context():
        _, token = store.create_team(get_db(), "Options changed")
    finish(before.test_client(), token, {**SPECIALISED, "referral_pathway": "informal"})
    client = after.test_client()
    start_next_audit(client, token)
    page = client.get(f"{team_at(client, token)}/q/referral_pathway")
    for question_id in list(SPECIALISED)[: list(SPECIALISED).index("referral_pathway")]:
        client.post(
            f"{team_at(client, token)}/q/{question_id}",
            data=form_data(SPECIALISED[question_id]),
        )
    page = client.get(f"{team_at(client, token)}/q/referral_pathway").text
    assert "Last time (" not in page


@pytest.mark.walked(FINISHED_UP_TO_A_YEAR)
def test_earlier_results_and_plans_stay_downloadable_and_read_only(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    start_next_audit(client, token)
    with app.app_context():
        new, old = store.audits_for_team(get_db(), team_id)
    start = client.get(f"{team_at(client, token)}/?intro=1").text
    assert "Your team’s earlier audits" in start
    assert f"{team_at(client, token)}/audits/{old['id']}/result" in start
    assert f"{team_at(client, token)}/audits/{old['id']}/action-plan.docx" in start

    past = client.get(f"{team_at(client, token)}/audits/{old['id']}/result")
    assert past.status_code == 200
    assert "Targeted parent-infant relationship team" in past.text
    assert "cannot be changed" in past.text
    assert "<form" not in past.text.split("<main")[1]
    plan = client.get(f"{team_at(client, token)}/audits/{old['id']}/action-plan.docx")
    assert plan.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(plan.data)).paragraphs)
    assert "Targeted parent-infant relationship team" in text

    # Changing an answer now changes the new audit only.
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    with app.app_context():
        db = get_db()
        assert store.current_answers(db, old["id"])["sup_under3_count"].value == 2
        assert store.current_answers(db, new["id"])["sup_under3_count"].value == 0
    assert client.get(f"{team_at(client, token)}/audits/{new['id']}/result").status_code == 404
    assert client.get(f"{team_at(client, token)}/audits/999/result").status_code == 404


@pytest.mark.walked(Walk(SPECIALISED, name="First team"), Walk(SPECIALISED, name="Second team"))
def test_another_teams_earlier_audit_is_not_found(app, walked):
    first, other = walked
    token, other_id = first.token, other.team_id
    client = other.member(app)  # the browser that answered the other team's audit
    with app.app_context():
        audit_id = store.audits_for_team(get_db(), other_id)[0]["id"]
    assert client.get(f"{team_at(client, token)}/audits/{audit_id}/result").status_code == 404
    assert (
        client.get(f"{team_at(client, token)}/audits/{audit_id}/action-plan.docx").status_code
        == 404
    )


@pytest.mark.walked(Walk(SPECIALISED, finished=False))
def test_a_team_can_only_start_its_next_audit_once_finished_and_once(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(2))
    assert (
        path_of(client.post(f"{team_at(client, token)}/next-audit")) == f"{team_at(client, token)}/"
    )
    finished = client.post(f"{team_at(client, token)}/finish")
    assert path_of(finished) == f"{team_at(client, token)}/result"
    result = client.get(f"{team_at(client, token)}/result").text
    assert f"{team_at(client, token)}/next-audit" in result
    client.post(f"{team_at(client, token)}/next-audit")
    client.post(f"{team_at(client, token)}/next-audit")  # a second tap, or a second browser
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 2


def test_starting_the_next_audit_needs_the_form_token(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        team_id, token = store.create_team(get_db(), "CSRF team")
    client = app.test_client()
    with app.app_context():
        db = get_db()
        tree = current_tree()
        audit = store.current_audit(
            db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        store.finish_audit(db, audit["id"], tree=tree)
    assert client.post(f"{team_at(client, token)}/next-audit").status_code == 422
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 1


def test_the_next_audit_confirmation_carries_its_form_token(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        team_id, token = store.create_team(get_db(), "CSRF team")
        tree = current_tree()
        audit = store.current_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        store.finish_audit(get_db(), audit["id"], tree=tree)
    client = app.test_client()
    page = client.get(f"{team_at(client, token)}/next-audit").text
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"{team_at(client, token)}/next-audit", data={"csrf_token": form_token})
    assert response.status_code == 302
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 2


@pytest.mark.walked(FINISHED_UP_TO_A_YEAR)
def test_a_re_audit_speaks_welsh(app, walked):
    [team] = walked
    token, client = team.token, team.member(app)
    start_next_audit(client, token)
    client.get(f"/language/cy?next={team_at(client, token)}/")
    page = client.get(f"{team_at(client, token)}/q/sup_under3_count").text
    assert "Y tro diwethaf (" in page and "A yw hyn yn dal yn gywir?" in page
    assert "Cadarnhau a pharhau" in page
    assert "Last time" not in page and "Is this still right?" not in page
    assert "Ail-archwiliad yw hwn" in client.get(f"{team_at(client, token)}/?intro=1").text


# -- the console ----------------------------------------------------------------------------


def signed_in(app):
    """A browser signed in to the console as an admin (after the test's teams are in place)."""
    client = app.test_client()
    sign_in_directly(client, make_admin(app))
    return client


def team_row(html, team_id):
    return re.search(rf'<tr data-team="{team_id}">.*?</tr>', html, re.S).group(0)


@pytest.mark.walked(FINISHED_UP_TO_A_YEAR)
def test_the_console_asks_before_replacing_an_audit_in_progress(app, walked):
    [team] = walked
    team_id, token = team.team_id, team.token
    console = signed_in(app)
    finished_confirm = console.get(f"/admin/teams/{team_id}/audits").text
    assert "Start a new audit for" in finished_confirm
    assert "is kept read-only, with its result and action plan" in finished_confirm
    console.post(f"/admin/teams/{team_id}/audits", data={"confirmed": "yes"})
    team_client = app.test_client()
    team_client.post(f"{team_at(team_client, token)}/q/sup_under3_count", data=form_data(3))

    page = console.get(f"/admin/teams/{team_id}").text
    assert f'href="/admin/teams/{team_id}/audits"' in page
    asked = console.post(f"/admin/teams/{team_id}/audits")
    assert asked.status_code == 200 and "Stop the audit in progress" in asked.text
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 2
    confirm = console.get(f"/admin/teams/{team_id}/audits").text
    assert "has 1 of about" in confirm
    assert "kept read-only and unfinished" in confirm
    assert "last finished audit (finished" in confirm

    done = console.post(f"/admin/teams/{team_id}/audits", data={"confirmed": "yes"})
    assert path_of(done) == f"/admin/teams/{team_id}"
    with app.app_context():
        audits = store.audits_for_team(get_db(), team_id)
    assert [audit["status"] for audit in audits] == ["in_progress", "in_progress", "finished"]
    # The new audit offers the finished audit's answer, not the unfinished one's.
    viewer = app.test_client()
    page = viewer.get(f"{team_at(viewer, token)}/q/sup_under3_count").text
    assert 'value="2"' in page and "Last time (" in page
    start = viewer.get(f"{team_at(viewer, token)}/?intro=1").text
    assert "left unfinished when a new audit began" in start


@pytest.mark.walked(FINISHED_UP_TO_A_YEAR)
def test_the_team_page_and_progress_table_show_the_latest_result_beside_the_re_audit(app, walked):
    [team] = walked
    team_id, token = team.team_id, team.token
    console = signed_in(app)
    team_client = team.member(app)
    start_next_audit(team_client, token)
    team_client.post(f"{team_at(team_client, token)}/q/sup_under3_count", data=form_data(2))

    row = team_row(console.get("/admin/").text, team_id)
    assert "In progress" in row
    assert "Targeted parent-infant relationship team" in row
    assert "finished " in row

    page = console.get(f"/admin/teams/{team_id}").text
    history = page.split('id="audits"')[1].split("</table>")[0]
    assert history.count("<tr") == 3  # the header and two audits
    assert "Targeted parent-infant relationship team" in history
    assert "In progress" in history


@pytest.mark.walked(
    *(Walk(UP_TO_A_YEAR, name=name, nation="wales") for name in ("Alder", "Birch", "Cedar"))
)
def test_the_national_picture_counts_each_team_once_by_its_latest_finished_audit(app, walked):
    teams = [team.token for team in walked]
    console = signed_in(app)
    # Alder re-audits and finishes specialised; Birch's re-audit is under way.
    alder = app.test_client()
    start_next_audit(alder, teams[0])
    confirm_all(alder, teams[0], changes={"referral_age_range": "to_second_birthday_or_beyond"})
    alder.post(f"{team_at(alder, teams[0])}/finish")
    birch = app.test_client()
    start_next_audit(birch, teams[1])
    birch.post(f"{team_at(birch, teams[1])}/q/sup_under3_count", data=form_data(2))

    picture = console.get("/admin/national/live").text  # staff only: nothing hidden

    def count(row):
        return cell(picture, "results", row, "uk")

    assert cell(picture, "teams", "uk", "teams") == "3"
    assert count("targeted") == "2"  # Birch and Cedar, by their finished audits
    assert count("specialised") == "1"  # Alder, by its latest
    assert count("not_finished") == "0"  # Birch's re-audit does not hide its result
    assert count("finished") == "3"


def in_order_of_the_path(app, answers, domain_id):
    with app.app_context():
        tree = current_tree()
        path = evaluate(tree, answers).journey.path
        return [q for q in path if tree.question(q).domain == domain_id]


@pytest.mark.walked(FINISHED_BY_ALED)
def test_a_re_audit_confirms_an_unchanged_domain_together(app, walked):
    [team] = walked
    team_id, token = team.team_id, team.token
    start_next_audit(team.member(app), token)
    client = app.test_client()  # a colleague confirms, in another browser
    client.post(f"{team_at(client, token)}/", data={"name": "Bethan", "role": "Therapist"})
    prefix = team_at(client, token)
    first = path_of(client.get(f"{prefix}/next")).rsplit("/", 1)[1]
    domain = in_order_of_the_path(app, SPECIALISED, "team_governance")
    assert first == domain[0]
    question = client.get(f"{prefix}/q/{first}").text
    offer = f"Confirm last time’s {len(domain)} answers together"
    assert offer in unescape(question)

    page = client.get(f"{prefix}/q/{first}/unchanged")
    assert page.status_code == 200
    assert f"Confirm all {len(domain)} answers" in page.text
    assert page.text.count('class="summary-row"') == len(domain)
    assert "Last time’s note, by Aled" in page.text
    with app.app_context():
        audit, earlier = store.audits_for_team(get_db(), team_id)
        before = set(store.current_answers(get_db(), audit["id"]))
        last_time = store.current_answers(get_db(), earlier["id"])
    assert not before & set(domain)

    confirmed = client.post(f"{prefix}/q/{first}/unchanged")
    assert confirmed.status_code == 302
    with app.app_context():
        now = store.current_answers(get_db(), audit["id"])
    assert {q: now[q].value for q in domain} == {q: SPECIALISED[q] for q in domain}
    # Each answer is Bethan's; last time's notes are kept with them in Aled's name, not hers.
    assert {now[q].respondent_name for q in domain} == {"Bethan"}
    noted = [q for q in domain if last_time[q].note]
    assert noted
    for question_id in noted:
        assert (now[question_id].note, now[question_id].kept_note) == ("", "Minuted at the board")
        assert now[question_id].kept_note_by_id == last_time[question_id].respondent_id
    following = path_of(confirmed).rsplit("/", 1)[1]
    with app.app_context():
        assert current_tree().question(following).domain != "team_governance"


@pytest.mark.walked(FINISHED_SPECIALISED)
def test_confirming_a_domain_together_never_replaces_a_colleagues_new_answer(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    start_next_audit(client, token)
    prefix = team_at(client, token)
    domain = in_order_of_the_path(app, SPECIALISED, "team_governance")
    page = client.get(f"{prefix}/q/{domain[0]}/unchanged")
    assert page.status_code == 200
    colleague = app.test_client()
    colleague.post(f"{team_at(colleague, token)}/q/{domain[0]}", data=form_data(7))
    client.post(f"{prefix}/q/{domain[0]}/unchanged")
    with app.app_context():
        audit = store.latest_audit(get_db(), team_id)
        assert store.current_answers(get_db(), audit["id"])[domain[0]].value == 7


def test_confirming_a_domain_together_needs_the_form_token(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        team_id, token = store.create_team(get_db(), "Token team")
        tree = current_tree()
        audit = store.current_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        for question_id in evaluate(tree, SPECIALISED).journey.path:
            store.record_answer(
                get_db(), audit["id"], question_id, SPECIALISED[question_id], tree=tree
            )
        store.finish_audit(get_db(), audit["id"], tree=tree)
        store.start_new_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
    client = app.test_client()
    prefix = team_at(client, token)
    refused = client.post(f"{prefix}/q/sup_under3_count/unchanged")
    assert refused.status_code == 422
    assert "This page has expired" in refused.text
    with app.app_context():
        latest = store.latest_audit(get_db(), team_id)
        assert store.current_answers(get_db(), latest["id"]) == {}
