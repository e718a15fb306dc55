"""The transcript above a question: each answer given, in the page's language, with its link."""

from __future__ import annotations

from bot import store
from bot.db import get_db
from tests.audit_support import form_data, team_at
from tests.profiles import SPECIALISED

ANSWERED = list(SPECIALISED)[:4]


def answer_some(client, token):
    for question_id in ANSWERED:
        client.post(
            f"{team_at(client, token)}/q/{question_id}",
            data=form_data(SPECIALISED[question_id]),
        )
    return client.get(f"{team_at(client, token)}/next").headers["Location"].split("#")[0]


def test_the_transcript_shows_each_answer_given_once(client, team):
    team_id, token = team
    page_url = answer_some(client, token)
    transcript = client.get(page_url).text.split('class="transcript"')[1].split("</section>")[0]
    assert transcript.count('class="chat-pair"') == len(ANSWERED)
    for question_id in ANSWERED:
        assert transcript.count(f"/t/{team_id}/q/{question_id}") == 1


def test_a_changed_answer_and_another_language_get_their_own_items(app, client, team):
    _, token = team
    page_url = answer_some(client, token)
    before = client.get(page_url).text
    client.post(f"{team_at(client, token)}/q/{ANSWERED[0]}", data=form_data(7))
    changed = client.get(page_url).text
    assert '<p class="bubble-answer">7' in changed
    assert '<p class="bubble-answer">7' not in before
    client.get("/language/cy")
    welsh = client.get(page_url).text
    assert "Newid" in welsh.split('class="transcript"')[1]  # "Change", in Welsh


def test_after_a_reissued_link_the_items_still_hold_no_token(app, client, team):
    team_id, token = team
    page_url = answer_some(client, token)
    with app.app_context():
        new_token = store.reissue_link(get_db(), team_id)
    page = client.get(f"{team_at(client, new_token)}/next", follow_redirects=True).text
    items = page.split('class="transcript"')[1]
    assert f'href="{page_url.rsplit("/q/", 1)[0]}/q/' in items
    assert token not in page and new_token not in page
