"""The guided audit through HTTP, the way a team member meets it."""

import re
from urllib.parse import urlsplit

import pytest

from bot import store
from bot.db import get_db
from bot.tree.engine import evaluate
from bot.trees import current_tree
from tests.audit_support import form_data, path_of, stored_answers, team_at, walk
from tests.conftest import Walk, csrf_token
from tests.profiles import PROFILES, SPECIALISED

BY_NAME = {profile.name: profile for profile in PROFILES}
#: The specialised profile answered through the site, not yet finished (`walked`).
ANSWERED = Walk(SPECIALISED, finished=False)

WEB_PROFILES = [
    p
    for p in PROFILES
    if p.name
    in {
        "everything met",
        "both targeted flags",
        "a targeted flag plus another gap",
        "no consultant lead or oversight",
        "skips the optional block in one answer",
        "part-time staff pro rata: half an hour short",
    }
]


@pytest.mark.parametrize("profile", WEB_PROFILES, ids=[p.name for p in WEB_PROFILES])
def test_a_whole_audit_ends_on_the_result_the_engine_gives(finished_audit, profile):
    audit = finished_audit(profile)
    app, team_id, token = audit.app, audit.team_id, audit.token
    assert set(audit.asked) == set(profile.answers)
    assert "Finish and see the result" in audit.check_page
    assert audit.finish_location == f"/t/{team_id}/result"
    member = audit.client()
    page = member.get(f"{team_at(member, token)}/result")
    assert page.status_code == 200
    with app.app_context():
        tree = current_tree()
        expected = evaluate(tree, profile.answers)
        result = tree.results_by_id[expected.classification]
        assert f'class="panel-title">{result.title}</h1>' in page.text
        for descriptor_id in expected.reasons:
            assert tree.descriptors_by_id[descriptor_id].title in page.text
        for flag_id in expected.flags:
            assert tree.flags_by_id[flag_id].title in page.text
    assert stored_answers(app, team_id) == {
        question_id: value for question_id, value in profile.answers.items()
    }


@pytest.mark.walked(ANSWERED)
def test_changing_an_answer_rebranches_and_keeps_the_hidden_answer(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    change = client.post(
        f"{team_at(client, token)}/q/lead_arrangement?return_to=check",
        data=form_data("neither"),
    )
    assert path_of(change) == f"{team_at(client, token)}/check"
    check = client.get(f"{team_at(client, token)}/check")
    assert "What is the pay band" not in check.text
    assert stored_answers(app, team_id)["lead_pay_band"] == "band_8c_or_above"
    back = client.post(
        f"{team_at(client, token)}/q/lead_arrangement?return_to=check",
        data=form_data("led_by"),
    )
    assert path_of(back) == f"{team_at(client, token)}/check"
    with app.app_context():
        pay_question = current_tree().question("lead_pay_band").text
    assert pay_question in client.get(f"{team_at(client, token)}/check").text


@pytest.mark.walked(ANSWERED)
def test_a_change_that_opens_a_new_branch_asks_it_then_returns_to_check(app, walked):
    [team] = walked
    token, client = team.token, team.member(app)
    change = client.post(
        f"{team_at(client, token)}/q/referral_age_range?return_to=check",
        data=form_data("before_first_birthday"),
    )
    assert path_of(change) == f"{team_at(client, token)}/q/referral_age_months_under_one"
    assert "return_to=check" in change.headers["Location"]
    done = client.post(
        f"{team_at(client, token)}/q/referral_age_months_under_one?return_to=check",
        data=form_data(6),
    )
    assert path_of(done) == f"{team_at(client, token)}/check"


def test_a_question_off_the_route_redirects_to_the_next_one_due(client, team):
    _, token = team
    # Only a Soulbury-pay answer leads to this question; on the default route it is skipped.
    response = client.get(f"{team_at(client, token)}/q/lead_soulbury_scale")
    assert path_of(response) == f"{team_at(client, token)}/q/sup_under3_count"


def test_resume_in_a_new_session_goes_to_the_next_unanswered_question(app, team):
    _, token = team
    first = app.test_client()
    first.post(f"{team_at(first, token)}/q/sup_under3_count", data=form_data(0))
    second = app.test_client()
    assert (
        path_of(second.get(f"{team_at(second, token)}/next"))
        == f"{team_at(second, token)}/q/sup_3plus_count"
    )
    start = second.get(f"{team_at(second, token)}/")
    assert "Continue the audit" in start.text


def test_transcript_shows_earlier_answers_with_change_links(client, team):
    _, token = team
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(2))
    page = client.get(f"{team_at(client, token)}/q/sup_under3_wte")
    assert "Your team’s answers so far" in page.text
    assert "2 practitioners" in page.text
    assert f'href="{team_at(client, token)}/q/sup_under3_count' in page.text
    assert re.search(r"Question 2 of about \d+", page.text)


