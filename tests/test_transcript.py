"""The transcript above a question: each answer given, in the page's language, with its link."""

from __future__ import annotations

from bot import store
from bot.db import get_db
from tests.audit_support import form_data
from tests.profiles import SPECIALISED

ANSWERED = list(SPECIALISED)[:4]


def answer_some(client, token):
    for question_id in ANSWERED:
        client.post(f"/a/{token}/q/{question_id}", data=form_data(SPECIALISED[question_id]))
    return client.get(f"/a/{token}/next").headers["Location"].split("#")[0]


def test_the_transcript_shows_each_answer_given_once(client, team):
    _, token = team
    page_url = answer_some(client, token)
    transcript = client.get(page_url).text.split('class="transcript"')[1].split("</section>")[0]
    assert transcript.count('class="chat-pair"') == len(ANSWERED)
    for question_id in ANSWERED:
        assert transcript.count(f"/a/{token}/q/{question_id}") == 1


def test_a_changed_answer_and_another_language_get_their_own_items(app, client, team):
    _, token = team
    page_url = answer_some(client, token)
    before = client.get(page_url).text
    client.post(f"/a/{token}/q/{ANSWERED[0]}", data=form_data(7))
    changed = client.get(page_url).text
    assert '<p class="bubble-answer">7' in changed
    assert '<p class="bubble-answer">7' not in before
    client.get("/language/cy")
    welsh = client.get(page_url).text
    assert "Newid" in welsh.split('class="transcript"')[1]  # "Change", in Welsh


def test_a_reissued_link_gets_items_that_link_with_it(app, client, team):
    team_id, token = team
    page_url = answer_some(client, token)
    assert f"/a/{token}/q/" in client.get(page_url).text
    with app.app_context():
        new_token = store.reissue_link(get_db(), team_id)
    page = client.get(page_url.replace(token, new_token)).text
    items = page.split('class="transcript"')[1]
    assert token not in items and f"/a/{new_token}/q/" in items
