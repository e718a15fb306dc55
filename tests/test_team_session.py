"""The team's link opens a session: the token is in the first address only, and the session
lasts as long as the link."""

from __future__ import annotations

import re

from bot import store
from bot.db import get_db
from tests.audit_support import form_data, path_of, team_at, walk
from tests.profiles import SPECIALISED

NOT_VALID = "This audit link is not valid"


def test_no_address_after_the_link_holds_the_token(client, team):
    _, token = team
    opened = client.get(f"/a/{token}", follow_redirects=True)
    assert opened.status_code == 200
    assert [r.request.path for r in opened.history] == [f"/a/{token}"]
    assert token not in opened.request.path and token not in opened.text
    started = client.post(
        opened.request.path, data={"name": "Priya", "role": "Lead"}, follow_redirects=True
    )
    answered = client.post(started.request.path, data=form_data(2), follow_redirects=True)
    for page in (started, answered):
        assert page.status_code == 200
        assert all(token not in r.request.path for r in page.history)
        assert token not in page.request.path and token not in page.text


def test_a_whole_audit_and_its_result_hold_no_token(client, team):
    _, token = team
    walk(client, token, SPECIALISED)
    prefix = team_at(client, token)
    finished = client.post(f"{prefix}/finish", follow_redirects=True)
    assert finished.request.path == f"{prefix}/result"
    assert token not in finished.text
    for href in re.findall(r'href="([^"]+)"', finished.text):
        assert token not in href


def test_the_link_opens_the_audit_on_any_other_device(app, team):
    team_id, token = team
    laptop, phone = app.test_client(), app.test_client()
    laptop.post(f"{team_at(laptop, token)}/q/sup_under3_count", data=form_data(3))
    page = phone.get(f"/a/{token}/q/sup_under3_wte", follow_redirects=True)
    assert page.request.path == f"/t/{team_id}/q/sup_under3_wte"
    assert "3 practitioners" in page.text


def test_a_team_page_without_the_link_opens_nothing(app, team):
    team_id, token = team
    stranger = app.test_client()
    page = stranger.get(f"/t/{team_id}/q/sup_under3_count")
    assert page.status_code == 404 and NOT_VALID in page.text
    refused = stranger.post(f"/t/{team_id}/q/sup_under3_count", data=form_data(9))
    assert refused.status_code == 404
    member = app.test_client()
    assert "9 practitioners" not in member.get(f"{team_at(member, token)}/check").text


def test_a_revoked_link_ends_the_sessions_it_opened(app, client, team):
    team_id, token = team
    prefix = team_at(client, token)
    assert client.get(f"{prefix}/q/sup_under3_count").status_code == 200
    with app.app_context():
        store.revoke_link(get_db(), team_id)
    page = client.get(f"{prefix}/q/sup_under3_count")
    assert page.status_code == 404 and NOT_VALID in page.text
    assert client.post(f"{prefix}/q/sup_under3_count", data=form_data(4)).status_code == 404
    assert client.get(f"/a/{token}").status_code == 404


def test_a_replaced_link_ends_the_old_session_and_the_new_link_opens_a_new_one(app, client, team):
    team_id, token = team
    prefix = team_at(client, token)
    with app.app_context():
        new_token = store.reissue_link(get_db(), team_id)
    assert client.get(f"{prefix}/").status_code == 404
    assert team_at(client, new_token) == prefix
    assert client.get(f"{prefix}/?intro=1").status_code == 200


def test_archiving_the_team_ends_its_sessions(app, client, team):
    team_id, token = team
    prefix = team_at(client, token)
    with app.app_context():
        store.archive_team(get_db(), team_id)
    assert client.get(f"{prefix}/?intro=1").status_code == 404


def test_two_teams_in_one_browser_each_keep_their_own_answers(app, client, make_team):
    """A second link does not replace the first: each tab stays on its own team."""
    team_a, token_a = make_team("Team A")
    team_b, token_b = make_team("Team B")
    tab_a = team_at(client, token_a)
    tab_b = team_at(client, token_b)
    assert tab_a != tab_b
    client.post(f"{tab_a}/q/sup_under3_count", data=form_data(7))
    client.post(f"{tab_b}/q/sup_under3_count", data=form_data(1))
    page_a = client.get(f"{tab_a}/check").text
    page_b = client.get(f"{tab_b}/check").text
    assert "Team A" in page_a and "7 practitioners" in page_a
    assert "Team B" in page_b and "1 practitioner" in page_b and "7 practitioners" not in page_b


def test_an_old_address_with_the_token_lands_on_its_page(client, team):
    team_id, token = team
    old = client.get(f"/a/{token}/q/sup_under3_count?return_to=check")
    assert old.status_code == 303
    assert old.headers["Location"] == f"/t/{team_id}/q/sup_under3_count?return_to=check"
    assert old.headers["Cache-Control"] == "no-store"
    posted = client.post(f"/a/{token}/q/sup_under3_count", data=form_data(2))
    assert posted.status_code == 307
    saved = client.post(posted.headers["Location"], data=form_data(2))
    assert path_of(saved) == f"/t/{team_id}/q/sup_under3_wte"


def test_an_unknown_link_is_not_valid(client):
    page = client.get("/a/not-a-real-link/q/sup_under3_count")
    assert page.status_code == 404 and NOT_VALID in page.text


def test_the_result_carries_team_date_version_and_contributors(app, client, make_team):
    team_id, token = make_team("Harbour team")
    prefix = team_at(client, token)
    client.post(f"{prefix}/", data={"name": "Priya Shah", "role": "Clinical lead"})
    walk(client, token, SPECIALISED)
    client.post(f"{prefix}/finish")
    page = client.get(f"{prefix}/result").text
    record = re.sub(r"\s+", " ", page.split('id="audit-record">')[1].split("</p>")[0])
    with app.app_context():
        audit = store.audits_for_team(get_db(), team_id)[0]
    assert "Harbour team" in record
    assert "Audit finished on " in record and "This page shows the audit as it was on " in record
    assert f"Questions version {audit['tree_version']}." in record
    assert "Priya Shah (Clinical lead)" in record
