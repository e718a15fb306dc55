"""Getting around on a small screen: where Back, Change and the language switch land."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from bot import store
from bot.db import get_db
from bot.tree.engine import evaluate
from bot.trees import current_tree
from tests.audit_support import form_data, team_at
from tests.profiles import SPECIALISED


def store_answers(app, team_id: int, answers: dict) -> None:
    with app.app_context():
        tree = current_tree()
        audit = store.current_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        for question_id, value in answers.items():
            store.record_answer(get_db(), audit["id"], question_id, value, tree=tree)


def path_to(app, answers: dict) -> list[str]:
    with app.app_context():
        return list(evaluate(current_tree(), dict(answers)).journey.path)


def tree_of(app):
    with app.app_context():
        return current_tree()


def answered_before(app, question_id: str) -> dict:
    path = path_to(app, SPECIALISED)
    return {asked: SPECIALISED[asked] for asked in path[: path.index(question_id)]}


def test_a_change_from_the_check_page_returns_to_that_answers_row(app, client, team):
    team_id, token = team
    store_answers(app, team_id, SPECIALISED)
    check = client.get(f"{team_at(client, token)}/check").text
    assert 'id="answer-referral_age_range"' in check
    question = client.get(f"{team_at(client, token)}/q/referral_age_range?return_to=check").text
    back = re.search(r'href="([^"]+)" class="back-link"', question).group(1)
    assert back == f"{team_at(client, token)}/check#answer-referral_age_range"
    response = client.post(
        f"{team_at(client, token)}/q/referral_age_range?return_to=check",
        data={"answer": "to_first_birthday", "note": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"{team_at(client, token)}/check#answer-referral_age_range"
    )


def test_finishing_the_audit_the_ordinary_way_lands_at_the_top_of_the_check_page(app, client, team):
    team_id, token = team
    store_answers(app, team_id, answered_before(app, "further_anything_else"))
    response = client.post(
        f"{team_at(client, token)}/q/further_anything_else",
        data={"answer": "More to say.", "note": ""},
    )
    assert response.headers["Location"].endswith(f"{team_at(client, token)}/check")


def test_the_back_link_sits_inside_the_question_not_above_the_conversation(app, client, team):
    team_id, token = team
    store_answers(app, team_id, answered_before(app, "mdt_professions"))
    page = client.get(f"{team_at(client, token)}/q/mdt_professions").text
    question_at = page.index('id="question"')
    assert page.index('class="back-link"') > question_at
    assert page.index('class="back-link"') < page.index('id="question-heading"')
    assert page.index('class="transcript"') < question_at


@pytest.mark.parametrize("language", ["cy", "en"])
def test_switching_language_on_a_question_comes_back_to_the_question(client, team, language):
    _, token = team
    prefix = team_at(client, token)
    page = client.get(f"{prefix}/q/sup_under3_count").text
    other = "cy" if language == "en" else "en"
    if language == "cy":
        client.get(f"/language/cy?next={prefix}/q/sup_under3_count")
        page = client.get(f"{prefix}/q/sup_under3_count").text
    # The switch is a button that posts the question's form, so nothing typed is lost.
    switch = re.search(r'form="answer-form" formnovalidate formaction="([^"]+)"', page)[1]
    switch = switch.replace("&amp;", "&")
    assert parse_qs(urlsplit(switch).query)["language"] == [other]
    response = client.post(switch, data={"answer": "", "note": "", "revision": ""})
    assert response.headers["Location"] == f"{prefix}/q/sup_under3_count#question"
    shown = client.get(response.headers["Location"]).text
    assert f'<html lang="{"en-GB" if other == "en" else "cy"}">' in shown
    assert 'id="draft"' not in shown


def test_switching_language_elsewhere_returns_to_the_same_page_without_a_fragment(client, team):
    _, token = team
    page = client.get(f"{team_at(client, token)}/check").text
    switch = re.search(r'href="(/language/cy\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert client.get(switch).headers["Location"] == f"{team_at(client, token)}/check"


def test_earlier_domains_are_one_line_each_and_the_current_domain_is_open(app, client, team):
    team_id, token = team
    store_answers(app, team_id, answered_before(app, "further_anything_else"))
    prefix = team_at(client, token)
    page = client.get(f"{prefix}/q/further_anything_else").text
    tree = tree_of(app)
    path = path_to(app, SPECIALISED)
    asked = path[: path.index("further_anything_else")]
    current = tree.questions_by_id["further_anything_else"].domain
    earlier = [d.id for d in tree.domains if d.id != current]
    # Each earlier domain: one line, linked to its answers on the check page, with a count.
    links = re.findall(rf'<a href="{prefix}/check#domain-([a-z_]+)">', page)
    assert links == earlier
    governance = sum(1 for q in asked if tree.questions_by_id[q].domain == "team_governance")
    assert f"{governance} answers" in page
    # The current domain's exchanges are in full, in a details element that starts open.
    assert re.findall(r'<details class="transcript-domain([^"]*)"( open)?>', page) == [
        (" transcript-domain-current", " open")
    ]
    in_current = [q for q in asked if tree.questions_by_id[q].domain == current]
    assert page.count('class="chat-pair"') == len(in_current)
    # Each link's target holds that domain's answers, with their Change links.
    check = client.get(f"{prefix}/check").text
    for domain_id in earlier:
        section = check.split(f'id="domain-{domain_id}"')[1].split("<h2")[0]
        for question_id in (q for q in asked if tree.questions_by_id[q].domain == domain_id):
            assert f"/q/{question_id}?return_to=check" in section, (domain_id, question_id)


def test_a_domain_note_is_shown_once_on_the_first_question_of_its_domain(app, client, team):
    team_id, token = team
    tree = tree_of(app)
    noted = [d for d in tree.domains if d.note]
    assert noted, "the tree has no domain notes to test"
    path = path_to(app, SPECIALISED)
    for domain in noted:
        in_domain = [q for q in path if tree.questions_by_id[q].domain == domain.id]
        store_answers(app, team_id, answered_before(app, in_domain[-1]))
        first = client.get(f"{team_at(client, token)}/q/{in_domain[0]}").text
        assert first.count('class="inset"') == 1, domain.id
        for later in in_domain[1:]:
            assert 'class="inset"' not in client.get(f"{team_at(client, token)}/q/{later}").text, (
                later
            )


def test_the_optional_block_says_how_many_questions_follow_counted_from_the_tree(app, client, team):
    team_id, token = team
    tree = tree_of(app)
    optional = next(d for d in tree.domains if d.optional)
    in_domain = [q for q in tree.questions if q.domain == optional.id]
    store_answers(app, team_id, answered_before(app, in_domain[0].id))
    page = client.get(f"{team_at(client, token)}/q/{in_domain[0].id}").text
    assert f"If you choose to answer, {len(in_domain) - 1} questions follow." in page
    start = client.get(f"{team_at(client, token)}/?intro=1").text
    assert f"{len(in_domain) - 1} questions at the end are optional" in start
    tasks = unescape(client.get(f"{team_at(client, token)}/tasks").text)
    assert f"Optional: {len(in_domain) - 1} questions, which you can skip with one answer" in tasks


def test_an_optional_question_says_so_in_its_heading(app, client, team):
    team_id, token = team
    tree = tree_of(app)
    optional = next(q for q in tree.questions if not q.required)
    store_answers(app, team_id, answered_before(app, optional.id))
    page = client.get(f"{team_at(client, token)}/q/{optional.id}").text
    heading = re.search(r'id="question-heading">(.*?)</h1>', page, re.S).group(1)
    assert heading.rstrip().endswith("(optional)") or "(optional)</label>" in heading


NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
SPELLED_COUNT = re.compile(
    rf"\b({NUMBER_WORDS})\s+(optional\s+|more\s+|further\s+|extra\s+)?questions\b", re.I
)


def test_no_tree_text_writes_a_count_of_questions_that_would_go_stale(app):
    """Counts of questions come from the tree at render time, never from its wording."""
    tree = tree_of(app)
    texts = [
        text
        for question in tree.questions
        for text in (question.text, question.help, question.hint, question.note)
    ] + [text for domain in tree.domains for text in (domain.title, domain.note)]
    assert [text for text in texts if SPELLED_COUNT.search(text)] == []


def test_the_optional_questions_are_counted_apart_so_the_count_never_jumps(app, client, team):
    team_id, token = team
    prefix = team_at(client, token)
    store_answers(app, team_id, answered_before(app, "further_choice"))
    path = path_to(app, {**SPECIALISED, "further_choice": "skip_extra"})
    assert path[-1] == "further_choice"
    # The choice is the last question a team that skips meets: "of about" ends where it does.
    choice = client.get(f"{prefix}/q/further_choice").text
    assert f"Question {len(path)} of about {len(path)}" in choice
    client.post(f"{prefix}/q/further_choice", data=form_data("answer_extra"))
    first_optional = client.get(f"{prefix}/next").headers["Location"].split("#")[0]
    optional = [q for q in path_to(app, SPECIALISED) if q not in path]
    assert first_optional == f"{prefix}/q/{optional[0]}"
    assert f"Optional question 1 of {len(optional)}" in client.get(first_optional).text
