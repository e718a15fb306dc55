"""Several members on one audit, each with their own browser (test client).

Nobody's answer is replaced unseen (the conflict page), nothing typed is thrown away (off-path
and removed questions), colleagues see who else is working, the task list shares the domains
out, and the check page lists where people disagreed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest

from bot import store
from bot.db import get_db
from tests.audit_support import form_data, path_of, stored_answers, team_at, walk
from tests.profiles import SPECIALISED
from tests.together_support import LEAD, conflict_form, member, shown, text

SHARED_OUT = Path(__file__).parent / "trees" / "shared_out.yaml"


def history(app, team_id, question_id):
    with app.app_context():
        db = get_db()
        audit = store.current_audit(db, team_id, tree_id="x", tree_version="x", tree_digest="x")
        return [(r.value, r.note) for r in store.answer_log(db, audit["id"]).get(question_id, [])]


@pytest.fixture
def two(app, team):
    team_id, token = team
    sarah = member(app, token, "Dr Sarah Jones", "Clinical lead")
    tom = member(app, token, "Tom Evans", "Therapist")
    return team_id, token, sarah, tom


# -- 1. no lost updates ----------------------------------------------------------------------


def stale_post(token, sarah, tom):
    """Both open the question; Tom saves "No lead"; Sarah then posts her "led by" form."""
    _, sarahs = shown(sarah, token, LEAD)
    _, toms = shown(tom, token, LEAD)
    saved = tom.post(
        f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("neither", "Nobody"), **toms}
    )
    assert saved.status_code == 302
    return sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}", data={**form_data("led_by", "Dr Ahmed"), **sarahs}
    )


def test_a_stale_form_shows_both_answers_and_overwrites_nothing(app, two):
    team_id, token, sarah, tom = two
    conflict = stale_post(token, sarah, tom)
    assert conflict.status_code == 409
    page = text(conflict)
    # Tom gave the first answer: he answered it, he did not change it
    assert "This question was answered while you were answering" in page
    assert "Tom Evans (Therapist) answered this question" in page
    assert ": ‘No, there is no such lead or oversight’" in page
    assert "changed this answer" not in page
    assert "You were answering ‘Yes, they lead the team’" in page
    assert "Nobody" in page and "Dr Ahmed" in page
    assert "Keep their answer" in page and "Use my answer" in page
    assert history(app, team_id, LEAD) == [("neither", "Nobody")]


def test_keep_theirs_saves_nothing_and_moves_on(app, two):
    team_id, token, sarah, tom = two
    conflict = stale_post(token, sarah, tom)
    kept = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}",
        data={**conflict_form(conflict), "conflict": "theirs"},
    )
    assert kept.status_code == 302
    assert history(app, team_id, LEAD) == [("neither", "Nobody")]


def test_use_mine_replaces_theirs_once_seen(app, two):
    team_id, token, sarah, tom = two
    conflict = stale_post(token, sarah, tom)
    used = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}",
        data={**conflict_form(conflict), "conflict": "mine"},
    )
    assert used.status_code == 302
    assert history(app, team_id, LEAD) == [("neither", "Nobody"), ("led_by", "Dr Ahmed")]


def test_use_mine_after_a_third_change_asks_again(app, two):
    team_id, token, sarah, tom = two
    conflict = stale_post(token, sarah, tom)
    _, toms = shown(tom, token, LEAD)
    tom.post(f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("oversight"), **toms})
    again = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}",
        data={**conflict_form(conflict), "conflict": "mine"},
    )
    assert again.status_code == 409
    assert "‘Yes, they give clinical oversight" in text(again)
    assert history(app, team_id, LEAD)[-1] == ("oversight", "")


def test_the_same_answer_twice_is_not_a_conflict(app, two):
    team_id, token, sarah, tom = two
    _, sarahs = shown(sarah, token, LEAD)
    _, toms = shown(tom, token, LEAD)
    assert (
        tom.post(
            f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("led_by"), **toms}
        ).status_code
        == 302
    )
    same = sarah.post(f"{team_at(sarah, token)}/q/{LEAD}", data={**form_data("led_by"), **sarahs})
    assert same.status_code == 302
    assert history(app, team_id, LEAD) == [("led_by", "")]


def test_a_form_shown_with_the_latest_answer_saves_a_change(app, two):
    team_id, token, sarah, tom = two
    _, toms = shown(tom, token, LEAD)
    tom.post(f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("neither"), **toms})
    _, sarahs = shown(sarah, token, LEAD)
    assert sarahs["revision"]
    changed = sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}", data={**form_data("led_by"), **sarahs}
    )
    assert changed.status_code == 302
    assert [value for value, _ in history(app, team_id, LEAD)] == ["neither", "led_by"]


# -- 2. nothing typed is thrown away ---------------------------------------------------------


def test_an_answer_to_a_question_taken_off_the_route_is_kept_and_explained(app, two):
    team_id, token, sarah, tom = two
    _, sarahs = shown(sarah, token, "lead_profession")
    _, toms = shown(tom, token, LEAD)
    tom.post(f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("neither"), **toms})
    late = sarah.post(
        f"{team_at(sarah, token)}/q/lead_profession",
        data={**form_data("clinical_psychologist", "Our psychologist, Dr Ahmed"), **sarahs},
    )
    assert late.status_code == 200
    page = text(late)
    assert (
        "This question no longer applies because Tom Evans (Therapist) changed ‘Does one senior "
        "clinician lead the team, or give it clinical oversight?’" in page
    )
    assert "Our psychologist, Dr Ahmed" in page
    assert history(app, team_id, "lead_profession") == [
        ("clinical_psychologist", "Our psychologist, Dr Ahmed")
    ]
    # The branch comes back and so does her answer.
    _, toms = shown(tom, token, LEAD)
    tom.post(f"{team_at(tom, token)}/q/{LEAD}", data={**form_data("led_by"), **toms})
    page, _ = shown(sarah, token, "lead_profession")
    assert 'value="clinical_psychologist" checked' in page


def test_an_invalid_answer_to_an_off_route_question_is_shown_again_with_the_reason(app, two):
    team_id, token, sarah, tom = two
    walk(tom, token, SPECIALISED)
    _, sarahs = shown(sarah, token, "sup_under3_wte")
    _, toms = shown(tom, token, "sup_under3_count")
    tom.post(f"{team_at(tom, token)}/q/sup_under3_count", data={**form_data(0), **toms})
    late = sarah.post(
        f"{team_at(sarah, token)}/q/sup_under3_wte", data={**form_data("lots"), **sarahs}
    )
    assert late.status_code == 422
    assert 'value="lots"' in late.text
    assert "This question no longer applies because Tom Evans (Therapist) changed" in text(late)


def test_a_question_removed_by_a_tree_update_keeps_what_was_typed(apps):  # noqa: F811
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Moving team")
    sarah = member(before, token, "Dr Sarah Jones")
    _, sarahs = shown(sarah, token, "referral_age_start")
    # The questions are updated while her page is open; she posts to the new version.
    sarah_after = after.test_client()
    with sarah.session_transaction() as session:
        kept_session = dict(session)
    with sarah_after.session_transaction() as session:
        session.update(kept_session)
    removed = sarah_after.post(
        f"{team_at(sarah_after, token)}/q/referral_age_start",
        data={**form_data("from_pregnancy", "We see mothers from 20 weeks"), **sarahs},
    )
    assert removed.status_code == 200
    page = text(removed)
    assert "This question was removed" in page
    assert "We see mothers from 20 weeks" in page
    assert history(after, team_id, "referral_age_start") == [
        ("from_pregnancy", "We see mothers from 20 weeks")
    ]
    assert "This question was removed" in text(
        sarah_after.get(f"{team_at(sarah_after, token)}/q/referral_age_start")
    )
    assert sarah_after.get(f"{team_at(sarah_after, token)}/q/no_such_question").status_code == 404


# -- 4. who else is here ---------------------------------------------------------------------


def test_colleagues_see_who_has_which_question_open_at_the_top_of_the_page(app, two):
    team_id, token, sarah, tom = two
    with app.app_context():
        db = get_db()
        audit = store.current_audit(db, team_id, tree_id="x", tree_version="x", tree_digest="x")
        earlier = store.add_respondent(db, team_id, "Ann Early", "Manager")
        long_ago = store.utc_now() - timedelta(minutes=20)
        store.mark_present(db, earlier, audit["id"], "outcomes_collection", at=long_ago)
    shown(tom, token, "referral_pathway")

    prefix = team_at(sarah, token)
    for page in (sarah.get(f"{prefix}/?intro=1"), sarah.get(f"{prefix}/q/sup_under3_count")):
        here = unescape(page.text.split("Also working on this audit")[1].split("</ul>")[0])
        assert (
            f'Tom Evans (Therapist) is on ‘<a href="{prefix}/q/referral_pathway#question">'
            "Is there a clear referral pathway into the team?</a>’, " in here
        )
        assert "ago" in here or "now" in here
        assert "Ann Early" not in here
    question_page = sarah.get(f"{prefix}/q/sup_under3_count").text
    assert question_page.index('id="people-here"') < question_page.index('class="progress-text"')
    toms = unescape(tom.get(f"{team_at(tom, token)}/q/sup_under3_count").text)
    assert "Dr Sarah Jones (Clinical lead) has this question open, " in toms
    assert "Tom Evans" not in toms.split("Also working on this audit")[1].split("</ul>")[0]


# -- 5. the task list ------------------------------------------------------------------------


@pytest.fixture
def shared_app(new_app):
    return new_app(WTF_CSRF_ENABLED=False, QUESTION_TREE=str(SHARED_OUT))


def statuses(client, token) -> dict[str, str]:
    page = client.get(f"{team_at(client, token)}/tasks")
    assert page.status_code == 200
    items = re.findall(
        r'<li class="task-list-item[^"]*">.*?(?:task-list-link"[^>]*|task-list-name")>([^<]+)<'
        r".*?task-list-status[^>]*>\s*<[^>]+>([^<]+)<",
        page.text,
        re.S,
    )
    return dict(items)


def entry_links(client, token) -> dict[str, str]:
    page = client.get(f"{team_at(client, token)}/tasks").text
    return dict(
        (title, question)
        for question, title in re.findall(
            r'/q/(\w+)\?return_to=tasks#question"[^>]*>([^<]+)<', page
        )
    )


def test_the_task_list_follows_a_branching_tree(shared_app):
    with shared_app.app_context():
        _, token = store.create_team(get_db(), "Sharing team")
    ann = member(shared_app, token, "Ann")
    assert statuses(ann, token) == {
        "Team": "Not yet started",
        "Visits": "Cannot start yet",
        "Records": "Not yet started",
        "More": "Not yet started",
    }
    assert "Needs the answers in: Team" in ann.get(f"{team_at(ann, token)}/tasks").text
    assert "/q/visits_home" not in ann.get(f"{team_at(ann, token)}/tasks").text

    # Ann takes Records before anyone has answered Team.
    assert entry_links(ann, token)["Records"] == "records_kept"
    opened = ann.get(f"{team_at(ann, token)}/q/records_kept?return_to=tasks").text
    assert f'href="{team_at(ann, token)}/tasks" class="back-link"' in opened
    assert "Question 5 of about 7" in opened  # the optional block's question counted apart
    first = ann.post(f"{team_at(ann, token)}/q/records_kept?return_to=tasks", data=form_data("yes"))
    assert path_of(first) == f"{team_at(ann, token)}/q/records_where"
    second = ann.get(first.headers["Location"]).text
    assert (
        f'href="{team_at(ann, token)}/q/records_kept?return_to=tasks" class="back-link"' in second
    )
    done = ann.post(
        f"{team_at(ann, token)}/q/records_where?return_to=tasks", data=form_data("In the EPR")
    )
    assert path_of(done) == f"{team_at(ann, token)}/tasks"
    assert "You have answered every question in Records" in ann.get(done.headers["Location"]).text

    ben = member(shared_app, token, "Ben")
    ben.post(f"{team_at(ben, token)}/q/team_lead?return_to=tasks", data=form_data("no"))
    assert statuses(ben, token) == {
        "Team": "In progress",
        "Visits": "Not yet started",
        "Records": "Completed",
        "More": "Not yet started",
    }
    assert entry_links(ben, token)["Team"] == "team_size"
    # With no lead, Visits is one question long.
    ben.post(f"{team_at(ben, token)}/q/visits_home?return_to=tasks", data=form_data("yes"))
    assert statuses(ben, token)["Visits"] == "Completed"
    ben.post(f"{team_at(ben, token)}/q/team_size?return_to=tasks", data=form_data(4))
    ben.post(f"{team_at(ben, token)}/q/more_choice?return_to=tasks", data=form_data("no"))
    assert set(statuses(ben, token).values()) == {"Completed"}
    assert path_of(ben.get(f"{team_at(ben, token)}/next")) == f"{team_at(ben, token)}/check"


def test_the_task_list_is_reachable_from_the_start_page_and_every_question(app, client, team):
    _, token = team
    assert (
        f'href="{team_at(client, token)}/tasks"'
        in client.get(f"{team_at(client, token)}/?intro=1").text
    )
    assert (
        f'href="{team_at(client, token)}/tasks"'
        in client.get(f"{team_at(client, token)}/q/sup_under3_count").text
    )
    page = client.get(f"{team_at(client, token)}/tasks").text
    for title in (
        "Team composition and clinical governance",
        "Referrals and accessibility",
        "Clinical work",
        "Wider systems work",
        "Outcomes and sustainability",
        "Further practice from the 2024 report",
    ):
        assert title in page
    assert page.index("Optional") < page.index("Further practice from the 2024 report")


def test_a_later_domain_is_entered_at_its_first_unanswered_question(app, two):
    _, token, sarah, tom = two
    tom.post(
        f"{team_at(tom, token)}/q/clinical_individual_assessment?return_to=tasks",
        data=form_data("every_family"),
    )
    assert entry_links(sarah, token)["Clinical work"] == "clinical_tailored_package"
    statuses_now = statuses(sarah, token)
    assert statuses_now["Clinical work"] == "In progress"
    assert statuses_now["Team composition and clinical governance"] == "Not yet started"


# -- 6. where you disagreed ------------------------------------------------------------------


def test_the_check_page_lists_answers_people_gave_differently(app, two):
    _, token, sarah, tom = two
    walk(tom, token, SPECIALISED)
    check = text(sarah.get(f"{team_at(sarah, token)}/check"))
    assert "Where you disagreed" not in check
    assert "All these answers were given by Tom Evans (Therapist)" in check
    assert "Answered by" not in check

    _, sarahs = shown(sarah, token, LEAD)
    sarah.post(
        f"{team_at(sarah, token)}/q/{LEAD}",
        data={**form_data("oversight", "Day to day: Jo"), **sarahs},
    )
    _, toms = shown(tom, token, "referral_pathway")
    tom.post(
        f"{team_at(tom, token)}/q/referral_pathway", data={**form_data("informal"), **toms}
    )  # his own
    check = text(tom.get(f"{team_at(tom, token)}/check"))
    disagreed = check.split("Where you disagreed")[1].split("Team composition")[0]
    assert "Does one senior clinician lead the team" in disagreed
    assert "Yes, they lead the team – Tom Evans (Therapist)" in disagreed
    assert "Yes, they give clinical oversight" in disagreed
    assert "Dr Sarah Jones (Clinical lead)" in disagreed and "Day to day: Jo" in disagreed
    assert "How do referrers" not in disagreed
    assert "All these answers were given by" not in check
    assert "Answered by Dr Sarah Jones (Clinical lead)" in check


def test_stored_answers_after_a_conflict_are_exactly_the_log(app, two):
    team_id, token, sarah, tom = two
    stale_post(token, sarah, tom)
    assert stored_answers(app, team_id)[LEAD] == "neither"