def test_two_respondents_are_recorded_and_a_replacement_is_shown(app, team):
    team_id, token = team
    sam, alex = app.test_client(), app.test_client()
    sam.post(f"{team_at(sam, token)}/", data={"name": "Sam", "role": "Clinical lead"})
    alex.post(f"{team_at(alex, token)}/", data={"name": "Alex", "role": "Therapist"})
    sam.post(f"{team_at(sam, token)}/q/sup_under3_count", data=form_data(0))
    sam.post(f"{team_at(sam, token)}/q/sup_3plus_count", data=form_data(0))
    sam.post(f"{team_at(sam, token)}/q/sup_line_management", data=form_data("combined"))
    alex.post(f"{team_at(alex, token)}/q/sup_line_management", data=form_data("different_person"))
    check = alex.get(f"{team_at(alex, token)}/check").text
    assert "Answered by Sam (Clinical lead)" in check or "Answered by Sam" in check
    assert "changed by Alex (Therapist)" in check
    assert "was: Supervision and line management" in check or "was:" in check
    start = sam.get(f"{team_at(sam, token)}/?intro=1").text
    assert "Sam" in start and "Alex" in start


@pytest.mark.parametrize(
    ("question_id", "data", "message"),
    [
        ("sup_under3_count", {}, "Enter a number"),
        ("sup_under3_count", {"answer": "two"}, "Enter a whole number, like 3"),
        ("sup_under3_count", {"answer": "2.5"}, "Enter a whole number"),
        ("sup_under3_count", {"answer": "101"}, "Enter a number of 100 or less"),
        ("sup_under3_count", {"answer": "-3"}, "Enter a number of 0 or more"),
    ],
)
def test_invalid_numbers_show_the_form_again_and_store_nothing(
    app, client, team, question_id, data, message
):
    team_id, token = team
    response = client.post(f"{team_at(client, token)}/q/{question_id}", data=data)
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert f'<a href="#answer">{message}' in response.text
    assert 'class="error-message" id="answer-error"' in response.text
    if data.get("answer"):
        assert f'value="{data["answer"]}"' in response.text
    assert stored_answers(app, team_id) == {}


def test_invalid_choices_are_refused(app, client, team):
    team_id, token = team
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    client.post(f"{team_at(client, token)}/q/sup_3plus_count", data=form_data(0))
    for data in ({}, {"answer": "made_up"}, {"answer": ["different_person", "combined"]}):
        response = client.post(f"{team_at(client, token)}/q/sup_line_management", data=data)
        assert response.status_code == 422, data
    assert set(stored_answers(app, team_id)) == {"sup_under3_count", "sup_3plus_count"}


@pytest.mark.walked(ANSWERED)
def test_an_exclusive_option_cannot_be_combined(app, walked):
    [team] = walked
    team_id, token, client = team.team_id, team.token, team.member(app)
    response = client.post(
        f"{team_at(client, token)}/q/systems_mechanisms",
        data={"answer": ["none", "consultation_advice"]},
    )
    assert response.status_code == 422
    assert "with other options" in response.text
    assert 'value="consultation_advice" checked' in response.text
    assert stored_answers(app, team_id)["systems_mechanisms"] == SPECIALISED["systems_mechanisms"]


def test_a_long_note_is_refused_with_the_text_kept(client, team):
    _, token = team
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    client.post(f"{team_at(client, token)}/q/sup_3plus_count", data=form_data(0))
    note = "x" * 5001
    response = client.post(
        f"{team_at(client, token)}/q/sup_line_management",
        data={"answer": "combined", "note": note},
    )
    assert response.status_code == 422
    assert note in response.text


