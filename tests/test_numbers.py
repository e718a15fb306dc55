"""A typed number is stored as the number typed, or refused with a message for its type and the
input kept: never a comma, a word or an impossible WTE turned into another number."""

import re

import pytest

from bot.tree.answers import AnswerError, check_answer
from tests.audit_support import form_data, path_of, stored_answers, team_at
from tests.conftest import question_tree

TREE = question_tree()


@pytest.mark.parametrize(
    ("question_id", "typed", "stored"),
    [
        ("sup_under3_hours", "6.8", 6.8),
        ("sup_under3_hours", " 6.75 ", 6.75),
        ("sup_under3_hours", "1,000", 1000),
        ("sup_under3_hours", "1,000.5", 1000.5),
        ("sup_under3_hours", ".5", 0.5),
        ("sup_under3_count", "12", 12),
        ("systems_share_percent", "50%", 50),
    ],
)
def test_numbers_typed_the_gov_uk_way_are_stored_as_typed(question_id, typed, stored):
    assert check_answer(TREE.question(question_id), typed) == stored


@pytest.mark.parametrize(
    ("question_id", "typed", "code"),
    [
        ("sup_under3_hours", "1,4", "decimal_comma"),
        ("sup_under3_hours", "1,0,0", "decimal_comma"),
        ("sup_under3_hours", "10,00", "decimal_comma"),
        ("sup_under3_hours", "1_0", "not_a_number"),
        ("sup_under3_hours", "1e3", "not_a_number"),
        ("sup_under3_hours", "١٢", "not_a_number"),
        ("sup_under3_hours", "Infinity", "not_a_number"),
        ("sup_under3_hours", "6.805", "too_many_places"),
        ("sup_under3_count", "two", "not_whole"),
        ("sup_under3_count", "1,4", "not_whole"),
        ("sup_under3_count", "1_0", "not_whole"),
        ("sup_under3_count", "2.5", "not_whole"),
        ("sup_under3_wte", "50%", "not_a_number"),
    ],
)
def test_anything_else_is_refused_not_reread(question_id, typed, code):
    with pytest.raises(AnswerError) as error:
        check_answer(TREE.question(question_id), typed)
    assert error.value.code == code


def reach_hours(client, token, count=2, wte="1.7"):
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(count))
    response = client.post(f"{team_at(client, token)}/q/sup_under3_wte", data=form_data(wte))
    assert path_of(response) == f"{team_at(client, token)}/q/sup_under3_hours"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,4", "Use a full stop for decimals, like 1.4"),
        ("1,0,0", "Use a full stop for decimals, like 1.4"),
        ("1_0", "Enter a number, like 4 or 2.5"),
        ("six", "Enter a number, like 4 or 2.5"),
        ("6.805", "Enter a number with no more than 2 decimal places, like 6.75"),
    ],
)
def test_a_refused_decimal_shows_its_message_and_keeps_the_input(app, client, team, typed, message):
    team_id, token = team
    reach_hours(client, token)
    response = client.post(f"{team_at(client, token)}/q/sup_under3_hours", data=form_data(typed))
    assert response.status_code == 422
    assert f'<a href="#answer">{message}' in response.text
    assert f'value="{typed}"' in response.text
    assert "sup_under3_hours" not in stored_answers(app, team_id)


@pytest.mark.parametrize("typed", ["two", "1,4", "1_0", "2.5"])
def test_a_refused_whole_number_says_enter_a_whole_number(app, client, team, typed):
    team_id, token = team
    response = client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(typed))
    assert response.status_code == 422
    assert '<a href="#answer">Enter a whole number, like 3' in response.text
    assert f'value="{typed}"' in response.text
    assert stored_answers(app, team_id) == {}


def test_exact_pro_rata_hours_are_accepted_and_stored(app, client, team):
    team_id, token = team
    reach_hours(client, token)
    response = client.post(f"{team_at(client, token)}/q/sup_under3_hours", data=form_data("6.8"))
    assert path_of(response) == f"{team_at(client, token)}/q/sup_under3_frequency"
    assert stored_answers(app, team_id)["sup_under3_hours"] == 6.8


