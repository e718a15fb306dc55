"""The console's team pages: create and edit teams, hand out links, follow progress, re-audit."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from docx import Document

from bot import store
from bot.db import get_db
from bot.trees import current_tree
from tests.admin_support import create_team, date_parts, opens, shown_link, token_of
from tests.audit_support import form_data, team_at, walk
from tests.conftest import Walk
from tests.profiles import PROFILES, SPECIALISED

TARGETED = next(p for p in PROFILES if p.name == "both targeted flags")
#: The team create_team adds, its specialised audit answered through the site and finished.
FINISHED_RIVERSIDE = Walk(SPECIALISED, name="Riverside Parent-Infant Team", nation="wales")


def finish_audit(app, token, answers=SPECIALISED):
    team_client = app.test_client()
    walk(team_client, token, answers)
    assert team_client.post(f"{team_at(team_client, token)}/finish").status_code == 302
    return team_client


# -- creating and editing -------------------------------------------------------------------


def test_creating_a_team_shows_its_link_once_then_only_its_last_characters(app, console):
    team_id, page = create_team(console, contact_email="Lead@Riverside.example", area="Cardiff")
    link = shown_link(page.text)
    assert link.startswith("http://localhost/a/")  # the address the request came to
    assert "readonly" in page.text and 'data-copy="audit-link"' in page.text
    assert page.headers["Cache-Control"] == "no-store"
    token = token_of(link)
    assert opens(app, token)
    again = console.get(f"/admin/teams/{team_id}/link", follow_redirects=True)
    assert token not in again.text
    assert f"…{token[-4:]}" in again.text
    with app.app_context():
        team = store.get_team(get_db(), team_id)
    assert team["nation"] == "wales" and team["area"] == "Cardiff"
    assert team["contact_email"] == "lead@riverside.example"
    assert not team["self_registered"]


def test_the_invitation_email_is_ready_and_carries_the_link(console):
    _, page = create_team(console, contact_email="lead@riverside.example")
    link = shown_link(page.text)
    mailto = re.search(r'href="(mailto:[^"]+)"', page.text).group(1).replace("&amp;", "&")
    parts = urlsplit(mailto)
    assert unquote(parts.path) == "lead@riverside.example"
    query = parse_qs(parts.query)
    assert "self-audit link" in query["subject"][0]
    body = query["body"][0]
    assert link in body
    assert "Riverside Parent-Infant Team" in body
    assert " " not in mailto and "\n" not in mailto


def test_a_team_without_a_contact_email_gets_no_mailto(console):
    _, page = create_team(console)
    assert "mailto:" not in page.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Enter the team’s name"),
        ({"nation": ""}, "Select the nation the team works in"),
        ({"nation": "france"}, "Select the nation the team works in"),
        ({"contact_email": "not an email"}, "Enter an email address like"),
        ({"host_type": "pirate_ship"}, "Select the host organisation from the list"),
        (date_parts("link_expires", "2001-01-01"), "must be today or in the future"),
    ],
)
def test_a_team_form_with_a_mistake_is_shown_again(app, console, fields, message):
    data = {"name": "Team", "nation": "england", **fields}
    response = console.post("/admin/teams/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert store.team_overview(get_db()) == []


def test_editing_a_team_changes_its_details(app, console):
    team_id, _ = create_team(console)
    form = console.get(f"/admin/teams/{team_id}/edit")
    assert 'value="Riverside Parent-Infant Team"' in form.text
    response = console.post(
        f"/admin/teams/{team_id}/edit",
        data={
            "name": "Riverside PIP",
            "nation": "scotland",
            "area": "Fife",
            "host_type": "voluntary_sector",
            "contact_email": "hello@pip.example",
        },
    )
    assert response.headers["Location"] == f"/admin/teams/{team_id}"
    page = console.get(f"/admin/teams/{team_id}")
    assert "Riverside PIP" in page.text and "Fife" in page.text and "Voluntary sector" in page.text
    with app.app_context():
        assert store.get_team(get_db(), team_id)["nation"] == "scotland"


def test_an_unknown_team_is_not_found(console):
    assert console.get("/admin/teams/999").status_code == 404
    assert console.post("/admin/teams/999/link/revoke").status_code == 404


# -- links ----------------------------------------------------------------------------------


def test_a_reissue_asks_first_then_replaces_the_old_link_at_once(app, console):
    team_id, page = create_team(console)
    old = token_of(shown_link(page.text))
    asked = console.post(f"/admin/teams/{team_id}/link/reissue")
    assert asked.status_code == 200 and f"ending …{old[-4:]}, stops working at once" in asked.text
    assert opens(app, old)
    response = console.post(f"/admin/teams/{team_id}/link/reissue", data={"confirmed": "yes"})
    assert response.headers["Location"] == f"/admin/teams/{team_id}/link"
    new = token_of(shown_link(console.get(response.headers["Location"]).text))
    assert new != old
    assert not opens(app, old)
    assert opens(app, new)


CONFIRMED = {"confirmed": "yes"}


def test_a_revoked_link_stops_working(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    console.post(f"/admin/teams/{team_id}/link/revoke", data=CONFIRMED)
    assert not opens(app, token)
    assert "no live link" in console.get(f"/admin/teams/{team_id}").text


def test_a_link_can_expire(app, console):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    team_id, page = create_team(console, **date_parts("link_expires", tomorrow))
    token = token_of(shown_link(page.text))
    assert "The link works until" in page.text
    assert opens(app, token)
    with app.app_context():
        link = store.live_link(get_db(), team_id)
        store.set_link_expiry(get_db(), team_id, link["created"])
    assert not opens(app, token)
    assert "It expired at " in console.get(f"/admin/teams/{team_id}").text
    cleared = console.post(
        f"/admin/teams/{team_id}/link/expiry", data=date_parts("expiry-link_expires", None)
    )
    assert cleared.status_code == 302
    assert opens(app, token)


def test_an_expiry_date_in_the_past_is_refused(app, console):
    team_id, _ = create_team(console)
    response = console.post(
        f"/admin/teams/{team_id}/link/expiry", data=date_parts("expiry-link_expires", "2020-02-02")
    )
    assert response.status_code == 422
    assert "must be today or in the future" in response.text
    with app.app_context():
        assert store.live_link(get_db(), team_id)["expires"] is None


@pytest.mark.walked(FINISHED_RIVERSIDE)
def test_an_archived_teams_link_stops_working_and_its_data_is_kept(app, console, walked):
    [(team_id, token, _)] = walked
    console.post(f"/admin/teams/{team_id}/archive", data=CONFIRMED)
    assert not opens(app, token)
    team_page = console.get(f"/admin/teams/{team_id}")
    assert "Archived" in team_page.text
    assert "Specialised parent-infant relationship team" in team_page.text
    assert "Riverside" not in console.get("/admin/").text
    assert "Riverside" in console.get("/admin/?archived=1").text


def test_a_team_link_never_reaches_another_teams_audit(app, console):
    _, first_page = create_team(console, name="First team")
    _, second_page = create_team(console, name="Second team")
    first, second = token_of(shown_link(first_page.text)), token_of(shown_link(second_page.text))
    team_client = finish_audit(app, first)
    start = team_client.get(f"{team_at(team_client, second)}/")
    assert "Second team" in start.text and "First team" not in start.text
    check = team_client.get(f"{team_at(team_client, second)}/check")
    assert "Finish and see the result" not in check.text
    assert team_client.get(f"{team_at(team_client, second)}/result").status_code == 302
    assert team_client.get("/admin/teams/1").status_code == 302
    assert team_client.get(f"/admin/{first}").status_code in (302, 404)


# -- progress -------------------------------------------------------------------------------


def test_the_progress_table_shows_status_result_activity_and_contributors(app, console):
    _, page = create_team(console, name="Finished team", nation="england")
    finished = token_of(shown_link(page.text))
    _, page = create_team(console, name="Started team", nation="scotland")
    started = token_of(shown_link(page.text))
    create_team(console, name="Quiet team", nation="wales")

    team_client = app.test_client()
    team_client.post(f"{team_at(team_client, finished)}/", data={"name": "Priya", "role": "Lead"})
    walk(team_client, finished, SPECIALISED)
    team_client.post(f"{team_at(team_client, finished)}/finish")
    other = app.test_client()
    other.post(f"{team_at(other, started)}/", data={"name": "Sam", "role": "Therapist"})
    other.post(f"{team_at(other, started)}/q/sup_under3_count", data=form_data(2))

    table = console.get("/admin/").text
    rows = {
        name: re.search(rf"{name}</a>.*?</tr>", table, re.S).group(0)
        for name in ("Finished team", "Started team", "Quiet team")
    }
    assert "Finished" in rows["Finished team"]
    assert "Specialised parent-infant relationship team" in rows["Finished team"]
    assert re.search(r"In progress: \d+%", rows["Started team"])
    assert "Not started" in rows["Quiet team"]
    assert re.search(r"<td>1</td>\s*<td class=\"mail-cell\">", rows["Finished team"])
    assert re.search(r"<td>0</td>\s*<td class=\"mail-cell\">", rows["Quiet team"])


def test_the_progress_table_filters_and_sorts(app, console):
    _, page = create_team(console, name="Alder", nation="england")
    walk(app.test_client(), token_of(shown_link(page.text)), SPECIALISED)
    create_team(console, name="Birch", nation="wales")
    create_team(console, name="Cedar", nation="england")

    def names(query):
        page = console.get("/admin/", query_string=query)
        assert page.status_code == 200
        return re.findall(r'<a href="/admin/teams/\d+">([^<]+)</a>', page.text)

    assert names({}) == ["Alder", "Birch", "Cedar"]
    assert names({"sort": "name", "order": "desc"}) == ["Cedar", "Birch", "Alder"]
    assert names({"nation": "england"}) == ["Alder", "Cedar"]
    assert names({"status": "in_progress"}) == ["Alder"]
    assert names({"status": "not_started", "nation": "england"}) == ["Cedar"]
    assert names({"sort": "status", "order": "desc"})[0] == "Alder"
    assert names({"sort": "nonsense", "nation": "atlantis"}) == ["Alder", "Birch", "Cedar"]


# -- the team page and re-audits ------------------------------------------------------------


def test_the_team_page_shows_answers_with_who_and_when_and_the_result(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    team_client = app.test_client()
    team_client.post(
        f"{team_at(team_client, token)}/", data={"name": "Priya", "role": "Clinical lead"}
    )
    walk(team_client, token, TARGETED.answers, note="Checked with the rota")
    team_client.post(f"{team_at(team_client, token)}/finish")
    team_page = console.get(f"/admin/teams/{team_id}").text
    assert "Targeted parent-infant relationship team" in team_page
    assert "Priya (Clinical lead)" in team_page
    assert "Checked with the rota" in team_page
    assert "How many practitioners" in team_page or "practitioners" in team_page
    assert "<input" not in team_page.split('id="audit-heading"')[1].split("Archive the team")[0]


@pytest.mark.walked(FINISHED_RIVERSIDE)
def test_admins_download_the_teams_action_plan(app, console, walked):
    [(team_id, _, _)] = walked
    with app.app_context():
        audit_id = store.audits_for_team(get_db(), team_id)[0]["id"]
    response = console.get(f"/admin/teams/{team_id}/audits/{audit_id}/action-plan.docx")
    assert response.status_code == 200
    assert "riverside-parent-infant-team-action-plan" in response.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "Specialised" in text
    assert console.get(f"/admin/teams/{team_id}/audits/999/action-plan.docx").status_code == 404


@pytest.mark.walked(FINISHED_RIVERSIDE)
def test_a_re_audit_keeps_the_old_audit_read_only_and_the_link_opens_the_new_one(
    app, console, walked
):
    [(team_id, token, _)] = walked
    response = console.post(f"/admin/teams/{team_id}/audits", data=CONFIRMED)
    assert response.headers["Location"] == f"/admin/teams/{team_id}"
    with app.app_context():
        audits = store.audits_for_team(get_db(), team_id)
    assert [audit["status"] for audit in audits] == ["in_progress", "finished"]
    team_client = app.test_client()
    assert "/q/" in team_client.get(f"{team_at(team_client, token)}/next").headers["Location"]
    assert team_client.get(f"{team_at(team_client, token)}/result").status_code == 302
    team_page = console.get(f"/admin/teams/{team_id}").text
    assert team_page.count("Specialised parent-infant relationship team") >= 1
    assert "Not started" in team_page
    past = console.get(f"/admin/teams/{team_id}/audits/{audits[1]['id']}")
    assert "past audit, read-only" in past.text
    assert "Specialised parent-infant relationship team" in past.text
    assert console.get(f"/admin/teams/{team_id}/audits/999").status_code == 404


# -- confirmations -------------------------------------------------------------------------


def test_revoking_asks_first_and_says_what_happens(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    team_page = console.get(f"/admin/teams/{team_id}").text
    assert f'href="/admin/teams/{team_id}/link/revoke"' in team_page
    confirm = console.get(f"/admin/teams/{team_id}/link/revoke")
    assert confirm.status_code == 200
    assert "Revoke the link for Riverside Parent-Infant Team?" in confirm.text
    assert f"ending …{token[-4:]}, stops working at once" in confirm.text
    assert "Yes, revoke the link" in confirm.text
    assert opens(app, token)  # looking changes nothing
    console.post(f"/admin/teams/{team_id}/link/revoke")  # a post not from the page: asked again
    assert opens(app, token)
    console.post(f"/admin/teams/{team_id}/link/revoke", data=CONFIRMED)
    assert not opens(app, token)


def test_archiving_asks_first_and_names_the_audit_in_progress(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    with app.app_context():
        db, tree = get_db(), current_tree()
        audit = store.current_audit(
            db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        for question_id, value in list(SPECIALISED.items())[:5]:
            store.record_answer(db, audit["id"], question_id, value, tree=tree)
    confirm = console.get(f"/admin/teams/{team_id}/archive")
    assert "Archive Riverside Parent-Infant Team?" in confirm.text
    assert "The team’s link stops working at once." in confirm.text
    assert "The audit in progress (" in confirm.text
    assert "The console cannot undo archiving." in confirm.text
    assert opens(app, token)
    with app.app_context():
        assert store.get_team(get_db(), team_id)["archived"] is None
    console.post(f"/admin/teams/{team_id}/archive", data=CONFIRMED)
    assert not opens(app, token)


def test_a_new_audit_is_offered_only_after_a_finished_one_and_asks_first(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    assert "Start a new audit" not in console.get(f"/admin/teams/{team_id}").text
    refused = console.post(f"/admin/teams/{team_id}/audits", data=CONFIRMED)
    assert refused.status_code == 302
    finish_audit(app, token)
    assert "Start a new audit" in console.get(f"/admin/teams/{team_id}").text
    confirm = console.get(f"/admin/teams/{team_id}/audits")
    assert "Start a new audit for Riverside Parent-Infant Team?" in confirm.text
    assert "The team’s link stays the same" in confirm.text
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 1
    console.post(f"/admin/teams/{team_id}/audits", data=CONFIRMED)
    with app.app_context():
        assert len(store.audits_for_team(get_db(), team_id)) == 2


# -- former 500s ----------------------------------------------------------------------------


def test_a_team_id_too_large_for_the_database_is_not_found(app, client):
    from tests.admin_support import make_admin, sign_in_directly

    sign_in_directly(client, make_admin(app))
    huge = "99999999999999999999999"
    assert client.get(f"/admin/teams/{huge}").status_code == 404
    assert client.get(f"/admin/teams/{huge}/edit").status_code == 404
    assert client.get(f"/admin/teams/1/audits/{huge}").status_code == 404
    assert client.get(f"/admin/teams/1/audits/{huge}/action-plan.docx").status_code == 404


def test_a_far_future_link_expiry_is_a_clear_error(app, client, make_team):
    from tests.admin_support import make_admin, sign_in_directly

    team_id, _ = make_team()
    sign_in_directly(client, make_admin(app))
    response = client.post(
        f"/admin/teams/{team_id}/link/expiry", data=date_parts("expiry-link_expires", "9999-12-31")
    )
    assert response.status_code == 422
    assert "Link expiry date must be within 10 years" in response.text
    new = client.post(
        "/admin/teams/new",
        data={"name": "Far", "nation": "wales", **date_parts("link_expires", "9999-12-31")},
    )
    assert new.status_code == 422
    assert "Link expiry date must be within 10 years" in new.text


# -- invitations and the console's language -------------------------------------------------


def test_a_team_in_wales_gets_the_invitation_in_english_and_welsh(app, console):
    from urllib.parse import unquote

    _, page = create_team(console, contact_email="lead@riverside.example")
    english = re.search(r'data-invitation="en_GB"', page.text)
    welsh = re.search(r'href="([^"]+)" data-invitation="cy"', page.text)
    assert english and welsh
    body = unquote(welsh.group(1).replace("&amp;", "&"))
    assert "Dyma’r ddolen breifat i hunanarchwiliad Riverside Parent-Infant Team" in body
    assert shown_link(page.text) in body
    assert "Email the invitation in Welsh to lead@riverside.example" in page.text
    _, england = create_team(
        console, name="Moor team", nation="england", contact_email="m@moor.example"
    )
    assert 'data-invitation="cy"' not in england.text


def test_the_console_is_english_only_with_no_language_switch(app, console):
    console.get("/language/cy?next=/admin/")
    page = console.get("/admin/")
    assert 'class="language-switch"' not in page.text
    assert 'lang="en-GB"' in page.text
    assert "Add a team" in page.text


# -- running many teams ---------------------------------------------------------------------


def test_search_and_filters_narrow_the_progress_table(app, console):
    create_team(console, name="Riverside Parent-Infant Team", area="Cardiff")
    create_team(console, name="Moorland Babies", nation="england", area="Leeds")
    create_team(console, name="Harbour Team", nation="scotland", contact_email="h@port.example")
    finish_audit(app, token_of(shown_link(create_team(console, name="Done Team")[1].text)))

    def names(**query):
        html = console.get("/admin/", query_string=query).text
        table = html.split('id="progress"')[1] if 'id="progress"' in html else ""
        return sorted(re.findall(r'<a href="/admin/teams/\d+">([^<]+)</a>', table))

    assert names(q="moor") == ["Moorland Babies"]
    assert names(q="LEEDS") == ["Moorland Babies"]
    assert names(q="port.example") == ["Harbour Team"]
    assert names(q="team riverside") == ["Riverside Parent-Infant Team"]
    assert names(q="nothing like it") == []
    assert names(nation="scotland") == ["Harbour Team"]
    assert names(status="finished") == ["Done Team"]
    assert names(result="specialised") == ["Done Team"]
    assert names(result="targeted") == []
    assert names(q="team", nation="wales") == ["Done Team", "Riverside Parent-Infant Team"]
    assert names(result="<script>") == names()  # an unknown filter value is ignored


def test_a_stalled_audit_is_marked_with_its_weeks_without_activity(app, console):
    team_id, page = create_team(console)
    with app.app_context():
        db, tree = get_db(), current_tree()
        audit = store.current_audit(
            db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        store.record_answer(db, audit["id"], *next(iter(SPECIALISED.items())), tree=tree)
        five_weeks_ago = datetime.now(UTC) - timedelta(weeks=5, days=1)
        db.execute(
            "UPDATE audits SET updated = ? WHERE id = ?",
            [five_weeks_ago.isoformat(timespec="microseconds"), audit["id"]],
        )
    html = console.get("/admin/").text
    assert "No activity for 5 weeks" in html
    finish_audit(app, token_of(shown_link(page.text)))
    assert "No activity for" not in console.get("/admin/").text


def test_the_progress_table_shows_fifty_teams_a_page(app, console):
    with app.app_context():
        for number in range(1, 121):
            store.create_team(get_db(), f"Team {number:03d}", nation="england")
    first = console.get("/admin/").text
    assert "Showing 1 to 50 of 120 matching teams" in first
    assert "Team 050" in first and "Team 051" not in first
    third = console.get("/admin/?page=3").text
    assert "Showing 101 to 120 of 120" in third and "Team 120" in third
    assert 'aria-current="page">3<' in third
    assert "Team 001" not in console.get("/admin/?page=99").text.split('id="progress"')[1]
    searched = console.get("/admin/?q=Team+11&page=1").text
    assert "Showing 11 of 120 teams." in searched