def test_odd_characters_are_stored_cleaned_and_shown_escaped(app, client, team):
    team_id, token = team
    walk(
        client,
        token,
        {
            **SPECIALISED,
            "referral_relationship_concern": "no",
            "referral_limiting_characteristic": ["other_characteristic"],
            "referral_limiting_other": "<script>x</script>\x00\x1b 👶🏽 עברית",
        },
    )
    stored = stored_answers(app, team_id)["referral_limiting_other"]
    assert stored == "<script>x</script> 👶🏽 עברית"
    page = client.get(f"{team_at(client, token)}/check").text
    assert "&lt;script&gt;x&lt;/script&gt; 👶🏽 עברית" in page
    assert "<script>x</script>" not in page


@pytest.mark.parametrize(
    "path",
    ["/a/not-a-real-token/", "/a/not-a-real-token/check", "/a/not-a-real-token/q/sup_under3_count"],
)
def test_unknown_link_is_a_404_that_says_who_to_ask(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "This audit link is not valid" in response.text
    assert "Ask the person who sent you the link" in response.text


def test_one_teams_link_never_shows_another_teams_answers(app, make_team):
    _, token_a = make_team("Team A")
    _, token_b = make_team("Team B")
    client = app.test_client()
    client.post(f"{team_at(client, token_a)}/q/sup_under3_count", data=form_data(7))
    page_b = client.get(f"{team_at(client, token_b)}/q/sup_under3_count")
    assert "Team B" in page_b.text and "Team A" not in page_b.text
    assert "7 practitioners" not in page_b.text
    assert (
        path_of(client.get(f"{team_at(client, token_b)}/next"))
        == f"{team_at(client, token_b)}/q/sup_under3_count"
    )


def test_csrf_is_enforced_when_enabled(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        _, token = store.create_team(get_db(), "CSRF team")
    client = app.test_client()
    refused = client.post(f"{team_at(client, token)}/q/sup_under3_count", data={"answer": "1"})
    assert refused.status_code == 422
    assert "This page has expired" in refused.text
    page = client.get(f"{team_at(client, token)}/q/sup_under3_count")
    accepted = client.post(
        f"{team_at(client, token)}/q/sup_under3_count",
        data={"answer": "1", "csrf_token": csrf_token(page.text)},
    )
    assert accepted.status_code == 302


@pytest.mark.walked(Walk(SPECIALISED))
def test_a_finished_audit_can_be_reopened_and_the_result_follows(app, walked):
    [team] = walked
    token, client = team.token, team.member(app)
    assert (
        "Specialised parent-infant relationship team"
        in client.get(f"{team_at(client, token)}/result").text
    )
    client.post(f"{team_at(client, token)}/reopen")
    assert (
        path_of(client.get(f"{team_at(client, token)}/result")) == f"{team_at(client, token)}/check"
    )
    client.post(
        f"{team_at(client, token)}/q/referral_age_range?return_to=check",
        data=form_data("to_first_birthday"),
    )
    client.post(f"{team_at(client, token)}/finish")
    assert (
        "Targeted parent-infant relationship team"
        in client.get(f"{team_at(client, token)}/result").text
    )


def test_team_create_prints_a_working_link(app, runner):
    result = runner.invoke(args=["team", "create", "Riverside Parent-Infant Team"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://\S+/a/(\S+)/", result.output)
    assert link
    assert (
        "Riverside Parent-Infant Team"
        in app.test_client().get(urlsplit(link.group(0)).path, follow_redirects=True).text
    )


def test_demo_team_is_created_once_and_its_link_printed_each_run(app, runner):
    first = runner.invoke(args=["team", "demo"])
    second = runner.invoke(args=["team", "demo"])
    link_first = re.search(r"/a/\S+/", first.output).group(0)
    assert link_first == re.search(r"/a/\S+/", second.output).group(0)
    assert app.test_client().get(link_first, follow_redirects=True).status_code == 200


def test_security_headers_keep_the_link_out_of_referrers(client, team):
    _, token = team
    response = client.get(f"{team_at(client, token)}/")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in response.text and " style=" not in response.text


def test_every_post_route_refuses_a_request_without_a_csrf_token(new_app):
    app = new_app(SECRET_KEY="t")
    with app.app_context():
        _, token = store.create_team(get_db(), "CSRF team")
        store.set_setting(get_db(), "signup_open", "1")  # sign-up starts closed
    client = app.test_client()
    team_at(client, token)
    post_rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert post_rules
    for rule in post_rules:
        url = re.sub(
            r"<int:\w+>",
            "1",
            rule.rule.replace("<token>", token)
            .replace("<question_id>", "sup_under3_count")
            .replace("<path:rest>", "q/sup_under3_count"),
        )
        response = client.post(url, data={"answer": "1"}, follow_redirects=True)
        assert response.status_code in (400, 422), url
    with app.app_context():
        audit = store.current_audit(get_db(), 1, tree_id="x", tree_version="x", tree_digest="x")
        assert store.current_answers(get_db(), audit["id"]) == {}


def test_opening_the_link_again_resumes_at_the_next_unanswered_question(client, team):
    _, token = team
    first_visit = client.get(f"{team_at(client, token)}/")
    assert first_visit.status_code == 200 and "Start the audit" in first_visit.text
    client.post(f"{team_at(client, token)}/", data={"name": "", "role": ""})
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    assert (
        path_of(client.get(f"{team_at(client, token)}/"))
        == f"{team_at(client, token)}/q/sup_3plus_count"
    )
    intro = client.get(f"{team_at(client, token)}/?intro=1")
    assert intro.status_code == 200 and "Continue the audit" in intro.text


def test_clearing_your_name_answers_anonymously_from_then_on(app, client, team):
    team_id, token = team
    client.post(f"{team_at(client, token)}/", data={"name": "Sam", "role": "Lead"})
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    client.post(f"{team_at(client, token)}/", data={"name": "", "role": ""})
    client.post(f"{team_at(client, token)}/q/sup_3plus_count", data=form_data(0))
    check = client.get(f"{team_at(client, token)}/check").text
    assert "Answered by Sam (Lead)" in check
    assert "Answered by a member without a name, on a computer, since " in check


def test_back_from_the_first_question_reaches_the_start_page(client, team):
    _, token = team
    client.post(f"{team_at(client, token)}/", data={"name": "", "role": ""})
    page = client.get(f"{team_at(client, token)}/q/sup_under3_count").text
    back = re.search(r'href="([^"]+)" class="back-link"', page).group(1)
    assert back == f"{team_at(client, token)}/?intro=1"
    assert client.get(back).status_code == 200


def _result_sections(page: str) -> dict[str, str]:
    """The result page's text under each second-level heading."""
    main = page[page.index("<main") : page.index("</main>")]
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", main)
    return {heading: body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.mark.parametrize(
    ("profile_name", "other_reasons"),
    [
        ("referrals only up to the first birthday", []),
        ("a targeted flag plus another gap", ["staff_competencies"]),
    ],
)
def test_a_targeted_limit_is_explained_once_above_the_other_reasons(
    finished_audit, profile_name, other_reasons
):
    audit = finished_audit(BY_NAME[profile_name])
    assert audit.finish_location == f"/t/{audit.team_id}/result"
    client = audit.client()
    sections = _result_sections(client.get(f"{team_at(client, audit.token)}/result").text)
    with audit.app.app_context():
        tree = current_tree()
    flag = tree.flags_by_id["targeted_age_under_one"]
    why = next(body for heading, body in sections.items() if "targeted" in heading.lower())
    assert flag.explanation in why
    flagged = tree.descriptors_by_id[flag.descriptor].title
    if other_reasons:
        reasons = sections["The reasons"]
        assert flagged not in reasons
        for descriptor_id in other_reasons:
            assert tree.descriptors_by_id[descriptor_id].title in reasons
    else:
        assert "The reasons" not in sections
    # The descriptor is still listed with the rest, its suggested actions under it.
    assert flagged in sections["Every descriptor"]


def test_a_percentage_is_written_without_a_space(finished_audit):
    check = finished_audit(BY_NAME["everything met"]).check_page
    assert f"{SPECIALISED['systems_share_percent']}%" in check
    assert f"{SPECIALISED['systems_share_percent']} %" not in check