def test_a_wte_above_the_head_count_is_refused_with_the_count_named(app, client, team):
    team_id, token = team
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(2))
    response = client.post(f"{team_at(client, token)}/q/sup_under3_wte", data=form_data("14"))
    assert response.status_code == 422
    assert "Enter 2 or less" in response.text
    assert "cannot be more than the number of practitioners" in response.text
    assert 'value="14"' in response.text
    assert "sup_under3_wte" not in stored_answers(app, team_id)
    accepted = client.post(f"{team_at(client, token)}/q/sup_under3_wte", data=form_data("2"))
    assert path_of(accepted) == f"{team_at(client, token)}/q/sup_under3_hours"


def test_lowering_the_head_count_below_the_wte_asks_for_the_wte_again(client, team):
    _, token = team
    reach_hours(client, token, count=3, wte="2.5")
    client.post(f"{team_at(client, token)}/q/sup_under3_hours", data=form_data("10"))
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(2))
    assert (
        path_of(client.get(f"{team_at(client, token)}/next"))
        == f"{team_at(client, token)}/q/sup_under3_wte"
    )


def test_number_messages_are_in_welsh(app, client, team):
    _, token = team
    client.get("/language/cy?next=/")
    whole = client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data("dau"))
    assert "Rhowch rif cyfan, fel 3" in whole.text
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(2))
    wte = client.post(f"{team_at(client, token)}/q/sup_under3_wte", data=form_data("3"))
    assert "Rhowch 2 neu lai" in wte.text
    client.post(f"{team_at(client, token)}/q/sup_under3_wte", data=form_data("1.7"))
    comma = client.post(f"{team_at(client, token)}/q/sup_under3_hours", data=form_data("6,8"))
    assert "Defnyddiwch atalnod llawn ar gyfer degolion, fel 1.4" in comma.text


def test_an_improbable_number_of_hours_is_stored_only_once_confirmed(app, client, team):
    """1,000 hours in four weeks for 1.4 WTE: the member is asked "Yes, this is right"."""
    team_id, token = team
    prefix = team_at(client, token)
    client.post(f"{prefix}/q/sup_under3_count", data=form_data(2))
    client.post(f"{prefix}/q/sup_under3_wte", data=form_data("1.4"))
    asked = client.post(f"{prefix}/q/sup_under3_hours", data=form_data("1000"))
    assert asked.status_code == 422
    assert "more than five times the supervision they need" in asked.text
    assert 'value="1000"' in asked.text
    assert re.search(r'name="confirmed_number" type="checkbox" value="1000"', asked.text)
    assert ">Yes, this is right</label>" in asked.text
    assert "sup_under3_hours" not in stored_answers(app, team_id)

    # Confirming one number does not confirm another typed instead.
    changed = client.post(
        f"{prefix}/q/sup_under3_hours", data={**form_data("900"), "confirmed_number": "1000"}
    )
    assert changed.status_code == 422
    assert "sup_under3_hours" not in stored_answers(app, team_id)

    confirmed = client.post(
        f"{prefix}/q/sup_under3_hours", data={**form_data("1000"), "confirmed_number": "1000"}
    )
    assert path_of(confirmed) == f"{prefix}/q/sup_under3_frequency"
    assert stored_answers(app, team_id)["sup_under3_hours"] == 1000


@pytest.mark.parametrize("hours", ["6.8", "28"])
def test_likely_hours_need_no_confirming(app, client, team, hours):
    team_id, token = team
    prefix = team_at(client, token)
    client.post(f"{prefix}/q/sup_under3_count", data=form_data(2))
    client.post(f"{prefix}/q/sup_under3_wte", data=form_data("1.4"))
    response = client.post(f"{prefix}/q/sup_under3_hours", data=form_data(hours))
    assert path_of(response) == f"{prefix}/q/sup_under3_frequency"
    assert stored_answers(app, team_id)["sup_under3_hours"] == float(hours)
